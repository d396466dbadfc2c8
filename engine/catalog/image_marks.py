"""What a set of images carries besides faces, read in one go: tags by source, tags the user
removed, pick label, rating and colour label (an importer compares these with its own)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .schema import Image, ImageTag, PickLabel, TagRejection
from .tags import tag_paths

CHUNK = 400


@dataclass(frozen=True)
class ImageMarks:
    tags: Mapping[int, frozenset[str]] = field(default_factory=dict)  # tag id -> sources
    rejected: frozenset[int] = frozenset()                            # tags the user removed
    pick: tuple[str, str] | None = None                               # (label, source)
    rating: int | None = None
    color_label: str | None = None


def image_marks(image_ids: Iterable[int]) -> dict[int, ImageMarks]:
    """image id -> its marks, for every existing image among ``image_ids``."""
    ids = list(dict.fromkeys(image_ids))
    tags: dict[int, dict[int, set[str]]] = {}
    rejected: dict[int, set[int]] = {}
    picks: dict[int, tuple[str, str]] = {}
    rows: dict[int, tuple[int | None, str | None]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for iid, tid, source in ImageTag.select(ImageTag.image, ImageTag.tag, ImageTag.source
                                                ).where(ImageTag.image.in_(chunk)).tuples():
            tags.setdefault(iid, {}).setdefault(tid, set()).add(source)
        for iid, tid in TagRejection.select(TagRejection.image, TagRejection.tag).where(
                TagRejection.image.in_(chunk)).tuples():
            rejected.setdefault(iid, set()).add(tid)
        picks.update((iid, (label, source)) for iid, label, source in PickLabel.select(
            PickLabel.image, PickLabel.label, PickLabel.source).where(
            PickLabel.image.in_(chunk)).tuples())
        rows.update((iid, (rating, color)) for iid, rating, color in Image.select(
            Image.id, Image.rating, Image.color_label).where(Image.id.in_(chunk)).tuples())
    return {iid: ImageMarks({tid: frozenset(s) for tid, s in tags.get(iid, {}).items()},
                            frozenset(rejected.get(iid, ())), picks.get(iid), *rows[iid])
            for iid in ids if iid in rows}


def tag_ids_by_path() -> dict[tuple[str, ...], int]:
    """Every tag's full path -> its id."""
    return {path: tid for tid, path in tag_paths().items()}
