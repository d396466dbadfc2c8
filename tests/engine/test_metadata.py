"""engine.metadata against real files, cross-checked with exiftool as an independent reader."""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine.errors import ItemError
from engine.metadata import EMPTY, FaceRegion, PhotoMetadata, read_metadata, read_sidecar_for
from engine.samples import SETS, fetch_set
from tests.exiftool import TAGS, as_list, exiftool, expected_keywords, iso, write


@pytest.fixture(scope="module")
def metadata_files() -> dict[str, Path]:
    return fetch_set("metadata")


@pytest.fixture(scope="module")
def reference(metadata_files: dict[str, Path]) -> dict[str, dict]:
    rows = exiftool(*TAGS, *metadata_files.values())
    return {Path(row["SourceFile"]).name: row for row in rows}


def test_metadata_set_matches_exiftool(metadata_files: dict[str, Path], reference: dict) -> None:
    assert len(metadata_files) == len(SETS["metadata"]) >= 15
    for key, path in metadata_files.items():
        meta = read_metadata(path.read_bytes())
        ref = reference[path.name]
        assert meta.camera_make == ref.get("Make"), key
        assert meta.camera_model == ref.get("Model"), key
        assert meta.lens == ref.get("LensModel"), key
        assert meta.taken_at == iso(ref.get("DateTimeOriginal") or ref.get("CreateDate")), key
        assert meta.orientation == ref.get("Orientation", 1), key
        assert (meta.width, meta.height) == (ref["ImageWidth"], ref["ImageHeight"]), key
        assert meta.keywords == expected_keywords(ref), key
        for ours, theirs in ((meta.gps_lat, "GPSLatitude"), (meta.gps_lon, "GPSLongitude"),
                             (meta.gps_alt, "GPSAltitude")):
            assert ours == pytest.approx(ref.get(theirs), abs=1e-6), (key, theirs)
        assert meta.face_regions == ()


def test_sample_files_cover_what_they_are_for(metadata_files: dict[str, Path]) -> None:
    for n in range(2, 9):
        path = metadata_files[f"pillow/hopper_orientation_{n}.jpg"]
        assert read_metadata(path.read_bytes()).orientation == n
    gps = read_metadata(metadata_files["pillow/ultrahdr.jpg"].read_bytes())
    assert gps.gps_lat is not None and gps.gps_lon is not None and gps.gps_alt is not None
    west = read_metadata(metadata_files["pillow/ifd_tag_type.tiff"].read_bytes())
    assert west.gps_lon is not None and west.gps_lon < 0
    iptc = read_metadata(metadata_files["pillow/iptc.jpg"].read_bytes())
    assert ("Budapest",) in iptc.keywords and ("2006",) in iptc.keywords
    xmp_only = read_metadata(metadata_files["pillow/flower2.jpg"].read_bytes())
    assert xmp_only.taken_at is not None and xmp_only.camera_make is None
    flower = read_metadata(metadata_files["pillow/flower.jpg"].read_bytes())
    assert (flower.width, flower.height) == (480, 360)  # EXIF PixelXDimension says 2272


def test_iptc_charsets_match_exiftool(tmp_path: Path, metadata_files: dict[str, Path]) -> None:
    latin = tmp_path / "latin.jpg"
    utf8 = tmp_path / "utf8.jpg"
    shutil.copy(metadata_files["pillow/hopper_orientation_3.jpg"], latin)
    shutil.copy(latin, utf8)
    write(latin, "-IPTC:Keywords=Café", "-IPTC:Keywords=Zürich")
    write(utf8, "-charset", "iptc=utf8", "-IPTC:CodedCharacterSet=UTF8",
          "-IPTC:Keywords=Café", "-IPTC:Keywords=日本")
    assert b"Caf\xe9" in latin.read_bytes()
    for path in (latin, utf8):
        expected = tuple((k,) for k in as_list(exiftool("-Keywords", path)[0]["Keywords"]))
        assert read_metadata(path.read_bytes()).keywords == expected
        assert ("Café",) in expected


