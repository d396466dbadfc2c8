"""`termkam import digikam` against a digikam4.db made from digiKam's real schema (dbconfig.xml
of Debian's digikam-data, fetched at test time) and a termkam library of real photos with
faces detected by termkam's own models."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine import samples
from engine.catalog import persons as person_db
from engine.catalog import picks, ratings
from engine.catalog import tags as tag_db
from engine.catalog.records import FaceRecord
from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces.geometry import iou
from engine.importers.digikam_db import TABLES as TABLES_READ
from engine.importers.digikam_db import read_catalog
from engine.importers.digikam_faces import NOT_CONFIRMED
from engine.importers.digikam_import import import_digikam
from engine.importers.digikam_match import unique_hash_v2
from tests.digikam_db import DigikamDb, schema, unique_hash
from tests.exiftool import EXIFTOOL
from tests.helpers import table_dump, termkam_cli

OLD_ROOT = "/home/ada/Pictures"   # where the photos were when digiKam catalogued them
TABLES = ("person", "face", "face_rejection", "face_journal", "tag", "image_tag",
          "tag_rejection", "pick_label", "image")


@pytest.fixture(scope="session")
def dbconfig() -> Path:
    try:
        return samples.fetch_set("digikam")["digikam/dbconfig.xml"]
    except TermkamError as error:
        pytest.fail(f"digiKam's schema (Debian package digikam-data) could not be fetched, "
                    f"so the import cannot be tested: {error}", pytrace=False)


def _turned(upright: Path, target: Path) -> None:
    """The face off-centre on a wider canvas, stored turned 90 degrees with EXIF orientation 6
    (viewers turn it back), so that a region read in the wrong frame lands elsewhere."""
    face = cv2.imread(str(upright))
    canvas = np.full((800, 1000, 3), 90, np.uint8)
    canvas[:face.shape[0], :face.shape[1]] = face
    cv2.imwrite(str(target), cv2.rotate(canvas, cv2.ROTATE_90_COUNTERCLOCKWISE),
                [cv2.IMWRITE_JPEG_QUALITY, 95])
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-Orientation#=6", str(target)],
                   check=True)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, faces_set, objects_set) -> Path:
    """Photos scanned and faces detected by termkam, built once; tests work on copies."""
    base = tmp_path_factory.mktemp("digikam-import")
    photos = base / "photos"
    layout = {"people": ["feat/multi_face.jpg", "feat/single_face.jpg"],
              "things": ["skimage/coffee.png", "skimage/rocket.jpg"],
              "landscapes": ["feat/free-mountain-vector-01.jpg"]}
    everything = {**faces_set, **objects_set}
    for album, keys in layout.items():
        (photos / album).mkdir(parents=True)
        for key in keys:
            shutil.copy2(everything[key], photos / album / Path(key).name)
    _turned(photos / "people" / "single_face.jpg", photos / "people" / "turned.jpg")
    with Engine(base / "library") as engine:
        assert engine.scan([str(photos)]).wait(120).state == "done"
        assert engine.start("faces.detect", {}).wait(300).state == "done"
    return base


@pytest.fixture
def library(prepared, tmp_path) -> tuple[Path, Path]:
    shutil.copytree(prepared / "library", tmp_path / "library")
    return tmp_path / "library", prepared / "photos"


def _faces(engine: Engine, name: str) -> list[FaceRecord]:
    return sorted((f for f in engine.faces.find(include_not_faces=True)
                   if Path(f.image_path).name == name), key=lambda f: f.box[0])


def _shifted(box, dx=0.06, dy=-0.05, grow=1.08):
    """A box as another detector draws the same face: moved and a little larger."""
    x, y, w, h = box
    return (x + dx * w, y + dy * h, w * grow, h * grow)


def _digikam_db(path: Path, dbconfig: Path, engine: Engine, photos: Path) -> Path:
    """digiKam's catalog of the same photos, made before they moved to ``photos``."""
    dk = DigikamDb(path, dbconfig)
    root = dk.root(OLD_ROOT, "volumeid:?uuid=0badc0de-7e57-4000-8000-00000000d1c4")
    albums = {rel: dk.album(root, rel) for rel in ("/", "/people", "/things", "/landscapes",
                                                   "/archive")}
    multi = dk.image(albums["/people"], "multi_face.jpg", photos / "people/multi_face.jpg",
                     rating=4)
    single = dk.image(albums["/people"], "single_face.jpg", photos / "people/single_face.jpg")
    turned = dk.image(albums["/people"], "turned.jpg", photos / "people/turned.jpg",
                      orientation=6)
    coffee = dk.image(albums["/things"], "coffee.png", photos / "things/coffee.png", rating=0)
    rocket = dk.image(albums["/archive"], "rocket-2019.jpg", photos / "things/rocket.jpg")
    landscape = dk.image(albums["/landscapes"], "free-mountain-vector-01.jpg",
                         photos / "landscapes/free-mountain-vector-01.jpg")
    dk.image(albums["/people"], "gone.jpg")
    dk.image(albums["/"], "clip.mp4", category=2)
    a, b, c, d, e = (f.box for f in _faces(engine, "multi_face.jpg"))
    dk.face(multi, dk.person("Zoë Zidane"), _shifted(a))
    dk.face(multi, dk.person("Zoë Zidane"), _shifted(a), "faceToTrain")
    dk.face(multi, dk.person("Bob"), _shifted(b, -0.04, 0.05, 0.95))
    dk.face(multi, dk.person("Bobby"), _shifted(b, 0.05, 0.05))
    dk.face(multi, dk.ignored, _shifted(c), "ignoredFace")
    dk.face(multi, dk.unknown, _shifted(d), "autodetectedFace")
    dk.face(multi, dk.person("Gina"), _shifted(e))
    dk.face(multi, dk.person("Eve"), (1100, 40, 80, 90))
    dk.face(turned, dk.person("Dora"), _shifted(_faces(engine, "single_face.jpg")[0].box))
    dk.face(landscape, dk.person("Carol"), (1500, 120, 110, 140))
    dk.label(landscape, "Scanned for Faces")
    for image, labels in ((multi, ("Pick Label Accepted", "Color Label None")),
                          (single, ("Pick Label None",)),
                          (coffee, ("Pick Label Rejected", "Color Label Red")),
                          (rocket, ("Color Label Blue",))):
        for label in labels:
            dk.label(image, label)
    for image, tag in ((multi, "Events/Wedding"), (single, "Places/北京"),
                       (rocket, "Vehicles/Rocket")):
        dk.tag_image(image, dk.tag(tag))
    dk.close()
    return path


