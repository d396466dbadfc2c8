"""digiKam's face regions placed on the faces termkam has for the same picture.

A face in digiKam is an ImageTagProperties row: the person's tag, a property saying what kind
of face it is and ``<rect x=".." y=".." width=".." height=".."/>``. ``tagRegion`` is a
confirmed face, ``ignoredFace`` (on the Ignored person) an ignored one; ``autodetectedFace``
is a face digiKam found, unknown or only suggested, so not the user's word; ``faceToTrain``
and ``autodetectedPerson`` rows only go with those. The rectangle is in full-size pixels of
the picture as displayed, orientation applied: digiKam detects faces on the rotated picture
(``TagRegion::relativeToAbsolute`` with the rotated DImg's original size) and turns the
rectangles whenever a picture's orientation changes (``FileActionMngr::ajustFaceRectangles``).
That is the frame termkam keeps faces in, so a rectangle is used as it is.

A region confirms the termkam face it overlaps most (``regions.MATCH_IOU``, the rule for
regions read from files) or becomes a face of its own; what the user already decided in
termkam about that face is kept and reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.catalog.records import ImageRecord
from engine.faces.geometry import Box, displayed_size, iou
from engine.faces.regions import MATCH_IOU

from .digikam_db import DkFaceRow
from .digikam_tags import TagIndex

CONFIRMED, IGNORED_FACE = "tagRegion", "ignoredFace"
COMPANIONS = ("faceToTrain", "autodetectedPerson")  # rows that go with a face's own row
NOT_CONFIRMED = "digiKam faces nobody confirmed (unknown or only suggested)"
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
MIN_INSIDE = 0.5  # share of a region that must lie on the picture


@dataclass(frozen=True)
class Region:
    person: str | None          # None: an ignored face
    box: Box | None             # None: the rectangle could not be read
    text: str                   # digiKam's own value, for the report


@dataclass(frozen=True)
class FaceStep:
    face_id: int | None         # None: a new face at ``box``
    box: Box
    person: str | None          # None: ignore the face


@dataclass
class FacePlan:
    steps: list[FaceStep] = field(default_factory=list)
    present: int = 0
    unplaced: list[tuple[Region, str]] = field(default_factory=list)
    conflicts: list[tuple[Region, str]] = field(default_factory=list)


def parse_rect(text: str | None) -> Box | None:
    """``<rect x="1" y="2" width="3" height="4"/>`` as (x, y, w, h); None if it is not one."""
    if not text or not text.lstrip().startswith("<rect"):
        return None
    values = dict(_ATTRIBUTE.findall(text))
    try:
        x, y, w, h = (float(values[k]) for k in ("x", "y", "width", "height"))
    except (KeyError, ValueError):
        return None
    return (x, y, w, h) if w > 0 and h > 0 else None


def regions_of(rows: Sequence[DkFaceRow], tags: TagIndex) -> tuple[list[Region], Counter[str]]:
    """The confirmed and ignored faces among an image's rows; the others counted by kind."""
    regions: list[Region] = []
    others: Counter[str] = Counter()
    for row in rows:
        name = tags.face_name(row.tag_id)
        if row.property == CONFIRMED and name is not None:
            regions.append(Region(name, parse_rect(row.value), row.value or ""))
        elif row.tag_id in tags.ignored and row.property in (IGNORED_FACE, CONFIRMED):
            regions.append(Region(None, parse_rect(row.value), row.value or ""))
        elif row.property not in COMPANIONS and parse_rect(row.value) is not None:
            others[NOT_CONFIRMED] += 1
    return list(dict.fromkeys(regions)), others


def _on_picture(box: Box, record: ImageRecord) -> Box | str:
    """The box cut to the displayed picture, or why it cannot be placed on it."""
    if not record.width or not record.height:
        return "the picture's size is unknown"
    width, height = displayed_size(record.width, record.height, record.orientation)
    x0, y0 = max(0.0, box[0]), max(0.0, box[1])
    x1, y1 = min(float(width), box[0] + box[2]), min(float(height), box[1] + box[3])
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) < MIN_INSIDE * box[2] * box[3]:
        return f"outside the picture ({width}x{height} as displayed)"
    return (x0, y0, x1 - x0, y1 - y0)


@dataclass
class _Slot:
    face_id: int | None          # None: a face this run adds
    box: Box
    status: str
    person_id: int | None
    person: str | None
    taken: bool = False          # a region of this run is on it
    intent: str | None = None    # ... and names it so (None: ignores it)


def _describe(slot: _Slot) -> str:
    state = {"confirmed": slot.person, "not_face": "marked as not a face"}.get(slot.status,
                                                                             slot.status)
    return f"face #{slot.face_id} is {state} in termkam"


def _verdict(slot: _Slot, region: Region, rejected: set[int]) -> str | None:
    """None when ``region`` may decide about the face; else "present" when termkam already
    holds the same, or why termkam's own decision stays."""
    person = person_db.find_person(region.person) if region.person else None
    if (region.person is None and slot.status == "ignored") or (
            person is not None and slot.status == "confirmed" and slot.person_id == person.id):
        return "present"
    if slot.status != "unconfirmed":
        return _describe(slot)
    if person is not None and person.id in rejected:
        return f"face #{slot.face_id}: {region.person} was rejected for it in termkam"
    return None


def plan_faces(record: ImageRecord, regions: Sequence[Region]) -> FacePlan:
    """What to do on termkam's faces of ``record`` so that it holds digiKam's ``regions``
    (named ones first, so a face both named and ignored gets its name)."""
    plan = FacePlan()
    if not regions:
        return plan
    slots = [_Slot(f.id, f.box, f.status, f.person_id, f.person)
             for f in face_db.list_faces(image_id=record.id, include_not_faces=True)]
    rejected = person_db.rejections([s.face_id for s in slots if s.face_id is not None])
    for region in sorted(regions, key=lambda r: r.person is None):
        box = _on_picture(region.box, record) if region.box else "not a rectangle"
        if isinstance(box, str):
            plan.unplaced.append((region, box))
            continue
        best = max(slots, key=lambda s: iou(box, s.box), default=None)
        if best is None or iou(box, best.box) < MATCH_IOU:
            slots.append(_Slot(None, box, "new", None, None, True, region.person))
            plan.steps.append(FaceStep(None, box, region.person))
            continue
        if best.taken:
            if best.intent != region.person:
                plan.unplaced.append((region, "overlaps a face another region names"))
            continue
        verdict = _verdict(best, region, rejected.get(best.face_id or 0, set()))
        if verdict is None:
            plan.steps.append(FaceStep(best.face_id, best.box, region.person))
        elif verdict == "present":
            plan.present += 1
        else:
            plan.conflicts.append((region, verdict))
        best.taken, best.intent = True, region.person
    return plan
