"""Queries on faces, their embeddings and their face-crop thumbnails."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import peewee as pw

from .images import _join_path
from .records import FaceRecord
from .schema import (
    Album,
    Collection,
    Face,
    FaceEmbedding,
    FaceRejection,
    FaceThumb,
    Image,
    Person,
)

CHUNK = 400
MACHINE = "unconfirmed"
KEPT_BY_USER = ("confirmed", "ignored", "not_face")  # decisions no job may overwrite


def _found(box: Sequence[float], landmarks: Sequence[Sequence[float]] | None,
           det_score: float | None, quality: float | None,
           quality_detail: dict[str, float] | None, source: str,
           detector: str | None) -> dict[str, Any]:
    """The columns a detection (or a face region) gives a face."""
    x, y, w, h = (float(v) for v in box)
    return dict(
        x=x, y=y, w=w, h=h,
        landmarks=json.dumps([[round(float(a), 2), round(float(b), 2)] for a, b in landmarks])
        if landmarks else None,
        det_score=det_score, quality=quality,
        quality_detail=json.dumps(quality_detail) if quality_detail else None,
        source=source, detector=detector)


def insert_face(image_id: int, box: Sequence[float], *, landmarks: Sequence[Sequence[float]]
                | None = None, det_score: float | None = None, quality: float | None = None,
                quality_detail: dict[str, float] | None = None, source: str = "detector",
                detector: str | None = None, status: str = MACHINE,
                person_id: int | None = None) -> int:
    now = time.time()
    return Face.insert(
        image=image_id, **_found(box, landmarks, det_score, quality, quality_detail, source,
                                 detector),
        status=status, person=person_id, created_at=now, updated_at=now).execute()


def adopt_detection(face_id: int, box: Sequence[float], *,
                    landmarks: Sequence[Sequence[float]] | None, det_score: float | None,
                    quality: float | None, quality_detail: dict[str, float] | None,
                    source: str, detector: str | None) -> None:
    """Give a face the box and scores of a detection of it; its status and person stay."""
    update_faces([face_id], **_found(box, landmarks, det_score, quality, quality_detail,
                                     source, detector))


def unembedded_region_faces(image_id: int) -> set[int]:
    """Faces of an image made from metadata regions that have no embedding yet."""
    query = Face.select(Face.id).where(
        (Face.image == image_id) & (Face.source == "metadata") & Face.superseded_at.is_null()
        & Face.id.not_in(FaceEmbedding.select(FaceEmbedding.face)))
    return {fid for (fid,) in query.tuples()}


def set_embedding(face_id: int, model_id: str, model_version: str, vector: np.ndarray) -> None:
    blob = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
    (FaceEmbedding.insert(face=face_id, model_id=model_id, model_version=model_version,
                          vector=blob).on_conflict_replace().execute())


def update_faces(face_ids: Iterable[int], **fields: Any) -> None:
    ids = list(face_ids)
    fields["updated_at"] = time.time()
    for start in range(0, len(ids), CHUNK):
        Face.update(**fields).where(Face.id.in_(ids[start:start + CHUNK])).execute()


def delete_faces(face_ids: Iterable[int]) -> None:
    ids = list(face_ids)
    for start in range(0, len(ids), CHUNK):
        Face.delete().where(Face.id.in_(ids[start:start + CHUNK])).execute()


def machine_face_ids(image_ids: Iterable[int]) -> list[int]:
    """Faces of these images that only a job has looked at: no user decision, not even a
    rejected name (a rejection is the user's word about that face and must outlive a rescan)."""
    ids = list(image_ids)
    rejected = FaceRejection.select(FaceRejection.face)
    found: list[int] = []
    for start in range(0, len(ids), CHUNK):
        found += [fid for (fid,) in Face.select(Face.id).where(
            Face.image.in_(ids[start:start + CHUNK]) & (Face.status == MACHINE)
            & Face.id.not_in(rejected)).tuples()]
    return found


def boxes_of_image(image_id: int) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(face id, status, box) of every face of an image, 'not a face' markers included."""
    query = Face.select(Face.id, Face.status, Face.x, Face.y, Face.w, Face.h).where(
        (Face.image == image_id) & Face.superseded_at.is_null())
    return [(fid, status, (x, y, w, h)) for fid, status, x, y, w, h in query.tuples()]


_SUGGESTED = Person.alias("suggested")


def _query() -> Any:
    return (Face.select(Face.id, Face.image, Face.x, Face.y, Face.w, Face.h, Face.landmarks,
                        Face.det_score, Face.quality, Face.source, Face.status, Face.person,
                        Person.name, Face.suggested_person, _SUGGESTED.name,
                        Face.suggested_distance, Face.cluster_id, Face.superseded_at,
                        Collection.path,
                        Collection.path_raw, Album.relpath, Album.relpath_raw, Image.name,
                        Image.name_raw)
            .join_from(Face, Person, pw.JOIN.LEFT_OUTER, on=(Face.person == Person.id))
            .join_from(Face, _SUGGESTED, pw.JOIN.LEFT_OUTER,
                       on=(Face.suggested_person == _SUGGESTED.id))
            .join_from(Face, Image).join_from(Image, Album).join_from(Album, Collection))


def _record(row: tuple[Any, ...]) -> FaceRecord:
    (fid, image_id, x, y, w, h, marks, det, quality, source, status, pid, pname, sid, sname,
     dist, cluster, superseded, *path) = row
    landmarks = tuple((a, b) for a, b in json.loads(marks)) if marks else None
    return FaceRecord(fid, image_id, (x, y, w, h), landmarks, det, quality, source, status,
                      pid, pname, sid, sname, dist, cluster, _join_path(*path),
                      superseded is not None)


# Unconfirmed faces of a replaced picture: kept for the rejections on them, never reviewed.
_LIVE = ~((Face.status == MACHINE) & Face.superseded_at.is_null(False))


def get_face(face_id: int) -> FaceRecord | None:
    row = _query().where(Face.id == face_id).tuples().first()
    return _record(row) if row else None


def list_faces(*, status: str | None = None, person_id: int | None = None,
               suggested_person_id: int | None = None, cluster_id: int | None = None,
               image_id: int | None = None, unknown: bool = False,
               include_not_faces: bool = False, order: str = "image",
               limit: int | None = None, offset: int = 0) -> list[FaceRecord]:
    """Faces filtered by state; ``unknown`` = unconfirmed faces without a suggestion.

    ``order`` is "image" (album, file, position) or "confidence" (best suggestion first).
    """
    query = _query().where(_LIVE)
    if status is not None:
        query = query.where(Face.status == status)
    elif not include_not_faces:
        query = query.where(Face.status != "not_face")
    if person_id is not None:
        query = query.where(Face.person == person_id)
    if suggested_person_id is not None:
        query = query.where(Face.suggested_person == suggested_person_id)
    if cluster_id is not None:
        query = query.where(Face.cluster_id == cluster_id)
    if image_id is not None:  # the faces on the picture as it is now
        query = query.where((Face.image == image_id) & Face.superseded_at.is_null())
    if unknown:
        query = query.where((Face.status == MACHINE) & Face.suggested_person.is_null())
    if order == "confidence":
        query = query.order_by(Face.suggested_distance.asc(nulls="LAST"), Face.id)
    else:
        query = query.order_by(Album.relpath, Image.name, Face.x, Face.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_record(row) for row in query.tuples()]


def embeddings(face_ids: Sequence[int] | None = None, *, model_id: str,
               model_version: str) -> tuple[np.ndarray, np.ndarray]:
    """(face ids, (n, d) float32 matrix) of faces embedded by this model version."""
    query = (FaceEmbedding.select(FaceEmbedding.face, FaceEmbedding.vector)
             .where((FaceEmbedding.model_id == model_id)
                    & (FaceEmbedding.model_version == model_version)))
    rows: list[tuple[int, bytes]] = []
    if face_ids is None:
        rows = list(query.tuples())
    else:
        ids = list(face_ids)
        for start in range(0, len(ids), CHUNK):
            rows += list(query.where(FaceEmbedding.face.in_(ids[start:start + CHUNK])).tuples())
    if not rows:
        return np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
    ids_out = np.fromiter((fid for fid, _ in rows), np.int64, len(rows))
    matrix = np.frombuffer(b"".join(blob for _, blob in rows), np.float32)
    return ids_out, matrix.reshape(len(rows), -1)


def face_states() -> list[tuple[int, str, int | None, int | None, float | None, int | None]]:
    """(id, status, person, suggested person, suggested distance, cluster) of every face."""
    return list(Face.select(Face.id, Face.status, Face.person, Face.suggested_person,
                            Face.suggested_distance, Face.cluster_id).where(_LIVE).tuples())


def qualities() -> dict[int, float | None]:
    return dict(Face.select(Face.id, Face.quality).tuples())


def put_face_thumbs(rows: Iterable[tuple[int, bytes]]) -> None:
    data = [{"face_id": fid, "jpeg": jpeg} for fid, jpeg in rows]
    for start in range(0, len(data), 100):
        FaceThumb.insert_many(data[start:start + 100]).on_conflict_replace().execute()


def delete_face_thumbs(face_ids: Iterable[int]) -> None:
    """Drop the crops of deleted faces (the thumbnail store has no foreign keys)."""
    ids = list(face_ids)
    for start in range(0, len(ids), CHUNK):
        FaceThumb.delete().where(FaceThumb.face_id.in_(ids[start:start + CHUNK])).execute()


def get_face_thumb(face_id: int) -> bytes | None:
    return FaceThumb.select(FaceThumb.jpeg).where(FaceThumb.face_id == face_id).scalar()


def face_counts() -> dict[str, int]:
    """Faces by status."""
    return dict(Face.select(Face.status, pw.fn.COUNT(Face.id)).group_by(Face.status).tuples())


def embedding_stamp(model_id: str, model_version: str) -> tuple[int, int]:
    """(count, max face id) of a model's embeddings: changes whenever vectors are added or
    removed (vectors themselves are never edited in place)."""
    count, top = (FaceEmbedding.select(pw.fn.COUNT(FaceEmbedding.face),
                                       pw.fn.MAX(FaceEmbedding.face))
                  .where((FaceEmbedding.model_id == model_id)
                         & (FaceEmbedding.model_version == model_version)).tuples().first())
    return int(count or 0), int(top or 0)
