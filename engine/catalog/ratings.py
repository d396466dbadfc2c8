"""Star ratings and colour labels of images: the user's, read from files or imported, never
set by a job."""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from .schema import Image

COLOR_LABELS = ("red", "orange", "yellow", "green", "blue", "magenta", "gray", "black", "white")
RATINGS = range(-1, 6)  # -1: rejected (Lightroom's reject), 0: no stars, 1..5 stars
CHUNK = 400


def set_rating(image_ids: Iterable[int], rating: int | None) -> None:
    """Give images a rating (None: none)."""
    if rating is not None and rating not in RATINGS:
        raise ValueError(f"a rating is -1 (rejected) or 0..5 stars, not {rating!r}")
    _update(image_ids, rating=rating)


def set_color_label(image_ids: Iterable[int], label: str | None) -> None:
    """Give images a colour label (None: none)."""
    if label is not None and label not in COLOR_LABELS:
        raise ValueError(f"unknown colour label {label!r} ({' | '.join(COLOR_LABELS)})")
    _update(image_ids, color_label=label)


def rating_and_label(image_id: int) -> tuple[int | None, str | None]:
    """(rating, colour label) of an image."""
    row = Image.select(Image.rating, Image.color_label).where(Image.id == image_id).tuples()
    return row.first() or (None, None)


def rating_counts() -> dict[int, int]:
    """How many catalogued images have each rating (no rating counts as 0 stars)."""
    stars = pw.fn.COALESCE(Image.rating, 0)
    query = (Image.select(stars, pw.fn.COUNT(Image.id)).where(Image.status == "ok")
             .group_by(stars).tuples())
    return dict(query)


def color_label_counts() -> dict[str, int]:
    """How many catalogued images carry each colour label, in COLOR_LABELS order."""
    query = (Image.select(Image.color_label, pw.fn.COUNT(Image.id))
             .where((Image.status == "ok") & Image.color_label.is_null(False))
             .group_by(Image.color_label).tuples())
    found = dict(query)
    return {label: found[label] for label in COLOR_LABELS if label in found}


def _update(image_ids: Iterable[int], **fields: object) -> None:
    ids = list(image_ids)
    for start in range(0, len(ids), CHUNK):
        Image.update(**fields).where(Image.id.in_(ids[start:start + CHUNK])).execute()
