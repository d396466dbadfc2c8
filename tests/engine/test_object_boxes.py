"""Object boxes behind the auto tags, with the real detector on real photos: stored by the tags
job in the displayed (orientation-applied) frame, replaced and dropped with the tags, shown
only while the photo carries their tag, and read back with the photo's faces for the view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image as PILImage

from engine.engine import Engine
from tests.helpers import run_job, scanned

CAT = ("Animals", "Cat")


@pytest.fixture
def tree(tmp_path: Path, objects_set, faces_set) -> Path:
    """The cat upright, the same cat stored on its side with EXIF orientation 6 (turn a
    quarter clockwise to show it), the motorcycle, and a group photo."""
    root = tmp_path / "photos"
    root.mkdir()
    shutil.copy2(objects_set["skimage/chelsea.png"], root / "cat.png")
    shutil.copy2(objects_set["skimage/motorcycle_left.png"], root / "motorcycle.png")
    shutil.copy2(faces_set["feat/multi_face.jpg"], root / "group.jpg")
    upright = PILImage.open(objects_set["skimage/chelsea.png"]).convert("RGB")
    exif = PILImage.Exif()
    exif[0x0112] = 6
    upright.rotate(90, expand=True).save(root / "cat_turned.jpg", quality=95, exif=exif)
    return root


@pytest.fixture
def eng(tmp_path: Path, tree: Path):
    with Engine(tmp_path / "library") as engine:
        yield scanned(engine, tree)


def image_id(engine: Engine, tree: Path, name: str) -> int:
    record = engine.find_image(str(tree / name))
    assert record is not None
    return record.id


def objects(engine: Engine, image: int, tag: tuple[str, ...] | None = None):
    marks = engine.browse.marks(image)
    assert marks is not None
    return [o for o in marks.objects if tag is None or o.tag == tag]


def tag(engine: Engine, mode: str = "replace") -> None:
    run_job(engine, "tags.auto", mode=mode, model="detector")


def test_boxes_are_stored_normalised_on_the_displayed_photo(eng, tree):
    tag(eng)
    upright = objects(eng, image_id(eng, tree, "cat.png"), CAT)
    turned = objects(eng, image_id(eng, tree, "cat_turned.jpg"), CAT)
    assert upright and turned
    best, other = upright[0], turned[0]
    assert best.label == "cat" and best.model_id == "yolox_nano"   # the default detector
    x, y, w, h = best.box
    assert 0 <= x < x + w <= 1 and 0 <= y < y + h <= 1 and w * h > 0.2   # the cat fills it
    # the turned copy shows the same picture, so its box is the same box
    assert all(abs(a - b) < 0.05 for a, b in zip(best.box, other.box, strict=True)), (
        best.box, other.box)
    people = objects(eng, image_id(eng, tree, "group.jpg"), ("Subjects", "Person"))
    assert len(people) >= 3 and all(o.label == "person" for o in people)
    assert [o.score for o in people] == sorted((o.score for o in people), reverse=True)


def test_runs_replace_boxes_instead_of_piling_them_up(eng, tree):
    tag(eng)
    group = image_id(eng, tree, "group.jpg")
    first = objects(eng, group)
    tag(eng, "update")
    assert objects(eng, group) == first
    tag(eng, "replace")
    assert objects(eng, group) == first


def test_a_removed_tag_takes_its_boxes_off_and_a_confirmed_one_keeps_them(eng, tree):
    tag(eng)
    cat, bike = image_id(eng, tree, "cat.png"), image_id(eng, tree, "motorcycle.png")
    bike_tag = objects(eng, bike)[0].tag
    assert eng.tags.remove(cat, list(CAT))
    assert not objects(eng, cat, CAT)
    tag(eng, "update")                       # never added back, boxes included
    assert not objects(eng, cat, CAT)
    assert eng.tags.confirm(bike, list(bike_tag))
    assert objects(eng, bike, bike_tag)
    eng.tags.add(cat, list(CAT))             # the user changes their mind: the box is back
    assert objects(eng, cat, CAT)
    tag(eng, "replace")
    assert len(objects(eng, cat, CAT)) == 1


def test_a_replaced_picture_loses_its_boxes(eng, tree, objects_set):
    tag(eng)
    bike = image_id(eng, tree, "motorcycle.png")
    assert objects(eng, bike)
    shutil.copy2(objects_set["skimage/coffee.png"], tree / "motorcycle.png")
    scanned(eng, tree)
    assert image_id(eng, tree, "motorcycle.png") == bike
    assert objects(eng, bike) == []
    tag(eng, "untagged")
    assert not objects(eng, bike, ("Vehicles", "Motorcycle"))


def test_marks_give_faces_left_to_right_in_the_displayed_size(eng, tree):
    run_job(eng, "faces.detect")
    group = image_id(eng, tree, "group.jpg")
    marks = eng.browse.marks(group)
    record = eng.image(group)
    assert marks is not None and marks.size == (record.width, record.height)
    assert len(marks.faces) >= 3
    assert [f.box[0] for f in marks.faces] == sorted(f.box[0] for f in marks.faces)
    turned = eng.browse.marks(image_id(eng, tree, "cat_turned.jpg"))
    stored = eng.image(turned.record.id)
    assert turned.size == (stored.height, stored.width)     # orientation 6 turns it
    assert eng.browse.marks(10**9) is None
