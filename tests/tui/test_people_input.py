"""Keys typed fast in People are never lost or misrouted (issue 13, point 1): keys sent all at
once, none waiting for the one before, as a fast typist's keys arrive, on the real people
library (tests/conftest.py); and the actions on many faces ask or report themselves."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Static

from bench.tmux_check import REPO, TMUX, TmuxSession
from engine.engine import Engine
from tests.helpers import terminal_typed, until
from tests.tui.people_pilot import app_for, choose_group, grid, open_people, person, type_fast
from tui.widgets.confirm_dialog import ConfirmDialog
from tui.widgets.decision_history import DecisionHistory
from tui.widgets.face_photo_view import FacePhotoView
from tui.widgets.person_list import PersonList
from tui.widgets.person_name_dialog import PersonNameDialog
from tui.widgets.similar_name_prompt import SimilarNamePrompt

SIZE = (110, 32)


@pytest.fixture
def engine(people_copy):
    with Engine(people_copy) as engine:
        yield engine


def head(app) -> str:
    return str(app.query_one("#people-head", Static).render())


def settled(app) -> bool:
    """No dialog or photo on top of the pane."""
    return app.screen is app.screen_stack[0]


def suggestions(engine: Engine) -> list[int]:
    return [f.id for f in engine.faces.find(status="unconfirmed", order="confidence")
            if f.suggested_person_id]


async def test_a_name_typed_while_its_dialog_opens_is_the_name_and_keys_after_it_move_on(
        engine):
    first, second = engine.faces.clusters()[:2]
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"cluster:{first.id}")
        journal = len(engine.faces.history(100))
        # q quits, a accepts a page, n rejects, u undoes, d hides: here they are letters
        type_fast(app, "r", *"Yuqi Dunaway", "enter", "right")
        await until(lambda: person_named(engine, "Yuqi Dunaway") and settled(app))
        await until(lambda: grid(app).cursor == 1)        # the key after enter: the grid
        assert {engine.faces.get(f).person for f in first.face_ids} == {"Yuqi Dunaway"}
        assert len(engine.faces.history(100)) == journal + 1          # nothing else decided
        assert app.query_one(PersonList).group.key == f"cluster:{second.id}"   # the next one
        assert app.is_running


def person_named(engine: Engine, name: str) -> bool:
    return any(p.name == name for p in engine.faces.persons())


async def test_keys_typed_while_the_photo_view_opens_reach_it_then_the_grid(engine):
    best, second = suggestions(engine)[:2]
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await pilot.press("enter")                          # from the list to the faces
        type_fast(app, "enter", "y", "escape", "n")         # y in the photo, n in the grid
        await until(lambda: engine.faces.get(second).suggested_person_id is None
                    and settled(app))
        assert engine.faces.get(best).status == "confirmed"
        assert not isinstance(app.screen, FacePhotoView)
        assert [e.action for e in engine.faces.history(2)] == ["reject", "confirm"]


@pytest.mark.parametrize("burst", ["\ry\x1bn", "\ry\x1bn\x1b[C"],
                         ids=["read-as-alt-n", "read-as-caret-n-right"])
async def test_escape_typed_fast_closes_the_photo_view_and_the_next_key_is_the_grid_s(
        engine, burst):
    """A terminal sends Escape and the key after it as one: Textual reads "escape n" as
    alt+n, or, with an arrow after it, as "^", "n", "right"."""
    best, second = suggestions(engine)[:2]
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await pilot.press("enter")
        terminal_typed(app, burst)
        await until(lambda: engine.faces.get(second).suggested_person_id is None
                    and settled(app))
        assert engine.faces.get(best).status == "confirmed"
        assert [e.action for e in engine.faces.history(2)] == ["reject", "confirm"]
        if burst.endswith("[C"):
            await until(lambda: grid(app).cursor == 1)


async def test_a_asks_with_the_count_and_names_and_n_keeps_everything(engine):
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        shown = [f for f in grid(app).faces if f.suggested]
        type_fast(app, "a")
        await until(lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert f"Confirm the {len(shown)} suggested name(s)" in dialog.question
        for name in {f.suggested for f in shown}:
            count = sum(f.suggested == name for f in shown)
            assert f"{count:>4} as {name}" in dialog.detail
        type_fast(app, "n")
        await until(lambda: settled(app))
        assert {engine.faces.get(f.id).status for f in shown} == {"unconfirmed"}
        type_fast(app, "a", "y")                            # asked and answered at once
        await until(lambda: {engine.faces.get(f.id).status for f in shown} == {"confirmed"}
                    and settled(app))
        assert f"confirmed {len(shown)} face{'s' * (len(shown) != 1)}" in head(app)


async def test_u_says_what_it_undid(engine):
    ann, bob = person(engine, "Ann Example"), person(engine, "Bob Example")
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"person:{ann.id}")
        type_fast(app, "g", "m", "enter")
        await until(lambda: len(engine.faces.persons()) == 1 and settled(app))
        await pilot.press("u")
        await until(lambda: len(engine.faces.persons()) == 2)
        said = f"undid: merged Ann Example into Bob Example ({ann.confirmed + ann.suggested}"
        assert said in head(app)
        assert any(said in n.message for n in app._notifications)
        assert person(engine, "Ann Example").confirmed == ann.confirmed
        assert person(engine, "Bob Example").confirmed == bob.confirmed


async def test_h_lists_the_latest_decisions_with_those_undone_marked(engine):
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        type_fast(app, "y", "n", "u")
        await until(lambda: sum(e.undone for e in engine.faces.history()) == 1
                    and settled(app))
        await pilot.press("h")
        assert isinstance(app.screen, DecisionHistory)
        rows = [(e.summary, e.undone) for e in app.screen.entries]
        assert rows[:2] == [("rejected the name of 1 face", True),
                            ("confirmed 1 face", False)]
        assert len(rows) == len(engine.faces.history(20))
        await pilot.press("escape")
        assert not isinstance(app.screen, DecisionHistory)


async def test_a_name_close_to_a_person_asks_which_one_and_waits_with_later_keys(engine):
    cluster = engine.faces.clusters()[0]
    ann = person(engine, "Ann Example")
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"cluster:{cluster.id}")
        type_fast(app, "r", *"ann", "enter", "right")
        await until(lambda: isinstance(app.screen, SimilarNamePrompt))
        assert "Is ann a new person, or Ann Example?" in str(
            app.screen.query_one("#similar-question", Static).render())
        await pilot.pause()
        assert grid(app).cursor == 0                        # "right" waits for the answer
        await pilot.press("enter")                          # the person who exists
        await until(lambda: person(engine, "Ann Example").confirmed
                    == ann.confirmed + cluster.size and settled(app))
        await until(lambda: grid(app).cursor == 1)
        assert [p.name for p in engine.faces.persons()] == ["Ann Example", "Bob Example"]


async def test_or_a_new_person_of_that_name(engine):
    cluster = engine.faces.clusters()[0]
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"cluster:{cluster.id}")
        type_fast(app, "r", *"Bob Exampel", "enter")
        await until(lambda: isinstance(app.screen, SimilarNamePrompt))
        type_fast(app, "down", "enter")
        await until(lambda: person_named(engine, "Bob Exampel") and settled(app))
        assert person(engine, "Bob Exampel").confirmed == cluster.size


async def test_escape_in_the_name_dialog_names_nobody_and_the_next_key_is_the_pane_s(engine):
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot)
        type_fast(app, "r", *"Zed", "escape", "right")
        await until(lambda: grid(app).cursor == 1 and settled(app))
        assert not person_named(engine, "Zed")
        assert not isinstance(app.screen, PersonNameDialog)


# -- the real termkam in tmux, every key of the workflow sent in one send-keys call --------

NAMES = ["r", *"Carol", "Enter", "r", *"Dave", "Enter"]          # two clusters named
DECIDE = ["n", "u", "Right", "n", "a", "y", *NAMES]   # reject, undo, reject, accept the page
STATE = {"faces": "SELECT f.id, f.status, p.name, s.name FROM face f"
                  " LEFT JOIN person p ON p.id = f.person_id"
                  " LEFT JOIN person s ON s.id = f.suggested_person_id ORDER BY f.id",
         "rejections": "SELECT r.face_id, p.name FROM face_rejection r"
                       " JOIN person p ON p.id = r.person_id ORDER BY 1, 2",
         "journal": "SELECT action, summary, undone FROM face_journal ORDER BY id"}


def catalog_state(library: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(f"file:{library / 'catalog.db'}?mode=ro", uri=True)) as con:
        return {name: con.execute(sql).fetchall() for name, sql in STATE.items()}


def intended(library: Path, photo_first: bool) -> dict[str, list[tuple]]:
    """The catalog after the workflow's decisions, made one by one through the engine."""
    with Engine(library) as engine:
        faces = engine.faces
        if photo_first:
            faces.confirm(suggestions(engine)[:1])
        shown = suggestions(engine)
        faces.reject(shown[:1])
        faces.undo(1)
        faces.reject(shown[1:2])
        faces.confirm(suggestions(engine))
        first, second = faces.clusters()[:2]
        faces.name_cluster(first.id, "Carol")
        faces.name_cluster(second.id, "Dave")
    return catalog_state(library)


