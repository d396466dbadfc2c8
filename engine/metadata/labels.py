"""Stars and labels in a photo's metadata: ``xmp:Rating`` (EXIF Rating as the fallback),
digiKam's ``PickLabel`` and ``ColorLabel`` numbers, and Lightroom's ``xmp:Label`` text."""

from __future__ import annotations

import math
from typing import Any

from engine.catalog.picks import LABELS as PICK_LABELS
from engine.catalog.ratings import COLOR_LABELS, RATINGS

# digiKam numbers its pick labels 0 (none), 1 rejected, 2 pending, 3 accepted, and its colour
# labels 0 (none), then red ... white in the order of COLOR_LABELS.
DIGIKAM_PICKS = dict(enumerate(PICK_LABELS, start=1))
DIGIKAM_COLORS = dict(enumerate(COLOR_LABELS, start=1))
# Lightroom's label set names Red, Yellow, Green, Blue and Purple; other names as they are.
LIGHTROOM_NAMES = {"purple": "magenta", "grey": "gray"}


def _text(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _number(value: Any) -> int | None:
    try:
        number = float(_text(value) or "")
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number == int(number) else None


def rating(exif: dict[str, Any], xmp: dict[str, Any]) -> int | None:
    """Stars: -1 (rejected, Lightroom), 0 (none) .. 5; XMP first, then EXIF."""
    for value in (xmp.get("Xmp.xmp.Rating"), exif.get("Exif.Image.Rating")):
        stars = _number(value)
        if stars is not None and stars in RATINGS:
            return stars
    return None


def pick_label(xmp: dict[str, Any]) -> str | None:
    """digiKam's pick label: rejected | pending | accepted, or None (none or unknown)."""
    number = _number(xmp.get("Xmp.digiKam.PickLabel"))
    return DIGIKAM_PICKS.get(number) if number is not None else None


def color_label(xmp: dict[str, Any]) -> str | None:
    """A colour label name (COLOR_LABELS): digiKam's number first, then ``xmp:Label``."""
    number = _number(xmp.get("Xmp.digiKam.ColorLabel"))
    if number is not None and number in DIGIKAM_COLORS:
        return DIGIKAM_COLORS[number]
    text = (_text(xmp.get("Xmp.xmp.Label")) or "").lower()
    name = LIGHTROOM_NAMES.get(text, text)
    return name if name in COLOR_LABELS else None
