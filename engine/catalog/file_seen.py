"""What each photo's metadata said at the last scan: pick label, stars, colour label and named
face regions. A rescan compares a file with this, not with the catalog, so a value the user
changed in termkam is replaced only when the file itself changed that value since."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .schema import MetadataSeen

Region = tuple[float, float, float, float, str]   # x, y, w, h (normalised, displayed), name


@dataclass(frozen=True)
class FileSeen:
    pick_label: str | None = None
    rating: int | None = None
    color_label: str | None = None
    regions: tuple[Region, ...] = ()


NOTHING = FileSeen()


def get(image_id: int) -> FileSeen:
    """What the photo's metadata said at the last scan (NOTHING for a photo never read)."""
    row = (MetadataSeen.select(MetadataSeen.pick_label, MetadataSeen.rating,
                               MetadataSeen.color_label, MetadataSeen.regions)
           .where(MetadataSeen.image == image_id).tuples().first())
    if row is None:
        return NOTHING
    pick, rating, color, regions = row
    return FileSeen(pick, rating, color,
                    tuple((x, y, w, h, name) for x, y, w, h, name in json.loads(regions)))


def put(image_id: int, seen: FileSeen) -> None:
    """Remember what the photo's metadata says now."""
    (MetadataSeen.insert(image=image_id, pick_label=seen.pick_label, rating=seen.rating,
                         color_label=seen.color_label,
                         regions=json.dumps([list(r) for r in seen.regions]))
     .on_conflict_replace().execute())
