"""The photo view, driven by a Pilot on a real library (ORL faces and a group photo, faces
found by the real models, two people named): every face of the photo boxed and labelled, the
highlighted one in its own colour, tab between faces, the face keys deciding about it, object
boxes of the auto tags on request; from People (enter) and from Albums' preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from engine.engine import Engine
from tests.helpers import run_job, until
from tui.app import TermkamApp
from tui.widgets.face_grid import FaceGrid
from tui.widgets.face_photo_view import FacePhotoView
from tui.widgets.labelled_picture import LabelledPicture
from tui.widgets.marked_photo import MarkedPhoto
from tui.widgets.person_list import PersonList
from tui.widgets.person_name_dialog import PersonNameDialog
from tui.widgets.photo_boxes import (
    CURRENT,
    NAMED,
    OBJECT,
    UNKNOWN,
    draw_marks,
    face_marks,
    pixel_box,
)
from tui.widgets.photo_info import PhotoInfo
from tui.widgets.photo_preview import PhotoPreview
from tui.widgets.thumb_grid import ThumbGrid

SIZE = (100, 30)


@pytest.fixture
def people_engine(people_copy):
    with Engine(people_copy) as engine:
        yield engine


def group_photo(engine: Engine) -> int:
    return next(r.id for r in engine.images() if Path(r.path).name == "multi_face.jpg")


def shown(app: TermkamApp) -> PILImage.Image:
    picture = app.screen.query_one(MarkedPhoto).shown
    assert picture is not None
    return picture


def edge(app: TermkamApp, box) -> tuple[int, int, int]:
    """The colour drawn in the middle of a box's top edge (box normalised)."""
    picture = shown(app)
    left, top, right, _ = pixel_box(box, picture.width, picture.height)
    return picture.getpixel(((left + right) // 2, top))


def face_box(app: TermkamApp, face_id: int):
    screen = app.screen
    face = next(f for f in screen.faces if f.id == face_id)
    width, height = screen.marks.size
    x, y, w, h = face.box
    return (x / width, y / height, w / width, h / height)


def labels(app: TermkamApp) -> dict[str, tuple[int, int, int]]:
    """Text drawn over the picture -> its background colour."""
    picture = app.screen.query_one(LabelledPicture)
    found = {}
    for y in range(picture.content_size.height):
        for segment in picture.render_line(y):
            if segment.text.strip("▀ ") and segment.style and segment.style.bgcolor:
                found[segment.text] = segment.style.bgcolor.triplet
    return found


async def opened(pilot, kind: type) -> None:
    await until(lambda: isinstance(pilot.app.screen, kind)
                and pilot.app.screen.query_one(MarkedPhoto).shown is not None)
    await pilot.pause()


async def to_group(pilot, key: str) -> None:
    """Walk the person list to a group and come back to the grid with enter."""
    people = pilot.app.query_one(PersonList)
    await pilot.press("g")
    while people.group is None or people.group.key != key:
        before = people.highlighted
        await pilot.press("down")
        assert people.highlighted != before, f"no group {key}"
    await pilot.press("enter")
    await until(lambda: pilot.app.query_one(FaceGrid).faces)


async def test_every_face_is_drawn_tab_moves_the_highlight_and_keys_decide(people_engine):
    engine = people_engine
    group = group_photo(engine)
    faces = engine.browse.marks(group).faces
    carol = faces[-1]
    engine.faces.name([carol.id], "Carol")
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await to_group(pilot, "unknown")
        first = app.query_one(FaceGrid).current
        assert first.image_id == group and first.id == faces[0].id
        await pilot.press("enter")
        await opened(pilot, FacePhotoView)
        screen = app.screen
        assert [f.id for f in screen.faces] == [f.id for f in faces]
        assert edge(app, face_box(app, first.id)) == CURRENT
        assert edge(app, face_box(app, faces[1].id)) == UNKNOWN
        assert edge(app, face_box(app, carol.id)) == NAMED
        assert labels(app)["Carol"] == NAMED and labels(app)["?"] in (CURRENT, UNKNOWN)
        assert "face 1/5: unknown" in str(screen.query_one("#photo-caption").render())

        await pilot.press("tab")
        assert screen.current.id == faces[1].id
        assert edge(app, face_box(app, first.id)) == UNKNOWN
        assert edge(app, face_box(app, faces[1].id)) == CURRENT
        await pilot.press("shift+tab", "shift+tab")          # wraps round to the last face
        assert screen.current.id == carol.id and labels(app)["Carol"] == CURRENT

        await pilot.press("tab", "tab", "r")                 # the second face gets a name
        await until(lambda: isinstance(app.screen, PersonNameDialog))
        await pilot.press(*"Dora", "enter")
        await until(lambda: app.screen is screen and screen.current.status == "confirmed")
        named = engine.faces.get(faces[1].id)
        assert (named.status, named.person) == ("confirmed", "Dora")
        await pilot.press("tab")
        assert labels(app)["Dora"] == NAMED
        assert edge(app, face_box(app, faces[1].id)) == NAMED
        await pilot.press("d")                               # the third face is not a face
        assert engine.faces.get(faces[2].id).status == "not_face"
        assert [f.id for f in screen.faces] == [f.id for f in faces if f.id != faces[2].id]
        assert screen.current.id == faces[3].id               # its neighbour is highlighted
        assert "not a face" in str(screen.query_one("#photo-caption").render())
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, FacePhotoView))
        shown_ids = {f.id for f in app.query_one(FaceGrid).faces}
        assert faces[1].id not in shown_ids and faces[2].id not in shown_ids  # grid reloaded


