"""Reading a photo's metadata: size, orientation, date, camera, GPS, keyword paths, stars,
labels and face regions from a file's bytes, with its XMP sidecar: keywords from both, and
for stars, labels and regions the sidecar's wherever it has them (digiKam and Lightroom keep
the newest there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from engine.validation import MAX_TAG_DEPTH, cleaned

from . import labels
from .exiv2 import read_raw as _read_raw
from .regions import FaceRegion, displayed, face_regions


@dataclass(frozen=True)
class PhotoMetadata:
    """What the catalog keeps from a file's metadata; width/height are before orientation,
    face regions are on the displayed (upright) picture."""

    width: int | None = None
    height: int | None = None
    orientation: int = 1
    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    keywords: tuple[tuple[str, ...], ...] = ()
    face_regions: tuple[FaceRegion, ...] = ()
    rating: int | None = None            # -1 (rejected) .. 5 stars
    pick_label: str | None = None        # rejected | pending | accepted
    color_label: str | None = None       # a name of engine.catalog.ratings.COLOR_LABELS


EMPTY = PhotoMetadata()
_DATE = re.compile(r"\s*(\d{4})[:-](\d\d)[:-](\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?")


def _values(value: Any) -> list[str]:
    """pyexiv2 gives a str for one value and a list for several: always a list."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _bytes_text(value: str, utf8: bool = False) -> str:
    """Undo a latin-1 read: UTF-8 when declared or valid, else latin-1."""
    raw = value.encode("latin-1")
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _text(*candidates: Any) -> str | None:
    for value in candidates:
        for text in _values(value):
            text = text.strip().strip("\x00").strip()
            if text:
                return text
    return None


def _iso(value: str | None, time: str | None = None) -> str | None:
    match = _DATE.match(value or "")
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    if match.group(4) is None and time:
        hms = re.match(r"\s*(\d\d):?(\d\d):?(\d\d)", time)
        parts[3:] = [int(p) for p in hms.groups()] if hms else [0, 0, 0]
    year, month, day, hour, minute, second = parts
    try:
        return datetime(year, month, day, hour, minute, second).isoformat(timespec="seconds")
    except ValueError:
        return None


def _taken_at(exif: dict, iptc: dict, xmp: dict) -> str | None:
    for value in (exif.get("Exif.Photo.DateTimeOriginal"), exif.get("Exif.Photo.DateTimeDigitized"),
                  xmp.get("Xmp.exif.DateTimeOriginal"), xmp.get("Xmp.photoshop.DateCreated"),
                  xmp.get("Xmp.xmp.CreateDate")):
        iso = _iso(_text(value))
        if iso:
            return iso
    return _iso(_text(iptc.get("Iptc.Application2.DateCreated")),
                _text(iptc.get("Iptc.Application2.TimeCreated")))


def _rationals(value: Any) -> list[float]:
    numbers = []
    for part in (_text(value) or "").split():
        try:
            numbers.append(float(Fraction(part)))
        except (ValueError, ZeroDivisionError):
            return []
    return numbers


def _gps(exif: dict) -> tuple[float | None, float | None, float | None]:
    coords: list[float | None] = []
    for axis, limit, negative in (("Latitude", 90, "S"), ("Longitude", 180, "W")):
        parts = _rationals(exif.get(f"Exif.GPSInfo.GPS{axis}"))
        value = sum(p / 60**i for i, p in enumerate(parts[:3])) if parts else None
        ref = (_text(exif.get(f"Exif.GPSInfo.GPS{axis}Ref")) or "").upper()
        if value is not None and ref.startswith(negative):
            value = -value
        coords.append(value if value is not None and abs(value) <= limit else None)
    alt = _rationals(exif.get("Exif.GPSInfo.GPSAltitude"))
    altitude = alt[0] if alt else None
    if altitude is not None and _text(exif.get("Exif.GPSInfo.GPSAltitudeRef")) == "1":
        altitude = -altitude
    if coords[0] is None or coords[1] is None:
        return None, None, altitude
    return coords[0], coords[1], altitude


def _orientation(exif: dict, xmp: dict) -> int:
    for value in (exif.get("Exif.Image.Orientation"), xmp.get("Xmp.tiff.Orientation")):
        text = _text(value)
        if text and text.isdigit() and 1 <= int(text) <= 8:
            return int(text)
    return 1


def _size(pixels: int, exif: dict, key: str) -> int | None:
    if pixels > 0:
        return pixels
    text = _text(exif.get(key))
    return int(text) if text and text.isdigit() and int(text) > 0 else None


def _iptc_keywords(iptc: dict) -> list[str]:
    utf8 = _text(iptc.get("Iptc.Envelope.CharacterSet")) == "\x1b%G"
    return [_bytes_text(v, utf8) for v in _values(iptc.get("Iptc.Application2.Keywords"))]


def _keywords(paths: list[list[str]], flat: list[str]) -> tuple[tuple[str, ...], ...]:
    """Hierarchical paths first, then flat keywords that are not the leaf of a path."""
    result: dict[tuple[str, ...], None] = {}
    for path in paths:
        parts = tuple(c for c in (cleaned(p) for p in path) if c)[:MAX_TAG_DEPTH]
        if parts:
            result[parts] = None
    leaves = {path[-1] for path in result}
    for keyword in flat:
        keyword = cleaned(keyword)
        if keyword and keyword not in leaves:
            result[(keyword,)] = None
    return tuple(result)


def _paths(xmp: dict) -> list[list[str]]:
    return ([v.split("/") for v in _values(xmp.get("Xmp.digiKam.TagsList"))]
            + [v.split("|") for v in _values(xmp.get("Xmp.lr.hierarchicalSubject"))])


def _fix(value: Any) -> list[str]:
    return [_bytes_text(v) for v in _values(value)]


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def read_metadata(data: bytes, sidecar: bytes | None = None) -> PhotoMetadata:
    """Read a photo's metadata from its bytes and its XMP sidecar's (see the module).

    Raises ItemError with a one-line reason when exiv2 rejects the file or the sidecar.
    """
    exif, iptc, xmp, width, height = _read_raw(data, "metadata")
    side = _read_raw(sidecar, "XMP sidecar")[2] if sidecar is not None else {}
    paths = _paths(xmp) + _paths(side)
    flat = _values(xmp.get("Xmp.dc.subject")) + _iptc_keywords(iptc)
    flat += _values(side.get("Xmp.dc.subject"))
    orientation = _orientation(exif, xmp)
    lat, lon, alt = _gps(exif)
    return PhotoMetadata(
        width=_size(width, exif, "Exif.Photo.PixelXDimension"),
        height=_size(height, exif, "Exif.Photo.PixelYDimension"),
        orientation=orientation,
        taken_at=_taken_at(exif, iptc, xmp),
        camera_make=_text(_fix(exif.get("Exif.Image.Make")), xmp.get("Xmp.tiff.Make")),
        camera_model=_text(_fix(exif.get("Exif.Image.Model")), xmp.get("Xmp.tiff.Model")),
        lens=_text(_fix(exif.get("Exif.Photo.LensModel")), xmp.get("Xmp.exifEX.LensModel"),
                   xmp.get("Xmp.aux.Lens")),
        gps_lat=lat,
        gps_lon=lon,
        gps_alt=alt,
        keywords=_keywords(paths, flat),
        face_regions=displayed(face_regions(side) or face_regions(xmp), orientation),
        rating=_first(labels.rating({}, side), labels.rating(exif, xmp)),
        pick_label=_first(labels.pick_label(side), labels.pick_label(xmp)),
        color_label=_first(labels.color_label(side), labels.color_label(xmp)),
    )
