"""Face regions in XMP: MWG regions (``Xmp.mwg-rs.Regions``, digiKam, Lightroom, Picasa) and,
when there are none, Microsoft's (``Xmp.MP.RegionInfo``, Windows Photo Gallery).

Both are stored-frame regions; ``displayed`` turns them upright with the photo's orientation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .orientation import stored_to_displayed

_MWG = re.compile(r"Xmp\.mwg-rs\.Regions/mwg-rs:RegionList\[(\d+)\]/(.+)")
_MP = re.compile(r"Xmp\.MP\.RegionInfo/MPRI:Regions\[(\d+)\]/(.+)")


@dataclass(frozen=True)
class FaceRegion:
    """A face region, normalised 0..1 with x/y the top-left corner (MWG stores the centre)."""

    name: str | None
    x: float
    y: float
    w: float
    h: float


def _structs(xmp: dict[str, Any], pattern: re.Pattern[str]) -> list[dict[str, str]]:
    """The fields of each item of an XMP list of structs, in list order."""
    items: dict[int, dict[str, str]] = {}
    for key, value in xmp.items():
        match = pattern.fullmatch(key)
        if match and isinstance(value, str):
            items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [fields for _, fields in sorted(items.items())]


def _name(value: str | None) -> str | None:
    return (value or "").strip() or None


def _mwg(xmp: dict[str, Any]) -> list[FaceRegion]:
    regions = []
    for f in _structs(xmp, _MWG):
        if f.get("mwg-rs:Type", "").strip().lower() != "face":
            continue
        if f.get("mwg-rs:Area/stArea:unit", "normalized").strip() != "normalized":
            continue
        try:
            cx, cy, w, h = (float(f[f"mwg-rs:Area/stArea:{c}"]) for c in "xywh")
        except (KeyError, ValueError):
            continue
        if 0 < w <= 1 and 0 < h <= 1 and 0 <= cx <= 1 and 0 <= cy <= 1:
            regions.append(FaceRegion(_name(f.get("mwg-rs:Name")), cx - w / 2, cy - h / 2, w, h))
    return regions


def _mp(xmp: dict[str, Any]) -> list[FaceRegion]:
    regions = []
    for f in _structs(xmp, _MP):
        try:
            x, y, w, h = (float(part) for part in f.get("MPReg:Rectangle", "").split(","))
        except ValueError:  # not four numbers
            continue
        if 0 < w <= 1 and 0 < h <= 1 and 0 <= x <= 1 and 0 <= y <= 1:
            regions.append(FaceRegion(_name(f.get("MPReg:PersonDisplayName")), x, y, w, h))
    return regions


def face_regions(xmp: dict[str, Any]) -> list[FaceRegion]:
    """The face regions of one XMP packet, in the stored frame: MWG's, else Microsoft's."""
    return _mwg(xmp) or _mp(xmp)


def displayed(regions: Iterable[FaceRegion], orientation: int) -> tuple[FaceRegion, ...]:
    """Stored-frame regions as they lie on the upright picture, duplicates dropped."""
    turned = (FaceRegion(r.name, *stored_to_displayed((r.x, r.y, r.w, r.h), orientation))
              for r in regions)
    return tuple(dict.fromkeys(turned))
