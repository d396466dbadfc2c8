"""What a scan does with the values a photo's metadata holds besides its facts: the pick
label, stars, colour label and named face regions (digiKam, Lightroom, exiftool ...).

Each is applied only where the file changed it since the last scan (``catalog.file_seen``):
a label the user set in termkam is not reverted by the older value still in the file, and a
newer value written by another tool wins. A pick label from a file is the user's (no quality
run overwrites it). Regions go to faces nobody decided about, or become confirmed faces of
their own, without detecting anything (``faces.regions``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .catalog import file_seen, picks, ratings
from .faces.crops import face_thumbnail
from .faces.geometry import Box, displayed_size
from .faces.regions import Named, apply_regions
from .metadata import FaceRegion, PhotoMetadata


@dataclass(frozen=True)
class FileValues:
    """Labels, stars and named regions (normalised, upright) read from one photo, with a
    face crop per region when the photo was decoded."""

    pick_label: str | None = None
    rating: int | None = None
    color_label: str | None = None
    regions: tuple[FaceRegion, ...] = ()
    crops: tuple[bytes | None, ...] = ()

    @classmethod
    def of(cls, meta: PhotoMetadata, pixels: np.ndarray | None = None) -> FileValues:
        """The values of ``meta``; crops from ``pixels`` (the upright decode) when given."""
        named = tuple(r for r in meta.face_regions if r.name)
        crops: tuple[bytes | None, ...] = (None,) * len(named)
        if pixels is not None:
            side = (pixels.shape[1], pixels.shape[0])
            crops = tuple(face_thumbnail(pixels, _pixels(r, side)) for r in named)
        return cls(meta.pick_label, meta.rating, meta.color_label, named, crops)

    def seen(self) -> file_seen.FileSeen:
        return file_seen.FileSeen(self.pick_label, self.rating, self.color_label,
                                  tuple((r.x, r.y, r.w, r.h, r.name or "") for r in self.regions))


def _pixels(region: FaceRegion, side: tuple[int, int]) -> Box:
    return (region.x * side[0], region.y * side[1], region.w * side[0], region.h * side[1])


def apply_file_values(image_id: int, values: FileValues,
                      fields: Mapping[str, Any]) -> list[tuple[int, bytes]]:
    """Apply what the file changed since the last scan to image ``image_id`` (``fields``: its
    image columns, for the picture's size); returns (face id, crop) of the faces made."""
    seen = file_seen.get(image_id)
    now = values.seen()
    if now.pick_label != seen.pick_label:
        picks.set_user_label([image_id], now.pick_label)
    if now.rating != seen.rating:
        ratings.set_rating([image_id], now.rating)
    if now.color_label != seen.color_label:
        ratings.set_color_label([image_id], now.color_label)
    made: list[tuple[int, bytes]] = []
    size = _displayed(fields)
    if size is not None and now.regions:
        named = [(_pixels(r, size), r.name) for r in values.regions]
        before: Sequence[Named] = [(_pixels(FaceRegion(n, x, y, w, h), size), n)
                                   for x, y, w, h, n in seen.regions]
        applied = apply_regions(image_id, named, before, create=True)
        crops = dict(enumerate(values.crops))
        made = [(fid, crop) for fid, index in applied.created
                if (crop := crops.get(index)) is not None]
    if now != seen:
        file_seen.put(image_id, now)
    return made


def _displayed(fields: Mapping[str, Any]) -> tuple[int, int] | None:
    width, height = fields.get("width"), fields.get("height")
    if not width or not height:
        return None
    return displayed_size(width, height, fields.get("orientation") or 1)
