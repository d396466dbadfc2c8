"""Helpers for Pilot tests of the People pane on the people library (tests/conftest.py)."""

from __future__ import annotations

from rich.console import Group as Lines
from textual import events

from engine.engine import Engine
from tests.helpers import until
from tui.app import TermkamApp
from tui.widgets.face_grid import FaceGrid
from tui.widgets.face_icon import COLUMNS
from tui.widgets.person_list import PersonList


def app_for(engine: Engine) -> TermkamApp:
    return TermkamApp(engine, image_protocol="halfcell")


def person(engine: Engine, name: str):
    return next(p for p in engine.faces.persons() if p.name == name)


def grid(app: TermkamApp) -> FaceGrid:
    return app.query_one(FaceGrid)


def row(app: TermkamApp, key: str) -> str:
    """The text of a row of the person list (its first line, after the face icon if any)."""
    people = app.query_one(PersonList)
    prompt = people.get_option(key).prompt
    first = str(prompt.renderables[0] if isinstance(prompt, Lines) else prompt)
    return first[COLUMNS + 1:] if people.has_class("-icons") else first


async def open_people(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()
    await until(lambda: grid(pilot.app).faces)


async def choose_group(pilot, key: str) -> None:
    """Walk the person list with the keyboard to a group, and come back to the grid."""
    people = pilot.app.query_one(PersonList)
    await pilot.press("g")
    assert people.has_focus
    keys = list(people.groups)
    step = "down" if keys.index(key) > keys.index(people.group.key) else "up"
    while people.group is None or people.group.key != key:
        before = people.highlighted
        await pilot.press(step)
        assert people.highlighted != before, f"no group {key}"
    await pilot.press("enter")
    await pilot.pause()
    assert grid(pilot.app).has_focus


def type_fast(app: TermkamApp, *keys: str) -> None:
    """Keys as a fast typist sends them: all at once, none waiting for the one before."""
    names = {" ": "space"}
    characters = {"space": " ", "enter": "\r", "escape": "\x1b"}
    for key in keys:
        name = names.get(key, key)
        app.post_message(events.Key(name, key if len(key) == 1 else characters.get(key)))
