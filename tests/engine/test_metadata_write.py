"""Writing decisions back: what exiftool reads in the sidecars and files termkam writes, how
termkam's values merge with other tools' (never clobbering them), and what stays untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.engine import Engine
from engine.metadata.orientation import stored_to_displayed
from engine.metadata.write import Owned, Region, Wanted, merge
from tests.exiftool import as_list, exiftool, write
from tests.helpers import run_job, termkam_cli

ZOE, BEIJING = "Zoë Zidane", "北京 Person"
# root writes anywhere: drop the capabilities that let it, to meet a read-only folder.
AS_USER = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
           "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _iou(a, b) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


@pytest.fixture
def named(tmp_path, faces_set, metadata_set):
    """A library of a group photo, a photo stored turned (EXIF orientation 6) and a RAW
    file (a TIFF-based DNG); faces detected, two of them named in other scripts, a tag,
    a pick label by hand."""
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(faces_set["feat/multi_face.jpg"], photos / "group.jpg")
    upright = cv2.imread(str(faces_set["feat/single_face.jpg"]))
    cv2.imwrite(str(photos / "turned.jpg"), cv2.rotate(upright, cv2.ROTATE_90_COUNTERCLOCKWISE))
    write(photos / "turned.jpg", "-Orientation#=6")
    shutil.copy(metadata_set["pillow/hopper.tif"], photos / "raw.dng")
    engine = Engine(tmp_path / "library")
    assert engine.scan([str(photos)]).wait(120).state == "done"
    run_job(engine, "faces.detect")
    group = engine.find_image(str(photos / "group.jpg"))
    turned = engine.find_image(str(photos / "turned.jpg"))
    engine.faces.name([engine.faces.find(image_id=group.id)[0].id], ZOE)
    engine.faces.name([engine.faces.find(image_id=turned.id)[0].id], BEIJING)
    engine.tags.add(group.id, ["Trips", "Paris"])
    raw = engine.find_image(str(photos / "raw.dng"))
    engine.tags.add(raw.id, ["Scans"])
    engine.browse.set_pick([group.id], "accepted")
    yield engine, photos
    engine.close()


def test_sidecars_hold_names_regions_tags_and_labels_as_exiftool_reads_them(named):
    engine, photos = named
    originals = {p.name: _sha(p) for p in photos.iterdir()}
    run_job(engine, "metadata.write", mode="all", to="sidecar")
    assert {p.name: _sha(p) for p in photos.iterdir() if p.suffix != ".xmp"} == originals
    group, turned, raw = (exiftool(photos / f"{name}.xmp")[0]
                          for name in ("group.jpg", "turned.jpg", "raw.dng"))
    assert as_list(group["TagsList"]) == ["Trips/Paris", f"People/{ZOE}"]
    assert as_list(group["HierarchicalSubject"]) == ["Trips|Paris", f"People|{ZOE}"]
    assert as_list(group["Subject"]) == ["Paris", ZOE]
    assert group["PickLabel"] == 3
    assert as_list(group["RegionName"]) == [ZOE] == as_list(group["RegionPersonDisplayName"])
    assert group["RegionType"] == "Face" and group["RegionAreaUnit"] == "normalized"
    assert (group["RegionAppliedToDimensionsW"], group["RegionAppliedToDimensionsH"]) == (
        1000, 667)
    assert as_list(turned["RegionName"]) == [BEIJING]
    assert as_list(raw["TagsList"]) == ["Scans"]   # a RAW file always gets a sidecar
    for row in (group, turned):                     # MWG and MP say the same place
        cx, cy, w, h = (row[f"RegionArea{c}"] for c in "XYWH")
        rect = [float(v) for v in str(row["RegionRectangle"]).split(",")]
        assert np.allclose(rect, [cx - w / 2, cy - h / 2, w, h], atol=1e-5)


def test_a_turned_photos_region_lands_on_the_face_where_viewers_show_it(named):
    """MWG regions apply to the stored image: rotated by its orientation, the written region
    lands on the face termkam found on the upright photo."""
    engine, photos = named
    run_job(engine, "metadata.write", mode="all", to="sidecar")
    row = exiftool(photos / "turned.jpg.xmp")[0]
    cx, cy, w, h = (row[f"RegionArea{c}"] for c in "XYWH")
    record = engine.find_image(str(photos / "turned.jpg"))
    face = engine.faces.find(image_id=record.id)[0]
    width, height = record.height, record.width     # displayed: turned a quarter
    shown = stored_to_displayed((cx - w / 2, cy - h / 2, w, h), record.orientation)
    x, y, bw, bh = face.box
    assert _iou(shown, (x / width, y / height, bw / width, bh / height)) > 0.95
    assert (row["RegionAppliedToDimensionsW"], row["RegionAppliedToDimensionsH"]) == (
        record.width, record.height)               # the stored size


def test_into_the_file_only_the_metadata_changes(named, metadata_set):
    engine, photos = named
    shutil.copy(metadata_set["pillow/flower.jpg"], photos / "canon.jpg")
    assert engine.scan().wait(60).state == "done"
    canon = engine.find_image(str(photos / "canon.jpg"))
    engine.tags.add(canon.id, ["Garden"])
    before_pixels = cv2.imread(str(photos / "canon.jpg"))
    before = exiftool(photos / "canon.jpg")[0]
    run_job(engine, "metadata.write", mode="all", to="file", images=[canon.id])
    after = exiftool(photos / "canon.jpg")[0]
    assert np.array_equal(cv2.imread(str(photos / "canon.jpg")), before_pixels)
    assert as_list(after["Keywords"]) == ["Garden"]
    assert after["CodedCharacterSet"] == "\x1b%G"   # UTF-8, for IPTC readers
    kept = {k: v for k, v in before.items() if not k.startswith(("File", "Directory"))}
    assert {k: after.get(k) for k in kept} == kept  # the camera's metadata is untouched
    assert not (photos / "canon.jpg.xmp").exists()
    rescan = engine.scan().wait(60)
    assert rescan.state == "done" and rescan.summary.startswith("4 unchanged")  # it knows


def test_other_tools_values_stay_and_only_termkams_own_values_go(tmp_path, faces_set):
    photo = tmp_path / "p.jpg"
    shutil.copy(faces_set["feat/multi_face.jpg"], photo)
    write(photo, "-XMP-digiKam:TagsList=Family/Mum", "-XMP-dc:Subject=Mum",
          "-XMP-digiKam:ColorLabel=2", "-RegionInfo={AppliedToDimensions={W=1000,H=667,"
          "Unit=pixel},RegionList=[{Area={X=0.3,Y=0.2,W=0.1,H=0.15,Unit=normalized},Name=Mum,"
          "Type=Face},{Area={X=0.6,Y=0.2,W=0.1,H=0.1,Unit=normalized},Name=Rex,Type=Pet}]}")
    wanted = Wanted((("People", ZOE), ("People", "Mum")),
                    (Region(ZOE, 0.5, 0.5, 0.1, 0.1), Region("Mum", 0.25, 0.125, 0.1, 0.15)),
                    (1000, 667), "pending")
    first = merge(photo.read_bytes(), wanted, Owned(), into_file=True)
    photo.write_bytes(first.data)
    row = exiftool(photo)[0]
    assert as_list(row["RegionName"]) == ["Mum", "Rex", ZOE]  # Mum is not marked twice
    assert as_list(row["TagsList"]) == ["Family/Mum", f"People/{ZOE}", "People/Mum"]
    assert row["ColorLabel"] == 2 and row["PickLabel"] == 2
    again = merge(first.data, wanted, first.owned, into_file=True)
    assert again.changes == [] and again.data == first.data   # idempotent
    gone = merge(first.data, Wanted(), first.owned, into_file=True)
    photo.write_bytes(gone.data)
    row = exiftool(photo)[0]
    assert as_list(row["RegionName"]) == ["Mum", "Rex"] and row["RegionType"] == ["Face", "Pet"]
    assert as_list(row["TagsList"]) == ["Family/Mum"] and as_list(row["Subject"]) == ["Mum"]
    assert "PickLabel" not in row and row["ColorLabel"] == 2


def test_a_broken_sidecar_is_left_untouched_and_reported(named):
    engine, photos = named
    (photos / "group.jpg.xmp").write_bytes(b"<x:xmpmeta this is not xml")
    broken = (photos / "group.jpg.xmp").read_bytes()
    result = run_job(engine, "metadata.write", mode="all", to="sidecar")
    assert result.errors == 1 and (photos / "group.jpg.xmp").read_bytes() == broken
    [error] = engine.job_errors(result.job_id)
    assert error.path.endswith("group.jpg") and "left as it is" in error.reason
    assert (photos / "turned.jpg.xmp").exists()                 # the job went on


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                    reason="needs setpriv to write as a user without root's file access")
def test_a_read_only_folder_is_an_item_error_and_the_job_goes_on(named, tmp_path):
    engine, photos = named
    engine.close()
    locked = photos / "locked"
    locked.mkdir()
    shutil.copy(photos / "group.jpg", locked / "copy.jpg")
    library = str(tmp_path / "library")
    assert termkam_cli("--library", library, "scan", prefix=AS_USER).returncode == 0
    assert termkam_cli("--library", library, "tags", "add", str(locked / "copy.jpg"),
                       "Holiday").returncode == 0
    os.chmod(locked, 0o555)
    try:
        run = termkam_cli("--library", library, "metadata", "write", "--mode", "all",
                          prefix=AS_USER)
    finally:
        os.chmod(locked, 0o755)
    assert run.returncode == 3, run.stdout + run.stderr   # done, one item failed
    assert f"error: {locked / 'copy.jpg'}: cannot write copy.jpg.xmp: Permission denied" \
        in run.stderr
    assert (photos / "group.jpg.xmp").exists() and not (locked / "copy.jpg.xmp").exists()
    assert "1 error" in run.stdout and "1 errors" not in run.stdout


def test_dry_run_says_what_would_change_and_writes_nothing(named):
    engine, photos = named
    library = str(engine.library.folder)
    engine.close()
    run = termkam_cli("--library", library, "metadata", "write", "--dry-run")
    assert run.returncode == 0, run.stderr
    assert f"{photos / 'group.jpg'}: TagsList + Trips/Paris; TagsList + People/{ZOE}" \
        in run.stdout
    assert "nothing was written" in run.stdout
    assert not list(photos.glob("*.xmp"))


def test_with_write_back_on_each_decision_reaches_the_sidecar(named):
    engine, photos = named
    library = str(engine.library.folder)
    group = engine.find_image(str(photos / "group.jpg"))
    face = engine.faces.find(image_id=group.id, status="unconfirmed")[0]
    engine.close()
    cli = ("--library", library)
    assert termkam_cli(*cli, "metadata", "settings", "write_back", "sidecar").returncode == 0
    named_run = termkam_cli(*cli, "faces", "name", "Ann", str(face.id))
    assert named_run.returncode == 0 and "write-back done: 1 sidecar written" in named_run.stderr
    assert "People/Ann" in as_list(exiftool(photos / "group.jpg.xmp")[0]["TagsList"])
    renamed = termkam_cli(*cli, "faces", "rename", "Ann", "Anne")
    assert renamed.returncode == 0, renamed.stderr
    row = exiftool(photos / "group.jpg.xmp")[0]
    assert "People/Anne" in as_list(row["TagsList"]) and "Ann" not in as_list(row["RegionName"])
    assert termkam_cli(*cli, "tags", "remove", str(photos / "group.jpg"),
                       "Trips/Paris").returncode == 0
    assert "Trips/Paris" not in as_list(exiftool(photos / "group.jpg.xmp")[0]["TagsList"])
    assert sorted(p.name for p in photos.glob("*.xmp")) == [  # the photos decided about
        "group.jpg.xmp", "raw.dng.xmp", "turned.jpg.xmp"]


def test_off_by_default_no_file_changes(named):
    engine, photos = named
    face = engine.faces.find(status="unconfirmed")[0]
    engine.faces.name([face.id], "Somebody")
    assert engine.write_pending() is None
    assert not list(photos.glob("*.xmp"))


def test_a_fresh_library_reading_the_written_sidecars_gets_the_same_decisions(named, tmp_path):
    engine, photos = named
    run_job(engine, "metadata.write", mode="all", to="sidecar")
    first = _decisions(engine)
    engine.close()
    with Engine(tmp_path / "fresh") as fresh:
        assert fresh.scan([str(photos)]).wait(120).state == "done"
        again = _decisions(fresh)
    assert again["persons"] == first["persons"] == {ZOE, BEIJING}
    assert again["labels"] == first["labels"] and again["tags"] == first["tags"]
    for path, faces in first["faces"].items():
        found = again["faces"][path]
        assert [name for name, _ in found] == [name for name, _ in faces]
        assert all(_iou(a, b) > 0.95 for (_, a), (_, b) in zip(found, faces, strict=True))


def _decisions(engine: Engine) -> dict:
    records = engine.images()
    faces = {}
    for record in records:
        named = [(f.person, f.box) for f in engine.faces.find(image_id=record.id,
                                                              status="confirmed")]
        if named:
            faces[record.path] = sorted(named)
    return {"persons": {p.name for p in engine.faces.persons() if p.confirmed},
            "faces": faces,
            "tags": {(r.path, "/".join(t.path)) for r in records
                     for t in engine.image_tags(r.id)},
            "labels": {r.path: engine.browse.details(r.id).pick for r in records}}