def test_sidecar_paths_merge_with_file_keywords(tmp_path: Path,
                                                metadata_files: dict[str, Path]) -> None:
    photo = tmp_path / "photo.jpg"
    shutil.copy(metadata_files["pillow/iptc.jpg"], photo)
    sidecar = tmp_path / "photo.jpg.xmp"
    write(sidecar, "-XMP-lr:HierarchicalSubject=Places|Hungary|Budapest",
          "-XMP-lr:HierarchicalSubject=People|Alice", "-XMP-digiKam:TagsList=Events/Trip 2006",
          "-XMP-digiKam:TagsList=A// B ", "-XMP-dc:Subject=Alice", "-XMP-dc:Subject= spaced ")
    written = exiftool("-HierarchicalSubject", "-TagsList", sidecar)[0]
    assert "People|Alice" in written["HierarchicalSubject"]
    assert "Events/Trip 2006" in written["TagsList"]

    meta = read_metadata(photo.read_bytes(), read_sidecar_for(photo))
    assert meta.keywords[:4] == (("Events", "Trip 2006"), ("A", "B"),
                                 ("Places", "Hungary", "Budapest"), ("People", "Alice"))
    assert ("spaced",) in meta.keywords and ("summer",) in meta.keywords
    assert ("Budapest",) not in meta.keywords and ("Alice",) not in meta.keywords
    assert len(set(meta.keywords)) == len(meta.keywords)
    assert meta.camera_model == read_metadata(photo.read_bytes()).camera_model


def test_sidecar_naming_and_odd_file_names(tmp_path: Path, metadata_files: dict[str, Path]) -> None:
    odd = tmp_path / os.fsdecode(b"caf\xe9 \xff.jpg")
    shutil.copy(metadata_files["pillow/flower.jpg"], odd)
    assert read_sidecar_for(odd) is None
    lightroom = odd.with_suffix(".xmp")
    write(tmp_path / "lr.xmp", "-XMP-lr:HierarchicalSubject=Trips|Rome")
    shutil.copy(tmp_path / "lr.xmp", lightroom)
    assert read_metadata(odd.read_bytes(), read_sidecar_for(odd)).keywords == (("Trips", "Rome"),)
    digikam = odd.with_name(odd.name + ".xmp")
    write(tmp_path / "dk.xmp", "-XMP-digiKam:TagsList=Trips/Paris")
    shutil.copy(tmp_path / "dk.xmp", digikam)
    assert read_metadata(odd.read_bytes(), read_sidecar_for(odd)).keywords == (("Trips", "Paris"),)


REGIONS = ("-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=480,H=360,Unit=pixel},RegionList=["
           "{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Alice Liddell,Type=Face},"
           "{Area={X=0.25,Y=0.75,W=0.1,H=0.12,Unit=normalized},Type=Face},"
           "{Area={X=0.8,Y=0.8,W=0.1,H=0.1,Unit=normalized},Name=Rex,Type=Pet},"
           "{Area={X=0.5,Y=0.5,W=0,H=0.1,Unit=normalized},Name=Flat,Type=Face}]}")


def test_mwg_face_regions_written_by_exiftool(tmp_path: Path,
                                              metadata_files: dict[str, Path]) -> None:
    photo = tmp_path / "faces.jpg"
    shutil.copy(metadata_files["pillow/flower.jpg"], photo)
    write(photo, REGIONS)
    info = exiftool("-struct", "-RegionInfo", photo)[0]["RegionInfo"]
    expected = tuple(
        FaceRegion(r.get("Name"), r["Area"]["X"] - r["Area"]["W"] / 2,
                   r["Area"]["Y"] - r["Area"]["H"] / 2, r["Area"]["W"], r["Area"]["H"])
        for r in info["RegionList"] if r["Type"] == "Face" and r["Area"]["W"] > 0)
    meta = read_metadata(photo.read_bytes())
    assert len(meta.face_regions) == len(expected) == 2
    for ours, theirs in zip(meta.face_regions, expected, strict=True):
        assert ours.name == theirs.name
        assert (ours.x, ours.y, ours.w, ours.h) == pytest.approx(
            (theirs.x, theirs.y, theirs.w, theirs.h))
    assert meta.face_regions[0].name == "Alice Liddell"
    assert (meta.face_regions[0].x, meta.face_regions[0].y) == pytest.approx((0.4, 0.25))

    sidecar = tmp_path / "side.xmp"
    write(sidecar, REGIONS)
    bare = tmp_path / "bare.jpg"
    shutil.copy(metadata_files["pillow/flower.jpg"], bare)
    assert read_metadata(bare.read_bytes(), sidecar.read_bytes()).face_regions == meta.face_regions
    both = read_metadata(photo.read_bytes(), sidecar.read_bytes())
    assert both.face_regions == meta.face_regions


