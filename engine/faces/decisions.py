"""What the user decides about faces, each decision journaled so it can be undone.

Every function runs inside the caller's write transaction and returns (summary, persons
whose reference faces changed) so the caller can refresh suggestions incrementally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.catalog.records import FaceRecord
from engine.errors import TermkamError
from engine.printable import counted
from engine.validation import person_name

Result = tuple[str, set[int]]
_STATE = ("status", "person_id", "suggested_person_id", "suggested_distance", "cluster_id")


def _faces(face_ids: Iterable[int]) -> list[FaceRecord]:
    found = []
    for fid in dict.fromkeys(face_ids):
        record = face_db.get_face(fid) if 0 < fid < 2**63 else None
        if record is None:
            raise TermkamError(f"no face #{fid}")
        found.append(record)
    if not found:
        raise TermkamError("no faces given")
    return found


def _snapshot(records: Sequence[FaceRecord]) -> list[dict[str, Any]]:
    return [{"id": r.id, **{k: getattr(r, k) for k in _STATE}} for r in records]


def _journal(action: str, summary: str, records: Sequence[FaceRecord], **extra: Any) -> None:
    person_db.journal_add(action, summary, {"faces": _snapshot(records), **extra})


def _set(records: Sequence[FaceRecord], **fields: Any) -> None:
    face_db.update_faces([r.id for r in records], **fields)


def _person(name: str, created: list[int]) -> int:
    name = person_name(name)
    found = person_db.find_person(name)
    if found is not None:
        return found.id
    created.append(person_db.create_person(name))
    return created[-1]


def confirm(face_ids: Iterable[int]) -> Result:
    """Accept the suggested name of each face."""
    records = [r for r in _faces(face_ids) if r.status == "unconfirmed" and r.suggested_person_id]
    if not records:
        raise TermkamError("none of these faces has a suggestion to confirm")
    persons = {r.suggested_person_id for r in records if r.suggested_person_id}
    summary = f"confirmed {counted(len(records), 'face')}"
    _journal("confirm", summary, records)
    for pid in persons:
        _set([r for r in records if r.suggested_person_id == pid], status="confirmed",
             person=pid, suggested_person=None, suggested_distance=None, cluster_id=None)
    return summary, persons


def name(face_ids: Iterable[int], given: str) -> Result:
    """Name faces (creating the person if new); also how faces move to another person."""
    records = _faces(face_ids)
    created: list[int] = []
    pid = _person(given, created)
    summary = f"named {counted(len(records), 'face')} {person_name(given)}"
    _journal("name", summary, records, delete_persons=created,
             delete_rejections=[])
    person_db.remove_rejections((r.id, pid) for r in records)
    _set(records, status="confirmed", person=pid, suggested_person=None,
         suggested_distance=None, cluster_id=None)
    return summary, {pid} | {r.person_id for r in records if r.person_id}


def name_cluster(cluster_id: int, given: str) -> Result:
    members = face_db.list_faces(cluster_id=cluster_id, unknown=True)
    if not members:
        raise TermkamError(f"no cluster #{cluster_id}")
    return name([m.id for m in members], given)


def reject(face_ids: Iterable[int]) -> Result:
    """Say a face is not its suggested (or confirmed) person; that name is never suggested
    for it again."""
    records = [r for r in _faces(face_ids)
               if (r.status == "unconfirmed" and r.suggested_person_id) or r.status == "confirmed"]
    if not records:
        raise TermkamError("none of these faces has a name or suggestion to reject")
    named = [(r.id, r.suggested_person_id if r.status == "unconfirmed" else r.person_id)
             for r in records]
    pairs = [(f, p) for f, p in named if p is not None]
    summary = f"rejected the name of {counted(len(records), 'face')}"
    _journal("reject", summary, records, delete_rejections=pairs)
    person_db.add_rejections(pairs)
    _set(records, status="unconfirmed", person=None)
    return summary, {p for _, p in pairs}


def _mark(face_ids: Iterable[int], status: str, verb: str) -> Result:
    records = _faces(face_ids)
    summary = f"{verb} {counted(len(records), 'face')}"
    _journal(status, summary, records)
    _set(records, status=status, person=None, suggested_person=None, suggested_distance=None,
         cluster_id=None)
    return summary, {r.person_id for r in records if r.person_id}


def ignore(face_ids: Iterable[int]) -> Result:
    """Keep the faces but never suggest or cluster them (strangers in the background)."""
    return _mark(face_ids, "ignored", "ignored")


def not_a_face(face_ids: Iterable[int]) -> Result:
    """A false detection: hidden, and remembered so a rescan does not bring it back."""
    return _mark(face_ids, "not_face", "marked as not a face:")


def restore(face_ids: Iterable[int]) -> Result:
    """Bring ignored faces, and faces marked as not a face, back among the unknown faces."""
    records = [r for r in _faces(face_ids) if r.status in ("ignored", "not_face")]
    if not records:
        raise TermkamError("none of these faces is ignored or marked as not a face")
    summary = f"restored {counted(len(records), 'face')}"
    _journal("restore", summary, records)
    _set(records, status="unconfirmed")
    return summary, set()


def rename(old: str, new: str) -> Result:
    person = person_db.find_person(old)
    if person is None:
        raise TermkamError(f"no person named {old!r}")
    new = person_name(new)
    other = person_db.find_person(new)
    if other is not None and other.id != person.id:
        raise TermkamError(f"{other.name!r} already exists: merge {old!r} into it instead")
    summary = f"renamed {person.name} to {new}"
    person_db.journal_add("rename", summary, {"faces": [], "rename": [person.id, person.name]})
    person_db.rename_person(person.id, new)
    return summary, set()


def merge(source: str, target: str) -> Result:
    """Move every face of ``source`` to ``target`` and remove ``source``."""
    src, dst = person_db.find_person(source), person_db.find_person(target)
    if src is None or dst is None:
        raise TermkamError(f"no person named {source if src is None else target!r}")
    if src.id == dst.id:
        raise TermkamError("cannot merge a person into itself")
    records = (face_db.list_faces(person_id=src.id)
               + face_db.list_faces(suggested_person_id=src.id, status="unconfirmed"))
    old_rejections = [(f, src.id) for f, banned in person_db.rejections().items()
                      if src.id in banned]
    summary = f"merged {src.name} into {dst.name} ({counted(len(records), 'face')})"
    person_db.journal_add("merge", summary, {
        "faces": _snapshot(records), "restore_persons": [person_db.person_row(src.id)],
        "restore_rejections": old_rejections})
    face_db.update_faces([r.id for r in records if r.person_id == src.id], person=dst.id)
    face_db.update_faces([r.id for r in records if r.suggested_person_id == src.id],
                         suggested_person=dst.id)
    person_db.delete_person(src.id)
    return summary, {dst.id}


def undo(steps: int = 1) -> tuple[list[str], set[int], set[int]]:
    """Reverse the last ``steps`` decisions, newest first.

    Returns (summaries, persons touched, faces whose suggestion must be recomputed)."""
    if steps < 1:  # SQLite reads LIMIT -1 as "no limit": undo everything
        raise TermkamError(f"cannot undo {steps} decisions: give 1 or more")
    entries = person_db.journal_last(steps)
    if not entries:
        raise TermkamError("nothing to undo")
    touched: set[int] = set()
    orphaned: set[int] = set()
    for entry_id, _action, _summary, data in entries:
        for row in data.get("restore_persons", []):
            person_db.restore_person(row["id"], row["name"], row["created_at"])
        for face in data.get("faces", []):
            face_db.update_faces([face["id"]], status=face["status"], person=face["person_id"],
                                 suggested_person=face["suggested_person_id"],
                                 suggested_distance=face["suggested_distance"],
                                 cluster_id=face["cluster_id"])
            touched |= {p for p in (face["person_id"], face["suggested_person_id"]) if p}
        person_db.remove_rejections(tuple(p) for p in data.get("delete_rejections", []))
        person_db.add_rejections(tuple(p) for p in data.get("restore_rejections", []))
        if "rename" in data:
            person_db.rename_person(*data["rename"])
        for pid in data.get("delete_persons", []):
            orphaned |= {f.id for f in face_db.list_faces(suggested_person_id=pid)}
            person_db.delete_person(pid)
        person_db.journal_mark_undone(entry_id)
    return [summary for _, _, summary, _ in entries], touched, orphaned
