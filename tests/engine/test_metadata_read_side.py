"""The read side of the metadata round trip: stars, pick and colour labels, Microsoft face
regions, sidecars winning over files, and regions turned from the stored frame to the
displayed one, on files written by exiftool in digiKam's and Lightroom's styles."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.decode import decode_file
from engine.metadata import read_metadata, read_sidecar_for
from engine.metadata.orientation import displayed_to_stored, stored_to_displayed
from tests.exiftool import exiftool, write
from tests.xmp_styles import mp_regions, mwg_regions, write_each

# How a camera stores an upright picture for each EXIF orientation, with cv2 alone (so the
# test does not lean on engine.decode's own table): decoding must undo it.
STORED = {
    1: lambda img: img,
    2: lambda img: cv2.flip(img, 1),
    3: lambda img: cv2.rotate(img, cv2.ROTATE_180),
    4: lambda img: cv2.flip(img, 0),
    5: lambda img: cv2.transpose(img),
    6: lambda img: cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE),
    7: lambda img: cv2.flip(cv2.transpose(img), -1),
    8: lambda img: cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE),
}
MAGENTA = (255, 0, 255)


def marked_box(image: np.ndarray) -> tuple[float, float, float, float]:
    """The normalised (x, y, w, h) of the magenta rectangle in a BGR image."""
    mask = ((image[:, :, 0] > 200) & (image[:, :, 1] < 60) & (image[:, :, 2] > 200))
    ys, xs = np.nonzero(mask)
    height, width = mask.shape
    return (xs.min() / width, ys.min() / height, (xs.max() + 1 - xs.min()) / width,
            (ys.max() + 1 - ys.min()) / height)


@pytest.fixture(scope="module")
def upright(faces_set: dict[str, Path]) -> np.ndarray:
    """A real photo (not square, so turns show) with a magenta rectangle drawn on it."""
    image = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    height, width = image.shape[:2]
    assert width != height
    cv2.rectangle(image, (width // 5, height // 6), (width // 5 + width // 7, height // 3),
                  MAGENTA, thickness=-1)
    return image


@pytest.mark.parametrize("orientation", range(1, 9))
def test_regions_turn_with_the_orientation_onto_the_upright_decode(
        tmp_path: Path, upright: np.ndarray, orientation: int) -> None:
    photo = tmp_path / f"o{orientation}.jpg"
    stored = STORED[orientation](upright)
    cv2.imwrite(str(photo), stored, [cv2.IMWRITE_JPEG_QUALITY, 95])
    in_stored = marked_box(stored)
    write(photo, f"-Orientation#={orientation}", mwg_regions([(in_stored, "Marked")]))
    assert exiftool("-Orientation", photo)[0]["Orientation"] == orientation

    shown = decode_file(str(photo), orientation)
    assert shown.shape == upright.shape
    on_screen = marked_box(shown)
    assert on_screen == pytest.approx(marked_box(upright), abs=0.01)
    assert stored_to_displayed(in_stored, orientation) == pytest.approx(on_screen, abs=0.01)
    assert displayed_to_stored(on_screen, orientation) == pytest.approx(in_stored, abs=0.01)

    region = read_metadata(photo.read_bytes()).face_regions[0]
    assert region.name == "Marked"
    assert (region.x, region.y, region.w, region.h) == pytest.approx(on_screen, abs=0.01)


def test_microsoft_regions_are_read_when_there_are_no_mwg_regions(
        tmp_path: Path, upright: np.ndarray) -> None:
    photo = tmp_path / "mp.jpg"
    stored = STORED[6](upright)
    cv2.imwrite(str(photo), stored, [cv2.IMWRITE_JPEG_QUALITY, 95])
    x, y, w, h = marked_box(stored)
    write(photo, "-Orientation#=6",
          mp_regions([((x, y, w, h), "Zoë Zidane"), ((0.1, 0.1, 0.2, 0.2), None)]))
    written = exiftool("-struct", "-RegionInfoMP", photo)[0]["RegionInfoMP"]["Regions"]
    assert written[0]["PersonDisplayName"] == "Zoë Zidane"

    regions = read_metadata(photo.read_bytes()).face_regions
    assert [r.name for r in regions] == ["Zoë Zidane", None]
    named = regions[0]
    assert (named.x, named.y, named.w, named.h) == pytest.approx(marked_box(upright), abs=0.01)

    write(photo, mwg_regions([((0.5, 0.5, 0.1, 0.1), "Only MWG")]))
    assert [r.name for r in read_metadata(photo.read_bytes()).face_regions] == ["Only MWG"]


DIGIKAM_PICKS = [(0, None), (1, "rejected"), (2, "pending"), (3, "accepted")]
DIGIKAM_COLORS = [(0, None), (1, "red"), (2, "orange"), (3, "yellow"), (4, "green"),
                  (5, "blue"), (6, "magenta"), (7, "gray"), (8, "black"), (9, "white")]


def test_digikam_labels_and_stars(tmp_path: Path, metadata_set: dict[str, Path]) -> None:
    cases = [(tmp_path / f"dk{color}.jpg", pick, color, color % 6)
             for (pick, _), (color, _) in zip(DIGIKAM_PICKS * 3, DIGIKAM_COLORS, strict=False)]
    for path, *_ in cases:
        shutil.copy(metadata_set["pillow/flower.jpg"], path)
    write_each([(path, [f"-XMP-digiKam:PickLabel={pick}", f"-XMP-digiKam:ColorLabel={color}",
                        f"-XMP-xmp:Rating={stars}"]) for path, pick, color, stars in cases])
    refs = {Path(r["SourceFile"]).name: r for r in exiftool(
        "-PickLabel", "-ColorLabel", "-XMP:Rating", *(path for path, *_ in cases))}
    for path, pick, color, stars in cases:
        ref = refs[path.name]
        assert (ref["PickLabel"], ref["ColorLabel"], ref["Rating"]) == (pick, color, stars)
        meta = read_metadata(path.read_bytes())
        assert (meta.pick_label, meta.color_label, meta.rating) == (
            dict(DIGIKAM_PICKS)[pick], dict(DIGIKAM_COLORS)[color], stars)


@pytest.mark.parametrize("label, expected", [("Red", "red"), ("Yellow", "yellow"),
                                             ("Green", "green"), ("Blue", "blue"),
                                             ("Purple", "magenta"), ("Orange", "orange"),
                                             ("To Print", None)])
def test_lightroom_label_text(tmp_path: Path, metadata_set: dict[str, Path], label: str,
                              expected: str | None) -> None:
    photo = tmp_path / "lr.jpg"
    shutil.copy(metadata_set["pillow/flower.jpg"], photo)
    write(photo, f"-XMP-xmp:Label={label}")
    assert exiftool("-Label", photo)[0]["Label"] == label
    assert read_metadata(photo.read_bytes()).color_label == expected


def test_lightroom_reject_and_exif_rating_fallback(tmp_path: Path,
                                                   metadata_set: dict[str, Path]) -> None:
    photo = tmp_path / "r.jpg"
    shutil.copy(metadata_set["pillow/flower.jpg"], photo)
    write(photo, "-EXIF:Rating=4")
    assert read_metadata(photo.read_bytes()).rating == 4          # EXIF only
    write(photo, "-XMP-xmp:Rating=-1")
    assert exiftool("-XMP:Rating", photo)[0]["Rating"] == -1
    assert read_metadata(photo.read_bytes()).rating == -1         # XMP first
    write(photo, "-XMP-xmp:Rating=9", "-EXIF:Rating=")
    assert read_metadata(photo.read_bytes()).rating is None       # out of range: none


def test_a_sidecars_values_win_over_the_files(tmp_path: Path,
                                              metadata_set: dict[str, Path]) -> None:
    photo = tmp_path / "both.jpg"
    shutil.copy(metadata_set["pillow/flower.jpg"], photo)
    write(photo, "-XMP-xmp:Rating=2", "-XMP-digiKam:PickLabel=1", "-XMP-xmp:Label=Red",
          "-XMP-digiKam:TagsList=From/File", mwg_regions([((0.1, 0.1, 0.2, 0.2), "In File")]))
    lightroom = tmp_path / "both.xmp"
    write(lightroom, "-XMP-xmp:Rating=5", "-XMP-xmp:Label=Green",
          "-XMP-lr:HierarchicalSubject=From|Sidecar",
          mp_regions([((0.5, 0.5, 0.2, 0.2), "In Sidecar")]))
    meta = read_metadata(photo.read_bytes(), read_sidecar_for(photo))
    assert (meta.rating, meta.color_label) == (5, "green")       # the sidecar's
    assert meta.pick_label == "rejected"                         # only the file has one
    assert [r.name for r in meta.face_regions] == ["In Sidecar"]
    assert meta.keywords == (("From", "File"), ("From", "Sidecar"))  # keywords from both

    digikam = tmp_path / "both.jpg.xmp"                          # digiKam's name comes first
    write(digikam, "-XMP-digiKam:PickLabel=3")
    meta = read_metadata(photo.read_bytes(), read_sidecar_for(photo))
    assert (meta.pick_label, meta.rating, meta.color_label) == ("accepted", 2, "red")