def test_invalid_dates_fall_back_to_the_next_source(tmp_path: Path,
                                                    metadata_files: dict[str, Path]) -> None:
    photo = tmp_path / "dates.tif"
    shutil.copy(metadata_files["pillow/hopper.tif"], photo)
    write(photo, "-n", "-EXIF:DateTimeOriginal=0000:00:00 00:00:00",
          "-XMP-xmp:CreateDate=2011:02:03 04:05:06+01:00",
          "-IPTC:DateCreated=2010:01:02", "-IPTC:TimeCreated=10:11:12+00:00")
    ref = exiftool("-DateTimeOriginal", "-XMP:CreateDate", "-DateCreated", "-TimeCreated", photo)[0]
    assert ref["DateTimeOriginal"].startswith("0000")
    assert read_metadata(photo.read_bytes()).taken_at == iso(ref["CreateDate"])
    write(photo, "-XMP-xmp:CreateDate=")
    iptc_only = iso(f"{ref['DateCreated']} {ref['TimeCreated']}")
    assert read_metadata(photo.read_bytes()).taken_at == iptc_only == "2010-01-02T10:11:12"


def test_bad_input_is_a_one_line_item_error(metadata_files: dict[str, Path]) -> None:
    jpeg = metadata_files["pillow/flower.jpg"].read_bytes()
    for bad in (b"", b"just some text, not a photo\n" * 20, jpeg[:1000]):
        with pytest.raises(ItemError) as info:
            read_metadata(bad)
        message = str(info.value)
        assert message.startswith("unreadable metadata: ") and "\n" not in message
    with pytest.raises(ItemError, match="^unreadable XMP sidecar: "):
        read_metadata(jpeg, b"<x:xmpmeta><rdf:RDF><broken")
    assert read_metadata(jpeg[: len(jpeg) // 2]).camera_model == "Canon PowerShot S40"


def test_empty_default() -> None:
    assert PhotoMetadata() == EMPTY
    assert (EMPTY.orientation, EMPTY.keywords, EMPTY.face_regions) == (1, (), ())
    assert EMPTY.width is EMPTY.taken_at is EMPTY.gps_lat is None


def test_threads_read_the_same_as_serial(metadata_files: dict[str, Path]) -> None:
    blobs = [p.read_bytes() for p in metadata_files.values()] * 6
    serial = [read_metadata(b) for b in blobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(read_metadata, blobs))
    assert parallel == serial
    assert any(m.keywords for m in serial) and any(m.gps_lat for m in serial)


def test_exiv2_warnings_stay_off_the_terminal(capfd: pytest.CaptureFixture[str],
                                              metadata_files: dict[str, Path]) -> None:
    read_metadata(metadata_files["pillow/exif_gps.jpg"].read_bytes())  # exiv2 warns about it
    with pytest.raises(ItemError):
        read_metadata(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00")
    assert capfd.readouterr() == ("", "")


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_rejected_files_do_not_leak_their_bytes() -> None:
    junk = b"not a photo " * 200_000
    before = rss_mb()
    for _ in range(100):
        with pytest.raises(ItemError):
            read_metadata(junk)
    assert rss_mb() - before < 60  # pyexiv2.ImageData alone keeps 100 x 2.4 MB


def test_only_the_metadata_package_imports_pyexiv2() -> None:
    repo = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"^\s*(?:import|from)\s+pyexiv2\b", re.MULTILINE)
    importers = sorted(
        str(p.relative_to(repo)) for p in repo.rglob("*.py")
        if ".venv" not in p.parts and pattern.search(p.read_text(errors="replace"))
    )
    assert importers and all(p.startswith("engine/metadata/") for p in importers), importers