async def test_y_and_n_confirm_and_reject_the_suggestion_shown(people_engine):
    engine = people_engine
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await to_group(pilot, "suggestions")
        best = app.query_one(FaceGrid).current
        await pilot.press("enter")
        await opened(pilot, FacePhotoView)
        assert f"{best.suggested}?"[:11] in "".join(labels(app))
        await pilot.press("y")
        confirmed = engine.faces.get(best.id)
        assert (confirmed.status, confirmed.person) == ("confirmed", best.suggested)
        assert best.suggested[:11] in "".join(labels(app))
        await pilot.press("escape")
        await until(lambda: app.query_one(FaceGrid).current.id != best.id)
        second = app.query_one(FaceGrid).current
        await pilot.press("enter")
        await opened(pilot, FacePhotoView)
        assert app.screen.current.id == second.id
        await pilot.press("n")
        assert engine.faces.get(second.id).suggested_person_id != second.suggested_person_id


async def test_albums_preview_draws_faces_and_toggles_object_boxes(people_engine):
    engine = people_engine
    group = group_photo(engine)
    run_job(engine, "tags.auto", mode="replace", model="detector", images=[group])
    people = engine.browse.marks(group).objects
    assert people and all(o.tag == ("Subjects", "Person") for o in people)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        thumbs = app.query_one(ThumbGrid)
        await until(lambda: thumbs.ids)
        thumbs.move_to(thumbs.ids.index(group))
        await pilot.press("enter")
        await opened(pilot, PhotoPreview)
        screen = app.screen
        assert len(screen.faces) == 5 and edge(app, face_box(app, screen.faces[0].id)) == CURRENT
        assert edge(app, people[0].box) != OBJECT and "Person" not in labels(app)
        await pilot.press("o")
        assert edge(app, people[0].box) == OBJECT and labels(app)["Person"] == OBJECT
        assert "o hide objects" in str(screen.query_one("#preview-caption").render())
        await pilot.press("o")
        assert edge(app, people[0].box) != OBJECT
        await pilot.press("tab", "r")
        await until(lambda: isinstance(app.screen, PersonNameDialog))
        await pilot.press(*"Eve", "enter")
        await until(lambda: app.screen is screen and screen.current.person == "Eve")
        await pilot.press("right", "o")                 # a photo without object boxes
        assert screen.image_id != group and not screen.show_objects
        await pilot.press("left", "escape")
        await until(lambda: not isinstance(app.screen, PhotoPreview))
        assert thumbs.current == group and "Eve" in app.query_one(PhotoInfo).text


def test_boxes_are_drawn_on_the_displayed_photo():
    """A portrait picture of a photo stored landscape and turned (orientation 6): boxes in
    displayed pixels land where they belong, the highlighted one twice as wide."""
    picture = PILImage.new("RGB", (128, 256), (0, 0, 0))
    face = type("Face", (), dict(id=1, box=(100.0, 200.0, 200.0, 300.0), status="unconfirmed",
                                 person=None, suggested=None))
    marks = face_marks([face], (500, 1000), current=1)
    drawn = draw_marks(picture, marks)
    left, top, right, bottom = (round(v * 128 / 500) for v in (100, 200, 300, 500))
    for x, y in ((left, top + 5), (left + 1, top + 5), (right - 1, top + 5),
                 (left + 5, bottom - 1), (left + 5, top + 1)):
        assert drawn.getpixel((x, y)) == CURRENT, (x, y)
    assert drawn.getpixel((left + 2, top + 5)) == (0, 0, 0)
    assert drawn.getpixel(((left + right) // 2, (top + bottom) // 2)) == (0, 0, 0)
    thin = draw_marks(picture, face_marks([face], (500, 1000)))
    assert thin.getpixel((left, top + 5)) == UNKNOWN and thin.getpixel((left + 1, top + 5)) == (
        0, 0, 0)
    # for image protocols the label is written in pixels, on its colour, above the box
    labelled = draw_marks(picture, marks, text=12)
    above = [labelled.getpixel((left + 1, y)) for y in range(top - 12, top)]
    assert above.count(CURRENT) >= 8 and (0, 0, 0) in [
        labelled.getpixel((x, y)) for x in range(left, left + 8) for y in range(top - 12, top)]
