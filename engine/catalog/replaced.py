"""A photo whose pixels changed under the same name: the machine's results on the old picture
go, the user's decisions on it stay and are reported, never moved onto the new picture.

Faces the user decided about (named, ignored, not a face, a name rejected) are kept apart as
*superseded*: still the user's word about a face that existed (a named face stays one of that
person's references), but no longer drawn on the photo or offered for review. Decisions about
the whole photo (the user's tags and pick label) stay on it and are named in the report.
"""

from __future__ import annotations

import time

import peewee as pw

from .faces import machine_face_ids
from .object_boxes import drop_boxes
from .schema import Face, ImageQuality, ImageTag, Person, PickLabel
from .tags import tag_paths

CHUNK = 400


def supersede_picture(image_id: int) -> tuple[list[int], str | None]:
    """Drop the machine's results on an image whose pixels changed and keep the user's faces
    apart; returns (ids of the faces deleted, a one-line report of the user's decisions that
    were on the old picture, or None when there were none)."""
    gone = machine_face_ids([image_id])
    for start in range(0, len(gone), CHUNK):
        Face.delete().where(Face.id.in_(gone[start:start + CHUNK])).execute()
    decided = list(Face.select(Face.id, Face.status, Person.name)
                   .join(Person, pw.JOIN.LEFT_OUTER, on=Face.person == Person.id)
                   .where((Face.image == image_id) & Face.superseded_at.is_null()).tuples())
    if decided:
        (Face.update(superseded_at=time.time(), cluster_id=None, suggested_person=None,
                     suggested_distance=None)
         .where(Face.id.in_([fid for fid, _, _ in decided])).execute())
    ImageTag.delete().where((ImageTag.image == image_id) & (ImageTag.source == "auto")).execute()
    drop_boxes(image_id)
    ImageQuality.delete().where(ImageQuality.image == image_id).execute()
    PickLabel.delete().where((PickLabel.image == image_id)
                             & (PickLabel.source == "auto")).execute()
    return gone, _report(image_id, decided)


def _report(image_id: int, decided: list[tuple[int, str, str | None]]) -> str | None:
    parts = []
    named = sorted({name for _, status, name in decided if status == "confirmed" and name})
    if named:
        parts.append(f"named faces kept apart from the new picture ({', '.join(named)})")
    others = sum(1 for _, status, _ in decided if status != "confirmed")
    if others:
        parts.append(f"{others} other face decision(s) kept apart")
    paths = tag_paths()
    user_tags = ["/".join(paths[tid]) for (tid,) in ImageTag.select(ImageTag.tag).where(
        (ImageTag.image == image_id) & (ImageTag.source == "user")).tuples()]
    if user_tags:
        parts.append(f"your tags kept on it: {', '.join(sorted(user_tags))}")
    label = PickLabel.select(PickLabel.label).where(
        (PickLabel.image == image_id) & (PickLabel.source == "user")).scalar()
    if label:
        parts.append(f"your pick label kept on it: {label}")
    if not parts:
        return None
    return "picture replaced under the same name: " + "; ".join(parts) + " (check them)"
