"""Decoding: EXIF orientation, DCT-scaled JPEG decode, the pixel-count guard."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageOps

from engine import decode
from engine.errors import ItemError
from engine.metadata import read_metadata


@pytest.mark.parametrize("orientation", range(2, 9))
def test_orientation_matches_pillow_exif_transpose(metadata_set, orientation):
    path = metadata_set[f"pillow/hopper_orientation_{orientation}.jpg"]
    data = path.read_bytes()
    meta = read_metadata(data)
    assert meta.orientation == orientation
    ours = decode.decode(data, decode.probe(data), meta.orientation)
    with PILImage.open(path) as im:
        expected = cv2.cvtColor(np.asarray(ImageOps.exif_transpose(im).convert("RGB")),
                                cv2.COLOR_RGB2BGR)
    assert ours.shape == expected.shape
    assert np.abs(ours.astype(int) - expected.astype(int)).mean() < 3


def test_jpeg_is_decoded_at_a_reduced_scale_when_small_output_is_wanted(faces_set):
    data = faces_set["feat/BWPictureHuman.jpg"].read_bytes()   # 2560 x 1912
    info = decode.probe(data)
    assert (info.format, info.width, info.height) == ("jpeg", 2560, 1912)
    assert decode.reduction(info.width, info.height, 256) == 8
    assert decode.reduction(info.width, info.height, 1000) == 2
    assert decode.reduction(info.width, info.height, 2000) == 1
    small = decode.decode(data, info, max_side=300)
    assert max(small.shape[:2]) == 300
    full = cv2.imread(str(faces_set["feat/BWPictureHuman.jpg"]))
    reference = cv2.resize(full, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    assert np.abs(small.astype(int) - reference.astype(int)).mean() < 4


def test_pixel_guard_refuses_before_decoding(faces_set):
    data = faces_set["feat/multi_face.jpg"].read_bytes()
    with pytest.raises(ItemError, match="exceeds the 0 MP limit"):
        decode.probe(data, max_pixels=100_000)
    assert decode.probe(data).width == 1000


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"GIF89a but not really", "not an image"),
    (b"plain text\n" * 10, "not an image"),
])
def test_bad_bytes_are_item_errors(data, reason):
    with pytest.raises(ItemError, match=reason):
        decode.probe(data)


def test_truncated_jpeg_is_refused(faces_set):
    data = faces_set["feat/multi_face.jpg"].read_bytes()
    with pytest.raises(ItemError, match="truncated"):
        decode.probe(data[: len(data) // 2])


def test_every_supported_format_decodes(metadata_set, objects_set):
    for key in ("pillow/hopper.tif", "pillow/hopper.webp", "pillow/hopper.bmp"):
        data = metadata_set[key].read_bytes()
        pixels = decode.decode(data, decode.probe(data), max_side=64)
        assert pixels.dtype == np.uint8 and max(pixels.shape[:2]) == 64
    data = objects_set["skimage/chelsea.png"].read_bytes()
    assert decode.decode(data, decode.probe(data)).shape == (300, 451, 3)
