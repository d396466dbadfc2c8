"""Persons, rejected suggestions, clusters and the journal of face decisions."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

import peewee as pw

from .records import ClusterRecord, JournalRecord, PersonRecord
from .schema import Face, FaceJournal, FaceRejection, Person


def find_person(name: str) -> PersonRecord | None:
    """The person with this name (case-insensitive), if any."""
    row = Person.select(Person.id, Person.name).where(Person.name == name.strip()).tuples().first()
    return PersonRecord(*row) if row else None


def get_person(person_id: int) -> PersonRecord | None:
    row = Person.select(Person.id, Person.name).where(Person.id == person_id).tuples().first()
    return PersonRecord(*row) if row else None


def create_person(name: str) -> int:
    return Person.insert(name=name.strip(), created_at=time.time()).execute()


def restore_person(person_id: int, name: str, created_at: float) -> None:
    Person.insert(id=person_id, name=name, created_at=created_at).on_conflict_replace().execute()


def person_row(person_id: int) -> dict[str, Any] | None:
    row = Person.get_or_none(Person.id == person_id)
    return {"id": row.id, "name": row.name, "created_at": row.created_at} if row else None


def rename_person(person_id: int, name: str) -> None:
    Person.update(name=name.strip()).where(Person.id == person_id).execute()


def delete_person(person_id: int) -> None:
    Person.delete().where(Person.id == person_id).execute()


def persons() -> list[PersonRecord]:
    """Every person with confirmed and suggested face counts, by name."""
    confirmed = dict(Face.select(Face.person, pw.fn.COUNT(Face.id))
                     .where(Face.status == "confirmed").group_by(Face.person).tuples())
    suggested = dict(Face.select(Face.suggested_person, pw.fn.COUNT(Face.id))
                     .where((Face.status == "unconfirmed") & Face.suggested_person.is_null(False))
                     .group_by(Face.suggested_person).tuples())
    return [PersonRecord(pid, name, confirmed.get(pid, 0), suggested.get(pid, 0))
            for pid, name in Person.select(Person.id, Person.name).order_by(Person.name).tuples()]


def best_faces() -> dict[int, int]:
    """person id -> their confirmed face of the best quality, on a picture as it is now."""
    query = (Face.select(Face.person, Face.id, pw.fn.MAX(Face.quality))
             .where((Face.status == "confirmed") & Face.superseded_at.is_null())
             .group_by(Face.person))
    return {pid: fid for pid, fid, _ in query.tuples()}


def rejections(face_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """face id -> persons the user said this face is not."""
    query = FaceRejection.select(FaceRejection.face, FaceRejection.person)
    if face_ids is not None:
        query = query.where(FaceRejection.face.in_(list(face_ids)))
    result: dict[int, set[int]] = {}
    for fid, pid in query.tuples():
        result.setdefault(fid, set()).add(pid)
    return result


def add_rejections(pairs: Iterable[tuple[int, int]]) -> None:
    rows = [{"face": f, "person": p} for f, p in pairs]
    if rows:
        FaceRejection.insert_many(rows).on_conflict_ignore().execute()


def remove_rejections(pairs: Iterable[tuple[int, int]]) -> None:
    for face_id, person_id in pairs:
        FaceRejection.delete().where((FaceRejection.face == face_id)
                                     & (FaceRejection.person == person_id)).execute()


def clusters() -> list[ClusterRecord]:
    """Clusters of unknown faces, largest first."""
    members: dict[int, list[int]] = {}
    query = (Face.select(Face.cluster_id, Face.id)
             .where(Face.cluster_id.is_null(False) & (Face.status == "unconfirmed")
                    & Face.suggested_person.is_null()).order_by(Face.id).tuples())
    for cid, fid in query:
        members.setdefault(cid, []).append(fid)
    return sorted((ClusterRecord(cid, len(ids), tuple(ids)) for cid, ids in members.items()),
                  key=lambda c: (-c.size, c.id))


def set_clusters(assignment: Mapping[int, int | None]) -> None:
    """Give faces their cluster id (None: no cluster); writes only what changed."""
    ids = list(assignment)
    current: dict[int, int | None] = {}
    for start in range(0, len(ids), 400):
        current.update(Face.select(Face.id, Face.cluster_id)
                       .where(Face.id.in_(ids[start:start + 400])).tuples())
    by_cluster: dict[int | None, list[int]] = {}
    for fid, cid in assignment.items():
        if current.get(fid, -1) != cid:
            by_cluster.setdefault(cid, []).append(fid)
    for cid, ids in by_cluster.items():
        for start in range(0, len(ids), 400):
            Face.update(cluster_id=cid).where(Face.id.in_(ids[start:start + 400])).execute()


def decision_stamp() -> tuple[int, ...]:
    """Changes whenever faces are added or removed or the user decides or undoes something
    about faces (every decision is journaled): a result computed before it may be stale."""
    faces = Face.select(pw.fn.COUNT(Face.id), pw.fn.MAX(Face.id)).tuples().first()
    journal = FaceJournal.select(pw.fn.MAX(FaceJournal.id),
                                 pw.fn.SUM(FaceJournal.undone)).tuples().first()
    return (*(int(v or 0) for v in faces), *(int(v or 0) for v in journal),
            FaceRejection.select().count())


def journal_add(action: str, summary: str, undo: Mapping[str, Any]) -> int:
    return FaceJournal.insert(action=action, summary=summary, undo=json.dumps(undo),
                              at=time.time()).execute()


def journal_last(limit: int = 1) -> list[tuple[int, str, str, dict[str, Any]]]:
    """The latest decisions not yet undone: (id, action, summary, undo data), newest first."""
    if limit < 1:
        return []
    query = (FaceJournal.select(FaceJournal.id, FaceJournal.action, FaceJournal.summary,
                                FaceJournal.undo)
             .where(FaceJournal.undone == 0).order_by(FaceJournal.id.desc()).limit(limit))
    return [(jid, action, summary, json.loads(undo)) for jid, action, summary, undo
            in query.tuples()]


def journal_recent(limit: int = 20) -> list[JournalRecord]:
    """The latest decisions, those undone included, newest first."""
    query = (FaceJournal.select(FaceJournal.id, FaceJournal.at, FaceJournal.action,
                                FaceJournal.summary, FaceJournal.undone)
             .order_by(FaceJournal.id.desc()).limit(max(0, limit)))
    return [JournalRecord(jid, at, action, summary, bool(undone))
            for jid, at, action, summary, undone in query.tuples()]


def journal_mark_undone(entry_id: int) -> None:
    FaceJournal.update(undone=1).where(FaceJournal.id == entry_id).execute()


def forget_all_decisions() -> None:
    """Every face back to unconfirmed, no persons, rejections or journal (evaluation runs on
    a throw-away library use this between trials)."""
    Face.update(status="unconfirmed", person=None, suggested_person=None,
                suggested_distance=None, cluster_id=None).where(Face.status != "not_face").execute()
    FaceRejection.delete().execute()
    FaceJournal.delete().execute()
    Person.delete().execute()