def _by_box(faces: list[FaceRecord], box) -> FaceRecord:
    return max(faces, key=lambda f: iou(f.box, box))


def test_a_digikam_library_comes_in_once_and_digikam_is_only_read(library, dbconfig, tmp_path):
    folder, photos = library
    with Engine(folder) as engine:
        multi_before = _faces(engine, "multi_face.jpg")
        turned_face = _faces(engine, "turned.jpg")[0]
        assert len(multi_before) == 5
        # decided in termkam beforehand: face E is Frank, face B is not Bob
        engine.faces.name([multi_before[4].id], "Frank")
        engine.faces.name([multi_before[1].id], "Bob")
        engine.faces.reject([multi_before[1].id])
        db = _digikam_db(tmp_path / "digikam4.db", dbconfig, engine, photos)
        pristine = hashlib.sha256(db.read_bytes()).hexdigest()
        maps = [(OLD_ROOT, str(photos))]
        before = table_dump(folder / "catalog.db", TABLES)

        dry = import_digikam(engine.library, db, maps, dry_run=True)
        assert table_dump(folder / "catalog.db", TABLES) == before
        report = import_digikam(engine.library, db, maps)
        assert report.as_dict() == {**dry.as_dict(), "dry_run": False}

        assert report.new() == {"persons": 3, "confirmed faces": 3, "ignored faces": 1,
                                "tags": 3, "pick labels": 2, "colour labels": 2, "ratings": 2}
        assert sorted(report.new_persons) == ["Carol", "Dora", "Zoë Zidane"]
        assert (report.photos, report.matched_by_path, report.matched_by_content) == (7, 5, 1)
        assert [Path(u.digikam_path).name for u in report.unmatched] == ["gone.jpg"]
        assert report.unmatched[0].digikam_path == f"{OLD_ROOT}/people/gone.jpg"
        assert report.skipped == {"not photos (videos, audio ...)": 1, NOT_CONFIRMED: 1}
        assert [(u.person, u.reason.split(" (")[0]) for u in report.unplaced] == [
            ("Bobby", "overlaps a face another region names"), ("Eve", "outside the picture")]
        assert [(c.what, c.termkam, c.digikam) for c in report.conflicts] == [
            ("face", f"face #{multi_before[1].id}: Bob was rejected for it in termkam", "Bob"),
            ("face", f"face #{multi_before[4].id} is Frank in termkam", "Gina")]

        multi = _faces(engine, "multi_face.jpg")
        assert [(f.status, f.person if f.status == "confirmed" else None, f.source)
                for f in multi] == [("confirmed", "Zoë Zidane", "detector"),
                                    ("unconfirmed", None, "detector"),
                                    ("ignored", None, "detector"),
                                    ("unconfirmed", None, "detector"),
                                    ("confirmed", "Frank", "detector")]
        turned = _faces(engine, "turned.jpg")
        assert [(f.id, f.status, f.person) for f in turned] == [
            (turned_face.id, "confirmed", "Dora")]
        [carol] = _faces(engine, "free-mountain-vector-01.jpg")
        assert (carol.status, carol.person, carol.source) == ("confirmed", "Carol", "metadata")
        assert iou(carol.box, (1500, 120, 110, 140)) > 0.99
        journal = [action for _, action, _, _ in person_db.journal_last(10)]
        assert "name" in journal and "ignored" in journal

        ids = {Path(r.path).name: r.id for r in engine.images()}
        user_tags = {name: sorted("/".join(t.path) for t in engine.image_tags(iid)
                                  if t.source == "user") for name, iid in ids.items()}
        assert user_tags == {"multi_face.jpg": ["Events/Wedding"],
                             "single_face.jpg": ["Places/北京"],
                             "rocket.jpg": ["Vehicles/Rocket"], "turned.jpg": [],
                             "coffee.png": [], "free-mountain-vector-01.jpg": []}
        assert not [p for p in tag_db.tag_paths().values()
                    if p[0] in ("People", "_Digikam_Internal_Tags_")]
        assert picks.labels() == {ids["multi_face.jpg"]: ("accepted", "user"),
                                  ids["coffee.png"]: ("rejected", "user")}
        assert {name: ratings.rating_and_label(iid) for name, iid in ids.items()
                if ratings.rating_and_label(iid) != (None, None)} == {
            "multi_face.jpg": (4, None), "coffee.png": (0, "red"), "rocket.jpg": (None, "blue")}

        after = table_dump(folder / "catalog.db", TABLES)
        again = import_digikam(engine.library, db, maps)
        assert set(again.new().values()) == {0}
        assert again.already["faces"] == 4 and again.already["tags"] == 3
        assert table_dump(folder / "catalog.db", TABLES) == after
    assert hashlib.sha256(db.read_bytes()).hexdigest() == pristine
    assert sorted(p.name for p in db.parent.glob("digikam4.db*")) == ["digikam4.db"]

    cli = termkam_cli("import", "digikam", str(db), "--map", f"{OLD_ROOT}={photos}",
                      "--json", "--library", str(folder))
    assert cli.returncode == 0, cli.stderr
    assert set(json.loads(cli.stdout)["import"]["new"].values()) == {0}
    text = termkam_cli("import", "digikam", str(db), "--map", f"{OLD_ROOT}={photos}",
                       "--dry-run", "--library", str(folder))
    assert text.returncode == 0, text.stderr
    assert "brought in" not in text.stdout and "would bring in: 0 persons" in text.stdout
    assert f"{OLD_ROOT}/people/gone.jpg" in text.stdout and "Eve" in text.stdout
    assert "dry run: nothing was written" in text.stdout
    assert table_dump(folder / "catalog.db", TABLES) == after


