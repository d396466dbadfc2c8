"""How much memory OpenCV holds while decoding an image, judged from its header.

Measured with opencv-python-headless 5.0 (peak RSS per pixel of ``cv2.imdecode``): the
Python binding copies OpenCV's BGR result into a numpy array, so a decode holds its 3-byte
output twice, or once beside the decoder's working buffer, which is freed before the copy:
- JPEG: a few rows, except a whole-image coefficient buffer for progressive and multi-scan
  files (64 two-byte coefficients per 8x8 block of every component: 6 B/px at 4:4:4, 3 at
  4:2:0); DCT scaling shrinks the output, never this buffer.
- PNG, BMP, PNM: nothing (rows go straight into the output); an animated PNG: ~9 B/px.
- WebP: 4 B/px (lossless ARGB), ~8 animated; GIF: 5 B/px.
- TIFF: one strip or tile as RGBA plus its stored samples; one strip may be the whole image.
- JPEG 2000 (~16 B/px) and formats not measured: 16 B/px.
"""

from __future__ import annotations

from PIL import Image as PILImage

from .jpeg_header import JpegHeader

_PER_PIXEL = {"png": 0, "bmp": 0, "pnm": 0, "webp": 4, "gif": 5}
_ANIMATED_PER_PIXEL = {"png": 9, "webp": 8}
_UNMEASURED_PER_PIXEL = 16
_COEFFICIENT_BLOCK = 64 * 2


def working_bytes(image: PILImage.Image, fmt: str, jpeg: JpegHeader | None) -> int:
    """The decoder's buffer beside its output, for a Pillow image opened but not loaded."""
    width, height = image.size
    if fmt == "jpeg":
        return _coefficient_bytes(jpeg, width, height) if jpeg is not None else 0
    if fmt == "tiff":
        return _tiff_strip_bytes(image)
    if fmt in _ANIMATED_PER_PIXEL and getattr(image, "n_frames", 1) > 1:
        return _ANIMATED_PER_PIXEL[fmt] * width * height
    return _PER_PIXEL.get(fmt, _UNMEASURED_PER_PIXEL) * width * height


def peak_bytes(width: int, height: int, factor: int, working: int) -> int:
    """Peak memory of decoding a ``width`` x ``height`` image at 1/``factor`` scale."""
    output = -(-width // factor) * -(-height // factor) * 3
    return output + max(output, working)


def _coefficient_bytes(jpeg: JpegHeader, width: int, height: int) -> int:
    if not jpeg.whole_image_buffer:
        return 0
    h_max = max((h for h, _ in jpeg.sampling), default=1) or 1
    v_max = max((v for _, v in jpeg.sampling), default=1) or 1
    total = 0
    for h, v in jpeg.sampling:  # as libjpeg sizes its per-component block arrays
        columns = -(-width * h // (h_max * 8))
        rows = -(-height * v // (v_max * 8))
        total += _round_up(columns, h) * _round_up(rows, v) * _COEFFICIENT_BLOCK
    return total


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step if step else value


def _tiff_strip_bytes(image: PILImage.Image) -> int:
    width, height = image.size
    tags = image.tag_v2  # type: ignore[attr-defined]
    try:
        bits = tags.get(258, 8)
        sample_bytes = -(-max(bits if isinstance(bits, tuple) else (bits,)) // 8)
        stored = int(tags.get(277, 1)) * sample_bytes
        if 322 in tags:
            area = int(tags[322]) * int(tags.get(323, height))
        else:
            area = width * min(int(tags.get(278, height)) or height, height)
    except (TypeError, ValueError):
        return _UNMEASURED_PER_PIXEL * width * height
    return area * (4 + stored)
