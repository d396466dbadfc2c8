"""Scanning real photos: new, unchanged, moved, changed, deleted; thumbnails; tags kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage

from engine.catalog import images, tags
from engine.errors import TermkamError
from tests.helpers import table_dump


def scan(engine, *paths):
    result = engine.scan([str(p) for p in paths]).wait(120)
    assert result is not None and result.state == "done", result
    return result


def test_first_scan_catalogues_every_photo_with_size_and_thumbnail(engine, photo_tree):
    result = scan(engine, photo_tree)
    files = sorted(p for p in photo_tree.rglob("*") if p.is_file())
    assert result.done == len(files) and result.errors == 0
    records = {r.path: r for r in engine.images()}
    assert sorted(records) == sorted(str(p) for p in files)
    for path in files:
        record = records[str(path)]
        with PILImage.open(path) as im:
            assert (record.width, record.height) == im.size
        assert record.status == "ok" and record.content_hash
        thumb = cv2.imdecode(np.frombuffer(engine.thumbnail(record.id), np.uint8),
                            cv2.IMREAD_COLOR)
        assert max(thumb.shape[:2]) == min(256, max(im.size))
        # the thumbnail keeps the photo's aspect ratio
        assert abs(thumb.shape[1] / thumb.shape[0] - im.size[0] / im.size[1]) < 0.02
    albums = {a.relpath: a.image_count for a in engine.albums()}
    assert albums["things/animals"] == 1 and albums["people"] >= 5 and albums[""] == 0


def test_unchanged_rescan_touches_no_row(engine, photo_tree):
    scan(engine, photo_tree)
    before = table_dump(engine.library.catalog_path)
    result = scan(engine)  # no path: every collection
    assert table_dump(engine.library.catalog_path) == before
    assert result.done == 0 and "unchanged" in result.summary


def test_moved_file_keeps_its_id_and_tags(engine, photo_tree):
    scan(engine, photo_tree)
    original = engine.find_image(str(photo_tree / "things" / "coffee.png"))
    with engine.library.writing():
        tags.set_image_tags(original.id, [("Food", "Coffee")], "user")
    (photo_tree / "kitchen").mkdir()
    os.rename(photo_tree / "things" / "coffee.png", photo_tree / "kitchen" / "cup.png")
    result = scan(engine)
    assert "1 moved" in result.summary
    moved = engine.image(original.id)
    assert moved.path == str(photo_tree / "kitchen" / "cup.png") and moved.status == "ok"
    assert [t.path for t in engine.image_tags(original.id)] == [("Food", "Coffee")]
    assert engine.thumbnail(original.id) is not None
    assert len(engine.images()) == len(list(photo_tree.rglob("*.*")))


def test_deleted_file_is_marked_missing_and_comes_back(engine, photo_tree):
    scan(engine, photo_tree)
    target = photo_tree / "things" / "rocket.jpg"
    kept = target.read_bytes(), os.stat(target)
    record = engine.find_image(str(target))
    target.unlink()
    assert "1 missing" in scan(engine).summary
    assert engine.image(record.id).status == "missing"
    assert engine.counts().missing == 1
    target.write_bytes(kept[0])
    os.utime(target, ns=(kept[1].st_atime_ns, kept[1].st_mtime_ns))
    scan(engine)
    assert engine.image(record.id).status == "ok" and engine.counts().missing == 0


def test_changed_file_is_reread_and_its_machine_state_cleared(engine, photo_tree):
    scan(engine, photo_tree)
    target = photo_tree / "landscapes" / "free-mountain-vector-01.jpg"
    before = engine.find_image(str(target))
    pixels = cv2.imread(str(target))
    cv2.imwrite(str(target), cv2.resize(pixels, (640, 360)))
    result = scan(engine)
    assert result.done == 1 and "1 changed" in result.summary
    after = engine.image(before.id)
    assert (after.width, after.height) == (640, 360)
    assert after.content_hash != before.content_hash


def test_a_folder_removed_marks_its_album_and_images_missing(engine, photo_tree):
    scan(engine, photo_tree)
    shutil.rmtree(photo_tree / "things" / "animals")
    scan(engine)
    album = next(a for a in engine.albums() if a.relpath == "things/animals")
    assert album.status == "missing"
    assert [r.status for r in engine.images() if "/animals/" in r.path] == ["missing"]


def test_scan_of_a_missing_folder_is_a_clear_error(engine, tmp_path):
    with pytest.raises(TermkamError, match="not a folder"):
        engine.scan([str(tmp_path / "nowhere")])


def test_raw_files_are_recorded_with_their_metadata(engine, tmp_path, metadata_set):
    # No RAW sample is carried by any package; a DNG is a TIFF with DNG tags, and the
    # scanner must catalogue such files by extension, reading metadata only.
    root = tmp_path / "raw"
    root.mkdir()
    shutil.copy2(metadata_set["pillow/hopper.tif"], root / "IMG_0001.DNG")
    scan(engine, root)
    record = engine.find_image(str(root / "IMG_0001.DNG"))
    assert record.kind == "raw" and record.status == "ok" and record.format == "dng"
    assert (record.width, record.height) == PILImage.open(root / "IMG_0001.DNG").size
    assert images.list_images(status="ok")[0].id == record.id


def test_catalogued_metadata_is_what_exiftool_reports(engine, tmp_path, metadata_set):
    from tests.exiftool import TAGS, exiftool, expected_keywords, iso

    root = tmp_path / "pillow"
    root.mkdir()
    for path in metadata_set.values():
        shutil.copy2(path, root / path.name)
    scan(engine, root)
    reference = {Path(row["SourceFile"]).name: row for row in exiftool(*TAGS, root)}
    damaged = {name for name in reference if not _pillow_loads(root / name)}
    assert damaged == {"ultrahdr.jpg"}  # Pillow's sample stops right after its scan header
    for name, ref in reference.items():
        record = engine.find_image(str(root / name))
        if name in damaged:
            assert record.status == "error" and "truncated" in record.error
            continue
        assert record.status == "ok", name
        assert record.camera_make == ref.get("Make"), name
        assert record.camera_model == ref.get("Model"), name
        assert record.taken_at == iso(ref.get("DateTimeOriginal") or ref.get("CreateDate")), name
        assert record.orientation == ref.get("Orientation", 1), name
        assert record.gps_lat == pytest.approx(ref.get("GPSLatitude"), abs=1e-6), name
        catalogued = {t.path for t in engine.image_tags(record.id) if t.source == "metadata"}
        assert catalogued == set(expected_keywords(ref)), name
    assert len(reference) == len(metadata_set)


def _pillow_loads(path: Path) -> bool:
    try:
        with PILImage.open(path) as image:
            image.load()
        return True
    except OSError:
        return False


def test_sidecar_keywords_are_catalogued_and_a_broken_sidecar_is_passed_over(
        engine, tmp_path, faces_set):
    from tests.exiftool import write

    root = tmp_path / "sidecars"
    root.mkdir()
    for name in ("a.jpg", "b.jpg"):
        shutil.copy2(faces_set["feat/single_face.jpg"], root / name)
    write(root / "a.jpg.xmp", "-XMP-lr:HierarchicalSubject=Places|France|Paris",
          "-XMP-dc:Subject=Paris")
    (root / "b.jpg.xmp").write_text("<x:xmpmeta broken")
    scan(engine, root)
    a = engine.find_image(str(root / "a.jpg"))
    assert [t.path for t in engine.image_tags(a.id)] == [("Places", "France", "Paris")]
    b = engine.find_image(str(root / "b.jpg"))
    assert b.status == "ok" and engine.thumbnail(b.id)
