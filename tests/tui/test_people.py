"""The People pane, driven by a Pilot on a real library: ORL faces and a group photo, faces
detected by the real models, two people named so suggestions and clusters exist. The library
is built once per module and copied for each test. Also runs the tmux check."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image as PILImage
from textual.widgets import Input, OptionList, Static

from bench.tmux_check import NAMED, TMUX, run_check
from engine.engine import Engine
from tests.helpers import until
from tests.tui.people_pilot import app_for, choose_group, grid, open_people, person, row
from tui.help import HelpScreen
from tui.panes.people import PeoplePane
from tui.widgets.confirm_dialog import ConfirmDialog
from tui.widgets.face_photo_view import FacePhotoView
from tui.widgets.person_list import PersonList, person_row
from tui.widgets.person_merge_dialog import PersonMergeDialog
from tui.widgets.person_name_dialog import PersonNameDialog

ANN, BOB = NAMED[1], NAMED[2]


@pytest.fixture
def people_engine(people_copy):
    with Engine(people_copy) as engine:
        yield engine


async def test_rows_show_counts_and_y_confirms_the_best_suggestion(people_engine):
    engine = people_engine
    ann = person(engine, ANN)
    best = engine.faces.find(status="unconfirmed", order="confidence", limit=1)[0]
    who = person(engine, best.suggested)
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        assert row(app, f"person:{ann.id}") == person_row(ann)
        assert f"{ann.confirmed:>4} /{ann.suggested:>3}" in row(app, f"person:{ann.id}")
        assert grid(app).current.id == best.id          # suggestions, best first
        distances = [f.suggested_distance for f in grid(app).faces]
        assert distances == sorted(distances)
        await pilot.press("y")
        await pilot.pause()
        assert engine.faces.get(best.id).status == "confirmed"
        after = person(engine, who.name)
        assert after.confirmed == who.confirmed + 1      # suggestions are refreshed too
        assert row(app, f"person:{who.id}") == person_row(after)
        head = str(app.query_one("#people-head", Static).render())
        assert "confirmed 1 face" in head


async def test_n_rejects_and_u_undoes(people_engine):
    engine = people_engine
    best = engine.faces.find(status="unconfirmed", order="confidence", limit=1)[0]
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert engine.faces.get(best.id).suggested_person_id != best.suggested_person_id
        assert best.id not in [f.id for f in grid(app).faces if f.suggested == best.suggested]
        await pilot.press("u")
        await pilot.pause()
        restored = engine.faces.get(best.id)
        assert (restored.status, restored.suggested_person_id) == (
            "unconfirmed", best.suggested_person_id)
        assert grid(app).current.id == best.id


async def test_r_names_a_whole_cluster(people_engine):
    engine = people_engine
    cluster = engine.faces.clusters()[0]
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"cluster:{cluster.id}")
        assert {f.id for f in grid(app).faces} == set(cluster.face_ids)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PersonNameDialog)
        await pilot.press(*"Carol", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PersonNameDialog)
        assert {engine.faces.get(f).person for f in cluster.face_ids} == {"Carol"}
        carol = person(engine, "Carol")
        assert row(app, f"person:{carol.id}") == person_row(carol)
        assert carol.confirmed == cluster.size
        assert f"cluster:{cluster.id}" not in app.query_one(PersonList).groups


async def test_r_completes_known_names_and_renames_from_the_list(people_engine):
    engine = people_engine
    unknown = engine.faces.find(unknown=True, limit=1)[0]
    ann = person(engine, ANN)
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, "unknown")
        assert grid(app).current.id == unknown.id
        await pilot.press("r", *ANN[:3].lower(), "right", "enter")   # → takes the completion
        await pilot.pause()
        assert engine.faces.get(unknown.id).person == ANN
        await choose_group(pilot, f"person:{ann.id}")
        await pilot.press("g", "r")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value == ANN
        field.value = ""
        await pilot.press(*"Anne", "enter")
        await pilot.pause()
        assert person(engine, "Anne").id == ann.id
        assert "Anne" in row(app, f"person:{ann.id}")


async def test_space_selects_two_faces_and_i_ignores_both(people_engine):
    engine = people_engine
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, "unknown")
        first, second = (f.id for f in grid(app).faces[:2])
        await pilot.press("space", "space")
        assert grid(app).selected == {first, second}
        assert "2 selected" in str(app.query_one("#people-head", Static).render())
        await pilot.press("i")
        await pilot.pause()
        assert [engine.faces.get(f).status for f in (first, second)] == ["ignored", "ignored"]
        assert not grid(app).selected
        assert "2" in row(app, "ignored")
        assert first not in [f.id for f in grid(app).faces]


async def test_enter_shows_the_photo_and_escape_closes_it(people_engine):
    engine = people_engine
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        face = grid(app).current
        await pilot.press("enter")              # the list has the focus: enter goes to the faces
        assert grid(app).has_focus and not isinstance(app.screen, FacePhotoView)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FacePhotoView)
        thumb = PILImage.open(io.BytesIO(engine.thumbnail(face.image_id)))
        assert app.screen.picture.size == thumb.size          # the 256 px thumbnail
        assert Path(engine.image(face.image_id).path).name in str(
            app.screen.query_one("#photo-caption", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FacePhotoView)


async def test_question_mark_lists_every_pane_key(people_engine):
    app = app_for(people_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for binding in PeoplePane.BINDINGS:
            assert binding.id and binding.description in text, binding
        assert "Quit" in text


async def test_m_merges_a_person_into_another(people_engine):
    engine = people_engine
    ann, bob = person(engine, ANN), person(engine, BOB)
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, f"person:{ann.id}")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PersonMergeDialog)
        assert app.screen.targets == [BOB]
        app.screen.query_one(OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in engine.faces.persons()] == [BOB]
        merged = person(engine, BOB)
        assert merged.confirmed == ann.confirmed + bob.confirmed
        assert app.query_one(PersonList).group.key == f"person:{bob.id}"
        assert row(app, f"person:{bob.id}") == person_row(merged)


async def test_a_asks_then_accepts_every_suggestion_shown(people_engine):
    engine = people_engine
    shown = [f.id for f in engine.faces.find(status="unconfirmed", order="confidence")
             if f.suggested_person_id]
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        assert [f.id for f in grid(app).faces] == shown[:grid(app).page_size]
        await pilot.press("a")
        await pilot.pause()
        accepted = shown[:grid(app).page_size]
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Confirm the {len(accepted)} suggested" in app.screen.question
        assert {engine.faces.get(f).status for f in accepted} == {"unconfirmed"}
        await pilot.press("y")
        await pilot.pause()
        assert {engine.faces.get(f).status for f in accepted} == {"confirmed"}
        head = str(app.query_one("#people-head", Static).render())
        assert f"confirmed {len(accepted)} face{'s' * (len(accepted) != 1)}" in head


async def test_engine_errors_become_notifications(people_engine):
    engine = people_engine
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, "unknown")
        await pilot.press("y", "n")       # an unknown face has no name to confirm or reject
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("has a suggestion to confirm" in m for m in messages), messages
        assert any("has a name or suggestion to reject" in m for m in messages), messages
        assert app.is_running


async def test_pages_hold_what_fits_and_turn_with_keys(people_engine):
    app = app_for(people_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        await choose_group(pilot, "unknown")
        faces = grid(app)
        size, total = faces.page_size, faces.source.total
        assert size == len(faces.query("FaceCard")) and total > size
        first_page = [f.id for f in faces.faces]
        await pilot.press("pagedown")
        assert faces.page == 1 and faces.faces[0].id not in first_page
        assert len(faces.faces) == min(size, total - size)
        await pilot.press("pageup", "right")
        assert faces.page == 0 and faces.cursor == 1
        await pilot.press(*["down"] * faces.rows)         # stepping off the page turns it
        assert faces.page == 1 and faces.cursor == 1
        await pilot.press("left", "left")
        assert faces.page == 0 and faces.cursor == size - 1
        assert f"face {size}/{total}" in str(app.query_one("#people-head", Static).render())
        await pilot.resize_terminal(150, 45)         # a bigger terminal: bigger pages
        await until(lambda: faces.page_size > size)
        await pilot.pause()
        assert len(faces.query("FaceCard")) == faces.page_size
        assert len(faces.faces) == min(faces.page_size, total)
        assert faces.start + faces.cursor == size - 1     # still on the same face


async def test_counts_follow_face_jobs(people_engine):
    engine = people_engine
    unknown = [f.id for f in engine.faces.find(unknown=True) if f.cluster_id is not None]
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        engine.faces.name(unknown[:2], "Dora")       # decided elsewhere (the CLI, say)
        engine.start("faces.recognize")
        await until(lambda: any("Dora" in row(app, key)
                                 for key in app.query_one(PersonList).groups))
        dora = person(engine, "Dora")
        assert row(app, f"person:{dora.id}") == person_row(dora)


async def test_an_empty_library_says_how_to_find_faces(engine):
    app = app_for(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "y", "enter", "space", "r")
        await pilot.pause()
        assert "termkam run faces" in str(app.query_one("#face-empty", Static).render())
        assert app.screen is app.screen_stack[0] and app.is_running


def test_tmux_check(people_library, tmp_path):
    """The real termkam in a 120x40 tmux pane: People, move, confirm a face with y."""
    assert Path(TMUX).exists(), "tmux is needed for this check: apt-get install tmux"
    library = tmp_path / "library"
    shutil.copytree(people_library, library)
    screens = run_check(tmp_path, library)          # also kept as tmp_path/tmux-STEP.txt
    for step, screen in screens.items():
        print(f"===== {step} =====\n{screen}")
    assert "People" in screens["people"] and "Suggestions" in screens["people"]