def test_the_schema_is_digikams_own(dbconfig, tmp_path):
    statements, version = schema(dbconfig)
    assert version == 15 and len(statements) > 30
    DigikamDb(tmp_path / "digikam4.db", dbconfig).close()
    with sqlite3.connect(tmp_path / "digikam4.db") as con:
        made = dict(con.execute("SELECT name, type FROM sqlite_master"))
    assert set(TABLES_READ) <= set(made) and made["insert_tagstree"] == "trigger"
    catalog = read_catalog(tmp_path / "digikam4.db")
    assert (catalog.schema_version, catalog.hash_version, catalog.images) == ("15", 2, [])
    assert {t.name for t in catalog.tags.values()} == {"People", "Unknown", "Unconfirmed",
                                                      "Ignored"}


def test_digikam_hash_is_computed_as_digikam_does(objects_set):
    rocket = objects_set["skimage/rocket.jpg"]
    # md5 of the first and last 100 KiB, computed with coreutils: head -c / tail -c | md5sum
    assert unique_hash_v2(str(rocket)) == unique_hash(rocket) == \
        "97274f9ccd00609eb4b1b1df2f94ad3c"


def test_not_a_digikam_database_is_one_line(tmp_path, engine):
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all" * 100)
    with pytest.raises(TermkamError, match="cannot open .* as a digiKam database"):
        import_digikam(engine.library, other)
    with pytest.raises(TermkamError, match="no digiKam database at"):
        import_digikam(engine.library, tmp_path / "missing.db")
    cli = termkam_cli("import", "digikam", str(tmp_path / "x.db"), "--map", "relative=/x")
    assert cli.returncode == 2 and "absolute" in cli.stderr
