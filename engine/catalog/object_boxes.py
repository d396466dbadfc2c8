"""Where the object detector saw the things that gave a photo its auto tags.

Boxes are written by the tags job in the same transaction as the tags, replaced with them and
dropped with them (a replaced picture); a box is shown only while its photo carries its tag,
so a tag the user removed takes its boxes off the photo and one they confirmed keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .schema import ImageTag, ObjectBox
from .tags import ensure_tag, tag_paths

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ObjectBoxRecord:
    """One detection: the tag it gave, the model's class name and score, and its box (x, y,
    w, h normalised 0..1 on the displayed, orientation-applied photo)."""

    tag: tuple[str, ...]
    label: str
    score: float
    box: Box
    model_id: str


def put_boxes(image_id: int, boxes: Sequence[ObjectBoxRecord], replace: bool,
              rejected: Iterable[int] = ()) -> int:
    """Store an image's boxes from one tagging run; returns how many were written.

    ``replace`` drops every earlier box of the image; otherwise only the boxes of the tags
    found again are replaced. Boxes of tags in ``rejected`` (removed by the user) are skipped.
    """
    rejected = set(rejected)
    rows = []
    for found in boxes:
        tag_id = ensure_tag(found.tag)
        if tag_id in rejected:
            continue
        x, y, w, h = (float(v) for v in found.box)
        rows.append({"image": image_id, "tag": tag_id, "label": found.label,
                     "score": float(found.score), "x": x, "y": y, "w": w, "h": h,
                     "model_id": found.model_id})
    stale = ObjectBox.delete().where(ObjectBox.image == image_id)
    if not replace:
        stale = stale.where(ObjectBox.tag.in_({row["tag"] for row in rows}))
    stale.execute()
    for start in range(0, len(rows), 100):
        ObjectBox.insert_many(rows[start:start + 100]).execute()
    return len(rows)


def drop_boxes(image_id: int) -> None:
    """Forget every box of an image (its picture was replaced)."""
    ObjectBox.delete().where(ObjectBox.image == image_id).execute()


def image_boxes(image_id: int) -> list[ObjectBoxRecord]:
    """The boxes of the tags the image carries now (any source), best score first."""
    carried = ImageTag.select(ImageTag.tag).where(ImageTag.image == image_id)
    query = (ObjectBox.select(ObjectBox.tag, ObjectBox.label, ObjectBox.score, ObjectBox.x,
                              ObjectBox.y, ObjectBox.w, ObjectBox.h, ObjectBox.model_id)
             .where((ObjectBox.image == image_id) & ObjectBox.tag.in_(carried))
             .order_by(ObjectBox.score.desc(), ObjectBox.id).tuples())
    rows = list(query)
    paths = tag_paths() if rows else {}
    return [ObjectBoxRecord(paths[tag_id], label, score, (x, y, w, h), model_id)
            for tag_id, label, score, x, y, w, h, model_id in rows]
