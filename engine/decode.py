"""Decode photos to a target size cheaply, with EXIF orientation and a pixel-count guard.

JPEGs are decoded at 1/2, 1/4 or 1/8 scale by libjpeg's DCT scaling (``IMREAD_REDUCED_*``),
far cheaper than a full decode and a resize. Orientation is applied here, from the value
the metadata reader found, so every format goes through the same path. Every decode first
reserves what it will hold from the process's memory budget (``memory_budget``).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image as PILImage

from . import decode_memory, files
from .errors import ItemError
from .jpeg_header import JpegHeader, jpeg_header
from .memory_budget import BUDGET

cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)  # no stderr over the TUI

DEFAULT_MAX_PIXELS = 250_000_000  # well above any camera (~100-200 MP), far below a bomb
_REDUCED = ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
            (2, cv2.IMREAD_REDUCED_COLOR_2))
_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp",
            "BMP": "bmp", "PPM": "pnm", "GIF": "gif"}


@dataclass(frozen=True)
class Probe:
    """What the file header says, read without decoding pixels."""

    format: str
    width: int
    height: int
    working_bytes: int = 0  # the decoder's buffer beside its output (decode_memory)


def probe(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> Probe:
    """Format and stored size from the header; refuses non-images and oversized images."""
    if not data:
        raise ItemError("empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format or "", image.size
                name = _FORMATS.get(fmt, fmt.lower())
                jpeg = jpeg_header(data) if name == "jpeg" else None
                working = decode_memory.working_bytes(image, name, jpeg)
    except PILImage.DecompressionBombError as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        size = f" ({int(pixels.group(1)) / 1e6:.0f} MP)" if pixels else ""
        raise ItemError(f"image too large{size}: refused as a decompression bomb") from None
    except Exception:  # Pillow raises many types for non-images
        raise ItemError("not an image file (unknown or damaged header)") from None
    if width * height > max_pixels:
        raise ItemError(f"image too large: {width}x{height} ({width * height / 1e6:.0f} MP) "
                        f"exceeds the {max_pixels / 1e6:.0f} MP limit")
    if fmt == "JPEG" and not _jpeg_complete(data, jpeg):
        raise ItemError("truncated JPEG (the image data stops before its end marker)")
    return Probe(name, width, height, working)


def _jpeg_complete(data: bytes, header: JpegHeader | None) -> bool:
    """True when the primary image's scan data ends in an EOI marker.

    Entropy-coded data never holds FFD9, so an EOI after the first scan's header means the
    image is whole. Data appended after the primary image (Ultra HDR gain maps, MPF) is not
    judged; a header that cannot be walked is left to the decoder.
    """
    if header is None:
        return True
    # rfind: the EOI is usually last
    return header.scan_at is not None and data.rfind(b"\xff\xd9") > header.scan_at


def reduction(width: int, height: int, max_side: int | None) -> int:
    """The largest JPEG scale divisor (1, 2, 4, 8) that keeps the long side >= max_side."""
    if not max_side:
        return 1
    long_side = max(width, height)
    for factor, _ in _REDUCED:
        if long_side // factor >= max_side:
            return factor
    return 1


def decode(data: bytes, info: Probe, orientation: int = 1,
           max_side: int | None = None, resample: bool = True) -> np.ndarray:
    """BGR uint8 pixels, upright, with the long side at most ``max_side`` (when given).

    With ``resample=False`` a JPEG is only DCT-scaled (by ``reduction``): its long side may
    stay up to twice ``max_side``, and its 8x8 block grid stays whole at scale 1 or 2.
    The data and the decode's peak are reserved from the memory budget meanwhile: an image
    that needs more than the whole budget is refused with an ItemError.
    """
    factor = _scale(info, max_side)
    flags = dict(_REDUCED).get(factor, cv2.IMREAD_COLOR) | cv2.IMREAD_IGNORE_ORIENTATION
    with BUDGET.reserve(memory_needed(data, info, max_side), "decoding the image"):
        image = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
        if image is None:
            raise ItemError(f"cannot decode {info.format.upper()} data (damaged or unsupported)")
        if resample and max_side and max(image.shape[:2]) > max_side:
            scale = max_side / max(image.shape[:2])
            size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
            image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        return apply_orientation(image, orientation)


def memory_needed(data: bytes, info: Probe, max_side: int | None = None) -> int:
    """The bytes ``decode`` reserves: the data, and the decoder's peak at the scale it uses."""
    return len(data) + decode_memory.peak_bytes(info.width, info.height, _scale(info, max_side),
                                                info.working_bytes)


def _scale(info: Probe, max_side: int | None) -> int:
    return reduction(info.width, info.height, max_side) if info.format == "jpeg" else 1


def apply_orientation(image: np.ndarray, orientation: int) -> np.ndarray:
    """Turn stored pixels upright according to an EXIF orientation value (1-8)."""
    if orientation == 2:
        return cv2.flip(image, 1)
    if orientation == 3:
        return cv2.rotate(image, cv2.ROTATE_180)
    if orientation == 4:
        return cv2.flip(image, 0)
    if orientation == 5:
        return cv2.flip(cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), 1)
    if orientation == 6:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    if orientation == 7:
        return cv2.flip(cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE), 1)
    if orientation == 8:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return image


def read_file(path: str) -> bytes:
    """A regular file's bytes, read within the memory budget; one-line item errors for the
    rest (a FIFO, a device, a directory, a file larger than the budget, an OS error)."""
    return files.read_regular(path)


def decode_file(path: str, orientation: int = 1, max_side: int | None = None,
                max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Read, check and decode a file in one call (for jobs that start from a path)."""
    data = read_file(path)
    return decode(data, probe(data, max_pixels), orientation, max_side)
