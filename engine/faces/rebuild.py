"""What a rebuild of the recognition data would do: the faces an older model embedded, and
the confirmed faces the quality cut leaves out of the reference set (and why). The job itself
is in ``rebuild_job``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from engine.catalog import faces as face_db
from engine.catalog.records import FaceRecord
from engine.catalog.schema import Face, FaceEmbedding

from . import settings as face_settings


@dataclass
class RebuildReport:
    persons: int = 0
    used: int = 0
    left_out: list[tuple[int, str, str]] = field(default_factory=list)  # face, person, why
    reembedded: int = 0

    def summary(self) -> str:
        return (f"{self.persons} persons, {self.used} reference faces, {len(self.left_out)} "
                f"left out (low quality), {self.reembedded} re-embedded")


def stale_face_ids(embedder_id: str, version: str) -> list[int]:
    """Faces (not 'not a face') whose embedding is missing or from another model version."""
    current = {fid for (fid,) in FaceEmbedding.select(FaceEmbedding.face).where(
        (FaceEmbedding.model_id == embedder_id)
        & (FaceEmbedding.model_version == version)).tuples()}
    # A face of a replaced picture cannot be cropped again: it keeps the vector it has.
    query = Face.select(Face.id).where((Face.status != "not_face")
                                       & Face.superseded_at.is_null())
    return [fid for (fid,) in query.tuples() if fid not in current]


def stale_faces(embedder_id: str, version: str) -> list[FaceRecord]:
    """The records of ``stale_face_ids``."""
    found = (face_db.get_face(fid) for fid in stale_face_ids(embedder_id, version))
    return [record for record in found if record is not None]


def reference_report(settings: face_settings.FaceSettings) -> RebuildReport:
    """Which confirmed faces recognition uses, and which it leaves out and why."""
    report = RebuildReport()
    named = face_db.list_faces(status="confirmed")
    report.persons = len({f.person_id for f in named})
    for face in named:
        if face.quality is not None and face.quality < settings.quality_cut:
            report.left_out.append((face.id, face.person or "?", _why(face, settings)))
        else:
            report.used += 1
    return report


def _why(face: FaceRecord, settings: face_settings.FaceSettings) -> str:
    detail = Face.select(Face.quality_detail).where(Face.id == face.id).scalar()
    parts = json.loads(detail) if detail else {}
    weakest = min(parts.items(), key=lambda kv: kv[1], default=None)
    reason = f"quality {face.quality:.2f} < {settings.quality_cut:.2f}"
    return f"{reason} (weakest: {weakest[0]} {weakest[1]:.2f})" if weakest else reason
