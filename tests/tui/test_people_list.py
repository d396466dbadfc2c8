"""The person list of the People pane (issue 13, points 5 and 6): it opens on the group that
needs the user with the list focused, goes on to the next cluster after naming one, shows
each person's best face as an icon where there is room, and shows the ignored faces and
those marked as not a face as groups whose faces can be restored."""

from __future__ import annotations

import pytest
from rich.console import Group as Lines

from engine.engine import Engine
from tests.helpers import until
from tests.tui.people_pilot import app_for, choose_group, grid, open_people, person, row
from tui.widgets.face_icon import COLUMNS, LINES, face_icon
from tui.widgets.person_list import PersonList, person_row
from tui.widgets.thumb_cache import decode


@pytest.fixture
def engine(people_copy):
    with Engine(people_copy) as engine:
        yield engine


def people(app) -> PersonList:
    return app.query_one(PersonList)


async def test_it_opens_on_the_suggestions_with_the_list_focused(engine):
    ann = person(engine, "Ann Example")
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        assert people(app).has_focus and people(app).group.key == "suggestions"
        await pilot.press("down")                          # no `g` first
        assert people(app).group.key == f"person:{ann.id}"
        await until(lambda: grid(app).current.suggested_person_id == ann.id)
        await pilot.press("right", "y")                    # the face keys work from the list
        await until(lambda: person(engine, "Ann Example").confirmed == ann.confirmed + 1)


async def test_without_suggestions_it_opens_on_the_largest_cluster(engine):
    engine.faces.confirm([f.id for f in engine.faces.find(status="unconfirmed")
                          if f.suggested_person_id])
    largest = engine.faces.clusters()[0]
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        assert people(app).group.key == f"cluster:{largest.id}"
        assert {f.id for f in grid(app).faces} == set(largest.face_ids)


async def test_a_group_emptied_meanwhile_gives_way_to_the_largest_cluster(engine):
    """As in the demo: People was first shown before the face tools had finished."""
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        assert people(app).group.key == "suggestions"
        await pilot.press("1")
        engine.faces.confirm([f.id for f in engine.faces.find(status="unconfirmed")
                              if f.suggested_person_id])        # by the CLI, say
        largest = engine.faces.clusters()[0]
        await pilot.press("3")
        await until(lambda: people(app).group.key == f"cluster:{largest.id}")
        assert people(app).has_focus


async def test_naming_a_cluster_goes_on_to_the_next_cluster(engine):
    first, second = engine.faces.clusters()[:2]
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"cluster:{first.id}")
        await pilot.press("r", *"Carol", "enter")
        await until(lambda: people(app).group.key == f"cluster:{second.id}")
        assert {f.id for f in grid(app).faces} == set(second.face_ids)
        await pilot.press("r", *"Dave", "enter")           # no cluster left: the unknown faces
        await until(lambda: people(app).group.key == "unknown")


async def test_each_person_shows_their_best_face_where_there_is_room(engine):
    ann = person(engine, "Ann Example")
    best = max((f for f in engine.faces.find(person_id=ann.id, status="confirmed")),
               key=lambda f: f.quality or 0)
    icon = face_icon(decode(engine.faces.thumbnail(best.id)), COLUMNS, LINES)
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        prompt = people(app).get_option(f"person:{ann.id}").prompt
        assert isinstance(prompt, Lines) and len(prompt.renderables) == LINES
        first = prompt.renderables[0]
        assert first.spans[0].style == icon[0].spans[0].style       # the face's pixels
        assert [str(line) for line in prompt.renderables[1:]] == [str(i) for i in icon[1:]]
        assert row(app, f"person:{ann.id}") == person_row(ann)
        await pilot.resize_terminal(80, 24)                 # no room: one line per person
        await until(lambda: isinstance(people(app).get_option(f"person:{ann.id}").prompt,
                                       str) or not people(app).has_class("-icons"))
        assert str(people(app).get_option(f"person:{ann.id}").prompt) == person_row(ann)


@pytest.mark.parametrize(("key", "group", "status"), [("i", "ignored", "ignored"),
                                                      ("d", "not_face", "not_face")])
async def test_ignored_and_not_a_face_are_groups_whose_faces_come_back(engine, key, group,
                                                                      status):
    unknown = engine.faces.find(unknown=True)[0]
    app = app_for(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, "unknown")
        assert grid(app).current.id == unknown.id
        await pilot.press(key)
        await until(lambda: engine.faces.get(unknown.id).status == status)
        assert people(app).groups[group].total == 1
        await choose_group(pilot, group)
        assert [f.id for f in grid(app).faces] == [unknown.id]
        await pilot.press("e")
        await until(lambda: engine.faces.get(unknown.id).status == "unconfirmed")
        assert people(app).groups[group].total == 0
        assert engine.faces.history(1)[0].summary == "restored 1 face"
        await pilot.press("u")                              # journaled like every decision
        await until(lambda: engine.faces.get(unknown.id).status == status)
