"""Per-image processing state: which step ran on which image with which model version.

A job asks ``pending`` for the images whose step is missing or was done by another model
or version (stale), so a killed job resumes where it stopped and a model change redoes work.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from .schema import Image, Processing

CHUNK = 200


def mark_done(image_ids: Iterable[int], step: str, model_id: str = "",
              model_version: str = "") -> None:
    now = time.time()
    rows = [{"image": iid, "step": step, "model_id": model_id, "model_version": model_version,
             "done_at": now} for iid in image_ids]
    for start in range(0, len(rows), CHUNK):
        Processing.insert_many(rows[start:start + CHUNK]).on_conflict_replace().execute()


def done_ids(step: str, model_id: str = "", model_version: str = "") -> set[int]:
    """Images whose ``step`` is done by exactly this model id and version."""
    query = (Processing.select(Processing.image)
             .where((Processing.step == step) & (Processing.model_id == model_id)
                    & (Processing.model_version == model_version)).tuples())
    return {iid for (iid,) in query}


def done_since(step: str, model_id: str, model_version: str, since: float) -> set[int]:
    """Images whose ``step`` this model version did at or after ``since`` (a resumed job
    skips what the job it continues already redid)."""
    query = (Processing.select(Processing.image)
             .where((Processing.step == step) & (Processing.model_id == model_id)
                    & (Processing.model_version == model_version)
                    & (Processing.done_at >= since)).tuples())
    return {iid for (iid,) in query}


def pending(step: str, model_id: str = "", model_version: str = "",
            status: str = "ok") -> list[int]:
    """Ids of images (of ``status``) where ``step`` is missing or stale, in id order."""
    done = done_ids(step, model_id, model_version)
    ids = Image.select(Image.id).where(Image.status == status).order_by(Image.id).tuples()
    return [iid for (iid,) in ids if iid not in done]


def clear(image_ids: Iterable[int], step: str | None = None) -> None:
    """Forget processing state (all steps, or one) for images, e.g. when a file changed."""
    ids = list(image_ids)
    for start in range(0, len(ids), CHUNK):
        query = Processing.delete().where(Processing.image.in_(ids[start:start + CHUNK]))
        if step is not None:
            query = query.where(Processing.step == step)
        query.execute()
