"""The one door to pyexiv2 (exiv2's global state is not thread-safe): every call holds
``LOCK``, and exiv2's own warnings are kept off the terminal."""

from __future__ import annotations

import threading
from typing import Any

import pyexiv2

from engine.errors import ItemError

LOCK = threading.Lock()
with LOCK:
    pyexiv2.set_log_level(3)

Raw = tuple[dict[str, Any], dict[str, Any], dict[str, Any], int, int]


def read_raw(data: bytes, what: str) -> Raw:
    """exif, iptc, xmp, pixel width, pixel height; all text decoded latin-1 except XMP."""
    with LOCK:
        image = pyexiv2.ImageData.__new__(pyexiv2.ImageData)
        try:
            image.__init__(data)
        except (RuntimeError, ValueError) as exc:
            buffer = getattr(image, "buffer", None)
            if buffer is not None:
                buffer.destroy()  # ImageData leaks its copy of the bytes when opening fails
            raise ItemError(f"unreadable {what}: {first_line(exc)}") from None
        failure: RuntimeError | None = None
        try:
            try:
                xmp = image.read_xmp()
            except UnicodeDecodeError:
                xmp = image.read_xmp("latin-1")
            raw = (image.read_exif("latin-1"), image.read_iptc("latin-1"), xmp,
                   image.get_pixel_width(), image.get_pixel_height())
        except RuntimeError as exc:
            failure = exc
        try:
            image.close()  # also raises errors exiv2 logged during the reads above
        except RuntimeError as exc:
            failure = failure or exc
        if failure is not None:
            raise ItemError(f"unreadable {what}: {first_line(failure)}") from None
        return raw


def first_line(exc: BaseException) -> str:
    """The first line of an exiv2 error (they run over several)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


