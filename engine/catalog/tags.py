"""The hierarchical tag tree and the tags of each image (with their source)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import peewee as pw

from .records import TagRecord
from .schema import ImageTag, Tag

SOURCES = ("user", "auto", "metadata")


def ensure_tag(path: Sequence[str]) -> int:
    """The id of the tag at ``path`` (e.g. ("Places", "Paris")), creating missing levels."""
    parent: int | None = None
    for name in path:
        condition = Tag.parent.is_null() if parent is None else Tag.parent == parent
        found = Tag.select(Tag.id).where(condition & (Tag.name == name)).scalar()
        parent = found if found is not None else Tag.insert(parent=parent, name=name).execute()
    if parent is None:
        raise ValueError("a tag path needs at least one name")
    return parent


def set_image_tags(image_id: int, paths: Iterable[Sequence[str]], source: str,
                   confidences: Sequence[float | None] | None = None) -> None:
    """Replace the tags of one source on an image; the other sources are left alone."""
    if source not in SOURCES:
        raise ValueError(f"unknown tag source {source!r}")
    paths = [tuple(p) for p in paths]
    scores = list(confidences) if confidences is not None else [None] * len(paths)
    ImageTag.delete().where((ImageTag.image == image_id) & (ImageTag.source == source)).execute()
    rows = {ensure_tag(path): score for path, score in zip(paths, scores, strict=True) if path}
    if rows:
        ImageTag.insert_many(
            [{"image": image_id, "tag": tid, "source": source, "confidence": score}
             for tid, score in rows.items()]
        ).execute()


def tag_paths() -> dict[int, tuple[str, ...]]:
    """Every tag id -> its full path."""
    rows = {tid: (parent, name) for tid, parent, name in
            Tag.select(Tag.id, Tag.parent, Tag.name).tuples()}
    paths: dict[int, tuple[str, ...]] = {}

    def path_of(tid: int) -> tuple[str, ...]:
        if tid not in paths:
            parent, name = rows[tid]
            paths[tid] = (path_of(parent) if parent is not None else ()) + (name,)
        return paths[tid]

    for tid in rows:
        path_of(tid)
    return paths


def image_tags(image_id: int) -> list[TagRecord]:
    """An image's tags with source and confidence, sorted by path."""
    paths = tag_paths()
    query = (ImageTag.select(ImageTag.tag, ImageTag.source, ImageTag.confidence)
             .where(ImageTag.image == image_id).tuples())
    return sorted((TagRecord(tid, paths[tid], source, conf) for tid, source, conf in query),
                  key=lambda t: (t.path, t.source or ""))


def tag_counts(source: str | None = None) -> list[tuple[TagRecord, int]]:
    """Every tag with the number of images carrying it (from ``source``, or any), by path."""
    paths = tag_paths()
    query = ImageTag.select(ImageTag.tag, pw.fn.COUNT(pw.fn.DISTINCT(ImageTag.image)))
    if source is not None:
        query = query.where(ImageTag.source == source)
    counts = dict(query.group_by(ImageTag.tag).tuples())
    return sorted(((TagRecord(tid, path), counts.get(tid, 0)) for tid, path in paths.items()),
                  key=lambda pair: pair[0].path)


def all_image_tags(source: str | None = None) -> dict[int, list[TagRecord]]:
    """image id -> its tags (of ``source``, or all), sorted by path; untagged images absent."""
    paths = tag_paths()
    query = ImageTag.select(ImageTag.image, ImageTag.tag, ImageTag.source, ImageTag.confidence)
    if source is not None:
        query = query.where(ImageTag.source == source)
    found: dict[int, list[TagRecord]] = {}
    for image_id, tid, src, conf in query.tuples():
        found.setdefault(image_id, []).append(TagRecord(tid, paths[tid], src, conf))
    for tags in found.values():
        tags.sort(key=lambda t: (t.path, t.source or ""))
    return found
