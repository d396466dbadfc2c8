"""Scanning files written by exiftool in digiKam's and Lightroom's styles: keywords, labels,
stars and face regions come in, a rotated photo's regions land on its face, and a sidecar
edited after the first scan is picked up by a plain rescan without undoing what the user
decided in termkam."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from engine.faces.geometry import iou
from engine.metadata import read_sidecar_for
from engine.walk import walk
from tests.helpers import run_job, table_dump
from tests.xmp_styles import mp_regions, mwg_regions, write_each

SEEN_TABLES = ("image", "image_tag", "pick_label", "face", "person", "metadata_seen")


def scan(engine, root: Path):
    result = engine.scan([str(root)]).wait(120)
    assert result is not None and result.state == "done", result
    return result


def tags_of(engine, image_id: int) -> set[tuple[str, str]]:
    return {("/".join(t.path), t.source) for t in engine.image_tags(image_id)}


def details(engine, path: Path):
    return engine.browse.details(engine.find_image(str(path)).id)


def normalised(engine, face) -> tuple[float, float, float, float]:
    record = engine.image(face.image_id)
    x, y, w, h = face.box
    return (x / record.width, y / record.height, w / record.width, h / record.height)


def embedded(engine, face_id: int) -> bool:
    with closing(sqlite3.connect(engine.library.catalog_path)) as con:
        return con.execute("SELECT COUNT(*) FROM face_embedding WHERE face_id = ?",
                           (face_id,)).fetchone()[0] == 1


def test_digikam_and_lightroom_files_are_read_and_a_file_label_is_the_users(
        engine, tmp_path, faces_set):
    root = tmp_path / "styles"
    root.mkdir()
    for name in ("dk.jpg", "lr.jpg"):
        shutil.copy2(faces_set["feat/single_face.jpg"], root / name)
    face = (0.3, 0.2, 0.35, 0.45)
    write_each([
        (root / "dk.jpg.xmp", ["-XMP-digiKam:TagsList=People/Zoë Zidane",
                               "-XMP-digiKam:TagsList=Places/France/Paris",
                               "-XMP-digiKam:PickLabel=1", "-XMP-digiKam:ColorLabel=4",
                               "-XMP-xmp:Rating=3", mwg_regions([(face, "Zoë Zidane")])]),
        (root / "lr.xmp", ["-XMP-lr:HierarchicalSubject=Trips|Rome", "-XMP-xmp:Label=Purple",
                           "-XMP-xmp:Rating=5", mp_regions([(face, "北京 Person")])]),
    ])
    scan(engine, root)
    dk, lr = details(engine, root / "dk.jpg"), details(engine, root / "lr.jpg")
    # People/<name> beside a region of that name is the person (a face below), not a tag
    assert tags_of(engine, dk.record.id) == {("Places/France/Paris", "metadata")}
    assert (dk.pick, dk.rating, dk.color_label) == ("rejected (by you)", 3, "green")
    assert tags_of(engine, lr.record.id) == {("Trips/Rome", "metadata")}
    assert (lr.pick, lr.rating, lr.color_label) == (None, 5, "magenta")
    for record, person in ((dk, "Zoë Zidane"), (lr, "北京 Person")):
        faces = engine.faces.find(image_id=record.record.id)
        assert [(f.status, f.person, f.source) for f in faces] == [
            ("confirmed", person, "metadata")]                 # no detection ran
        assert normalised(engine, faces[0]) == pytest.approx(face, abs=0.002)
        assert not embedded(engine, faces[0].id) and engine.faces.thumbnail(faces[0].id)

    run_job(engine, "quality.sort")
    assert details(engine, root / "dk.jpg").pick == "rejected (by you)"  # never overwritten


def stored_box(box: tuple[float, float, float, float], orientation: int
               ) -> tuple[float, float, float, float]:
    """Where a box of the upright picture lies in a picture stored turned for orientation 6
    (turned a quarter anticlockwise) or 8 (clockwise), worked out by hand."""
    x, y, w, h = box
    return (y, 1 - x - w, h, w) if orientation == 6 else (1 - y - h, x, h, w)


def test_a_rotated_photos_regions_land_on_its_face(engine, tmp_path, faces_set):
    import cv2

    root = tmp_path / "turned"
    root.mkdir()
    upright = cv2.imread(str(faces_set["feat/single_face.jpg"]))
    cv2.imwrite(str(root / "upright.jpg"), upright, [cv2.IMWRITE_JPEG_QUALITY, 95])
    scan(engine, root)
    run_job(engine, "faces.detect")
    [detected] = engine.faces.find()
    face = normalised(engine, detected)

    turns = {6: cv2.ROTATE_90_COUNTERCLOCKWISE, 8: cv2.ROTATE_90_CLOCKWISE}
    for orientation, turn in turns.items():
        cv2.imwrite(str(root / f"o{orientation}.jpg"), cv2.rotate(upright, turn),
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
    write_each([
        (root / "o6.jpg", ["-Orientation#=6"]),       # digiKam: MWG in photo.jpg.xmp
        (root / "o6.jpg.xmp", [mwg_regions([(stored_box(face, 6), "Ada")])]),
        (root / "o8.jpg", ["-Orientation#=8"]),       # Lightroom: MP in photo.xmp
        (root / "o8.xmp", [mp_regions([(stored_box(face, 8), "Bea")])]),
    ])
    scan(engine, root)
    for name, person in (("o6.jpg", "Ada"), ("o8.jpg", "Bea")):
        [made] = engine.faces.find(image_id=engine.find_image(str(root / name)).id)
        assert (made.person, made.source) == (person, "metadata")
        assert iou(made.box, detected.box) > 0.95, (name, made.box, detected.box)

    run_job(engine, "faces.detect")                   # finds the same faces: no duplicates
    for name, person in (("o6.jpg", "Ada"), ("o8.jpg", "Bea")):
        [found] = engine.faces.find(image_id=engine.find_image(str(root / name)).id)
        assert (found.person, found.status, found.source) == (person, "confirmed", "detector")
        assert iou(found.box, detected.box) > 0.8 and embedded(engine, found.id)


def test_an_edited_sidecar_is_picked_up_by_a_plain_rescan(engine, tmp_path, faces_set):
    root = tmp_path / "edited"
    root.mkdir()
    photo = root / "group.jpg"
    shutil.copy2(faces_set["feat/multi_face.jpg"], photo)
    sidecar = root / "group.jpg.xmp"
    scan(engine, root)
    run_job(engine, "faces.detect")
    detected = sorted(engine.faces.find(), key=lambda f: f.box[0])
    assert len(detected) == 5
    ann, bob, eve = (normalised(engine, f) for f in detected[:3])
    corner = (0.01, 0.01, 0.06, 0.08)                 # no face there

    write_each([(sidecar, ["-XMP-digiKam:TagsList=Places/Paris", "-XMP-digiKam:PickLabel=2",
                           "-XMP-xmp:Rating=2", "-XMP-digiKam:ColorLabel=1",
                           mwg_regions([(ann, "Ann"), (bob, "Bob")])])])
    first = scan(engine, root)
    assert "1 changed" in first.summary and "new picture" not in first.summary
    image_id = engine.find_image(str(photo)).id
    by_id = {f.id: f for f in engine.faces.find(image_id=image_id)}
    assert len(by_id) == 5                            # matched to the detected faces
    assert [by_id[f.id].person for f in detected[:3]] == ["Ann", "Bob", None]
    engine.faces.name([detected[1].id], "Carl")       # the user decides otherwise
    engine.browse.set_pick([image_id], "accepted")

    write_each([(sidecar, ["-XMP-digiKam:TagsList=Places/Rome", "-XMP-xmp:Rating=4",
                           "-XMP-digiKam:ColorLabel=5",
                           mwg_regions([(ann, "Anna"), (bob, "Bobby"), (eve, "Eve"),
                                        (corner, "Dora")])])])
    before = table_dump(engine.library.catalog_path, SEEN_TABLES)
    second = scan(engine, root)
    assert "1 changed" in second.summary and "new picture" not in second.summary
    assert table_dump(engine.library.catalog_path, SEEN_TABLES) != before
    info = details(engine, photo)
    assert tags_of(engine, image_id) == {("Places/Rome", "metadata")}
    assert (info.rating, info.color_label) == (4, "blue")
    assert info.pick == "accepted (by you)"           # the file's label did not change
    faces = {f.id: f for f in engine.faces.find(image_id=image_id)}
    assert faces[detected[0].id].person == "Anna"     # renamed in the file: follows
    assert faces[detected[1].id].person == "Carl"     # the user's decision stays
    assert (faces[detected[2].id].status, faces[detected[2].id].person) == ("confirmed", "Eve")
    [dora] = [f for f in faces.values() if f.id not in by_id]
    assert (dora.person, dora.status, dora.source) == ("Dora", "confirmed", "metadata")
    assert normalised(engine, dora) == pytest.approx(corner, abs=0.002)
    assert not embedded(engine, dora.id) and not any(f.superseded for f in faces.values())
    run_job(engine, "faces.rebuild")                  # embeds the face made from the region
    assert embedded(engine, dora.id)

    unchanged = table_dump(engine.library.catalog_path, SEEN_TABLES)
    assert "unchanged" in scan(engine, root).summary
    assert table_dump(engine.library.catalog_path, SEEN_TABLES) == unchanged

    write_each([(sidecar, ["-XMP-digiKam:PickLabel=1"])])
    scan(engine, root)
    assert details(engine, photo).pick == "rejected (by you)"  # changed in the file: wins

    sidecar.unlink()
    assert "1 changed" in scan(engine, root).summary
    info = details(engine, photo)
    assert tags_of(engine, image_id) == set()
    assert (info.pick, info.rating, info.color_label) == (None, None, None)
    assert len(engine.faces.find(image_id=image_id, status="confirmed")) == 4  # kept


def test_a_new_sidecar_makes_the_photo_changed(engine, tmp_path, metadata_set):
    root = tmp_path / "new"
    root.mkdir()
    shutil.copy2(metadata_set["pillow/flower.jpg"], root / "flower.jpg")
    scan(engine, root)
    assert "unchanged" in scan(engine, root).summary
    write_each([(root / "flower.xmp", ["-XMP-lr:HierarchicalSubject=Garden|Flowers"])])
    assert "1 changed" in scan(engine, root).summary
    image_id = engine.find_image(str(root / "flower.jpg")).id
    assert tags_of(engine, image_id) == {("Garden/Flowers", "metadata")}


def test_the_walk_notes_the_sidecar_the_reader_reads(tmp_path, metadata_set):
    names = ["a.jpg.XMP", "a.xmp", "b.XMP", "c.jpg.xmp", "c.XMP"]
    for photo in ("a.jpg", "b.jpg", "c.jpg", "d.jpg"):
        shutil.copy2(metadata_set["pillow/flower.jpg"], tmp_path / photo)
    for name in names:
        (tmp_path / name).write_text(name)
    seen = {f.name: f.sidecar for f in walk(str(tmp_path)).files}
    assert {name: side.name if side else None for name, side in seen.items()} == {
        "a.jpg": "a.jpg.XMP", "b.jpg": "b.XMP", "c.jpg": "c.jpg.xmp", "d.jpg": None}
    for name, side in seen.items():
        expected = side.name.encode() if side else None
        assert read_sidecar_for(tmp_path / name) == expected
        if side:
            stat = (tmp_path / side.name).stat()
            assert (side.size, side.mtime_ns) == (stat.st_size, stat.st_mtime_ns)


def test_a_broken_sidecar_is_one_line_and_takes_nothing_away(tmp_path, metadata_set):
    from engine.engine import Engine
    from tests.helpers import termkam_cli

    root, library = tmp_path / "broken", tmp_path / "library"
    root.mkdir()
    shutil.copy2(metadata_set["pillow/flower.jpg"], root / "kept.jpg")
    write_each([(root / "kept.jpg.xmp", ["-XMP-digiKam:TagsList=Trips/Rome",
                                         "-XMP-digiKam:PickLabel=3", "-XMP-xmp:Rating=4"])])
    assert termkam_cli("--library", str(library), "scan", str(root)).returncode == 0
    (root / "kept.jpg.xmp").write_text("<x:xmpmeta><rdf:RDF><broken")
    shutil.copy2(metadata_set["pillow/iptc.jpg"], root / "new.jpg")
    (root / "new.xmp").write_bytes(b"\x00\xff not XMP at all")

    run = termkam_cli("--library", str(library), "scan")
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if ".xmp" in line]
    assert len(lines) == 2 and "Traceback" not in run.stderr, run.stderr
    for name in ("kept.jpg", "new.jpg"):
        sidecar = "kept.jpg.xmp" if name == "kept.jpg" else "new.xmp"
        assert any(line.startswith(f"note: {root / name}: unreadable XMP sidecar {sidecar}: ")
                   for line in lines), lines
    assert "1 new, 1 changed" in run.stdout and "2 unreadable XMP sidecars" in run.stdout
    with Engine(library) as engine:
        job_id = engine.jobs(1)[0].id
        kept = engine.find_image(str(root / "kept.jpg"))
        assert tags_of(engine, kept.id) == {("Trips/Rome", "metadata")}  # as it was
        info = engine.browse.details(kept.id)
        assert (info.pick, info.rating) == ("accepted (by you)", 4)
        new = engine.find_image(str(root / "new.jpg"))
        assert new.status == "ok" and ("Budapest", "metadata") in tags_of(engine, new.id)
    shown = termkam_cli("--library", str(library), "jobs", "show", str(job_id)).stdout
    assert sum(line.startswith(f"  {root}/") and "unreadable XMP sidecar" in line
               for line in shown.splitlines()) == 2, shown