def fast_user(library: Path, workdir: Path, keys: list[str]) -> str:
    """termkam in a 120x40 tmux pane: once it is up, every key at once; returns the screen
    once the last decision shows and the screen is still."""
    session = TmuxSession(f"termkam-fast-{os.getpid()}",
                          f"{REPO / '.venv' / 'bin' / 'termkam'} --library {library}",
                          env={"XDG_DATA_HOME": str(workdir / "xdg"),
                               "TERM": "xterm-256color", "COLORTERM": "truecolor"})
    session.start()
    try:
        session.wait_for(lambda s: "Albums" in s and "People" in s)
        session.settle(quiet=2.5)       # textual-image's terminal query has been answered
        session.keys(*keys)
        session.wait_for(lambda s: "faces Dave" in s, timeout=120)
        screen = session.settle(quiet=1.5)
        session.keys("q")
        session.wait_for(lambda s: "termkam" not in s or "Pane is dead" in s, timeout=20)
        return screen
    finally:
        session.kill()


@pytest.mark.parametrize("photo_first", [False, True], ids=["grid", "photo-view-opening"])
def test_a_fast_typist_s_people_workflow_ends_in_exactly_the_intended_catalog(
        people_library, tmp_path, photo_first):
    assert Path(TMUX).exists(), "tmux is needed for this check: apt-get install tmux"
    typed, mirror = tmp_path / "typed", tmp_path / "mirror"
    for copy in (typed, mirror):
        shutil.copytree(people_library, copy)
    # y, escape and what follows are sent while the photo view is opening
    photo = ["Enter", "Enter", "y", "Escape"] if photo_first else []
    screen = fast_user(typed, tmp_path, ["3", *photo, *DECIDE])
    print(screen)
    assert "named 6 faces Dave" in screen
    assert catalog_state(typed) == intended(mirror, photo_first)
