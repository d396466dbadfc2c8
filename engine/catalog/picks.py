"""Quality scores and pick labels (rejected / pending / accepted) of images.

A label the user set (source ``user``) is a decision: no quality run overwrites it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping

import peewee as pw

from .schema import Image, ImageQuality, PickLabel

LABELS = ("rejected", "pending", "accepted")
CHUNK = 500


def put_scores(image_id: int, scores: Mapping[str, object], figure: float,
               version: str) -> None:
    """Store an image's detector scores and quality figure (replacing earlier ones)."""
    (ImageQuality.insert(image=image_id, scores=json.dumps(dict(scores)), figure=figure,
                         model_version=version, scored_at=time.time())
     .on_conflict_replace().execute())


def scored_ids(version: str | None = None, since: float | None = None) -> set[int]:
    """Images that have quality scores (of ``version``, scored at or after ``since``)."""
    query = ImageQuality.select(ImageQuality.image)
    if version is not None:
        query = query.where(ImageQuality.model_version == version)
    if since is not None:
        query = query.where(ImageQuality.scored_at >= since)
    return {image_id for (image_id,) in query.tuples()}


def scores_stamp() -> tuple[int, float, int]:
    """(rows, newest score time, readable images): changes whenever scores are written or a
    scan finds photos missing or back."""
    count, newest = ImageQuality.select(pw.fn.COUNT(ImageQuality.image),
                                        pw.fn.MAX(ImageQuality.scored_at)).tuples().first()
    readable = Image.select(pw.fn.COUNT(Image.id)).where(Image.status == "ok").scalar()
    return int(count or 0), float(newest or 0.0), int(readable or 0)


def all_scores() -> dict[int, dict[str, float | None]]:
    """image id -> detector scores, for every scored image that is still in the catalog."""
    query = (ImageQuality.select(ImageQuality.image, ImageQuality.scores)
             .join(Image, on=ImageQuality.image == Image.id)
             .where(Image.status == "ok").tuples())
    return {image_id: json.loads(scores) for image_id, scores in query}


def all_quality() -> dict[int, tuple[dict[str, float | None], float]]:
    """image id -> (scores, figure) for every scored image."""
    query = ImageQuality.select(ImageQuality.image, ImageQuality.scores, ImageQuality.figure)
    return {image_id: (json.loads(scores), figure) for image_id, scores, figure in query.tuples()}


def image_quality(image_id: int) -> tuple[dict[str, float | None], float] | None:
    """(scores, figure) of one image, or None if it was never scored."""
    row = ImageQuality.get_or_none(ImageQuality.image == image_id)
    return (json.loads(row.scores), row.figure) if row else None


def user_labelled_ids() -> set[int]:
    query = PickLabel.select(PickLabel.image).where(PickLabel.source == "user").tuples()
    return {image_id for (image_id,) in query}


def set_auto_labels(labels: Mapping[int, str]) -> int:
    """Give images machine labels, skipping those the user labelled; returns how many."""
    user = user_labelled_ids()
    rows = [{"image": image_id, "label": _checked(label), "source": "auto",
             "set_at": time.time()} for image_id, label in labels.items() if image_id not in user]
    for start in range(0, len(rows), CHUNK):
        PickLabel.insert_many(rows[start:start + CHUNK]).on_conflict_replace().execute()
    return len(rows)


def set_user_label(image_ids: Iterable[int], label: str | None) -> None:
    """The user's label for images; None removes the label (a later run may label again)."""
    ids = list(image_ids)
    if label is None:
        PickLabel.delete().where(PickLabel.image.in_(ids)).execute()
        return
    rows = [{"image": image_id, "label": _checked(label), "source": "user",
             "set_at": time.time()} for image_id in ids]
    for start in range(0, len(rows), CHUNK):
        PickLabel.insert_many(rows[start:start + CHUNK]).on_conflict_replace().execute()


def labels(image_ids: Iterable[int] | None = None) -> dict[int, tuple[str, str]]:
    """image id -> (label, source)."""
    query = PickLabel.select(PickLabel.image, PickLabel.label, PickLabel.source)
    if image_ids is not None:
        query = query.where(PickLabel.image.in_(list(image_ids)))
    return {image_id: (label, source) for image_id, label, source in query.tuples()}


def label_counts() -> dict[str, int]:
    """How many catalogued images carry each label."""
    query = (PickLabel.select(PickLabel.label, pw.fn.COUNT(PickLabel.image))
             .join(Image, on=PickLabel.image == Image.id).where(Image.status == "ok")
             .group_by(PickLabel.label).tuples())
    counts = dict.fromkeys(LABELS, 0)
    counts.update(dict(query))
    return counts


def _checked(label: str) -> str:
    if label not in LABELS:
        raise ValueError(f"unknown pick label {label!r} ({' | '.join(LABELS)})")
    return label
