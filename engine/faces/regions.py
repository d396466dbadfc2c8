"""Named face regions from the files' metadata (MWG or Microsoft) become confirmed faces.

A region is matched to the image's face that overlaps it most, so a face the detector also
found is not duplicated. A region's name goes to a face nobody decided about (unconfirmed,
that name not rejected for it); a name changed in the file moves a face that still holds the
name the file gave before; anything else is the user's decision in termkam and stays. With
``create``, a region without a face becomes a confirmed face of its own (source "metadata",
no embedding until `faces rebuild`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.validation import cleaned

from .geometry import Box, iou

MATCH_IOU = 0.3
Named = tuple[Box, str | None]   # a region: box in full-size displayed pixels, name


@dataclass
class Applied:
    confirmed: int = 0
    moved: int = 0
    created: list[tuple[int, int]] = field(default_factory=list)   # (face id, region index)


@dataclass
class _Face:
    id: int
    status: str
    person: str | None
    box: Box


def _best(boxes: Sequence[Box], box: Box) -> int | None:
    """The index of the box overlapping ``box`` most, if it overlaps enough to be the same."""
    best = max(range(len(boxes)), key=lambda i: iou(box, boxes[i]), default=None)
    return best if best is not None and iou(box, boxes[best]) >= MATCH_IOU else None


def _person_id(name: str) -> int:
    person = person_db.find_person(name)
    return person.id if person else person_db.create_person(name)


def apply_regions(image_id: int, named: Sequence[Named], before: Sequence[Named] = (),
                  create: bool = False) -> Applied:
    """Apply named regions to an image's faces; ``before``: the regions the file held at the
    last scan (how a renamed region is told from a face the user named otherwise)."""
    faces = [_Face(f.id, f.status, f.person, f.box)
             for f in face_db.list_faces(image_id=image_id, include_not_faces=True)]
    rejected = person_db.rejections([f.id for f in faces])
    applied = Applied()
    for index, (box, given) in enumerate(named):
        name = cleaned(given or "")
        if not name:
            continue
        found = _best([f.box for f in faces], box)
        if found is None:
            if create:
                fid = face_db.insert_face(image_id, box, source="metadata", status="confirmed",
                                          person_id=_person_id(name))
                faces.append(_Face(fid, "confirmed", name, box))
                applied.created.append((fid, index))
            continue
        face = faces[found]
        was = _best([b for b, _ in before], box)
        old = cleaned(before[was][1] or "") if was is not None else None
        person = person_db.find_person(name)
        banned = person is not None and person.id in rejected.get(face.id, set())
        if face.status == "unconfirmed" and not banned:
            applied.confirmed += 1
        elif face.status == "confirmed" and old and old != name and face.person == old:
            applied.moved += 1
        else:
            continue
        face_db.update_faces([face.id], status="confirmed", person=_person_id(name),
                             suggested_person=None, suggested_distance=None, cluster_id=None)
        face.status, face.person = "confirmed", name
    return applied
