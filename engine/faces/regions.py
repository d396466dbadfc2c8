"""Named face regions from the files' metadata (MWG) become confirmed faces of those persons.

A region is matched to the image's face that overlaps it most, so a face the detector also
found is not duplicated; a decision the user already made in termkam is never overridden.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.validation import cleaned

from .geometry import Box, iou

MATCH_IOU = 0.3


def apply_regions(image_id: int, named: Sequence[tuple[Box, str | None]]) -> int:
    """Confirm the faces that named regions point at; returns how many were confirmed."""
    confirmed = 0
    faces = face_db.boxes_of_image(image_id)
    for box, given in named:
        name = cleaned(given or "")
        if not name:
            continue
        best = max(faces, key=lambda face: iou(box, face[2]), default=None)
        if best is None or iou(box, best[2]) < MATCH_IOU or best[1] != "unconfirmed":
            continue
        person = person_db.find_person(name)
        pid = person.id if person else person_db.create_person(name)
        face_db.update_faces([best[0]], status="confirmed", person=pid, suggested_person=None,
                             suggested_distance=None, cluster_id=None)
        confirmed += 1
    return confirmed
