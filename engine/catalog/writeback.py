"""What the metadata write-back needs from the catalog: what a photo's metadata should say,
what termkam last wrote into it, and the queue of photos whose decisions changed since."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import peewee as pw

from .schema import Face, ImageTag, MetadataPending, MetadataWritten, Person, PickLabel
from .tags import tag_paths

CHUNK = 400


@dataclass(frozen=True)
class PhotoState:
    """A photo's decisions as the write-back writes them."""

    tags: tuple[tuple[str, ...], ...]                           # sorted tag paths
    faces: tuple[tuple[str, tuple[float, float, float, float]], ...]  # name, displayed box
    pick_label: str | None


@dataclass(frozen=True)
class WrittenRecord:
    target: str
    path: str
    owned: dict[str, Any]
    written_at: float


def photo_state(image_id: int, auto_tags: bool = True) -> PhotoState:
    """Tags (the user's, the files', and the models' unless ``auto_tags`` is off), named faces
    on the picture as it is now, and the pick label of one photo."""
    sources = ("user", "metadata", "auto") if auto_tags else ("user", "metadata")
    paths = tag_paths()
    tags = {paths[tid] for (tid,) in ImageTag.select(ImageTag.tag).where(
        (ImageTag.image == image_id) & ImageTag.source.in_(sources)).tuples()}
    faces = (Face.select(Person.name, Face.x, Face.y, Face.w, Face.h)
             .join(Person, on=Face.person == Person.id)
             .where((Face.image == image_id) & (Face.status == "confirmed")
                    & Face.superseded_at.is_null())
             .order_by(Face.x, Face.id).tuples())
    label = PickLabel.select(PickLabel.label).where(PickLabel.image == image_id).scalar()
    return PhotoState(tuple(sorted(tags)),
                      tuple((name, (x, y, w, h)) for name, x, y, w, h in faces), label)


def written(image_id: int) -> WrittenRecord | None:
    """What termkam last wrote for a photo, if anything."""
    row = MetadataWritten.get_or_none(MetadataWritten.image == image_id)
    if row is None:
        return None
    return WrittenRecord(row.target, row.path, json.loads(row.owned), row.written_at)


def written_ids() -> set[int]:
    """Photos termkam has written metadata for."""
    return {iid for (iid,) in MetadataWritten.select(MetadataWritten.image).tuples()}


def written_since(since: float) -> set[int]:
    """Photos written at or after ``since`` (a resumed "all" write skips them)."""
    return {iid for (iid,) in MetadataWritten.select(MetadataWritten.image)
            .where(MetadataWritten.written_at >= since).tuples()}


def owned_keywords(image_id: int) -> set[tuple[str, ...]]:
    """The keyword paths termkam itself wrote into a photo's metadata: read back, they are
    termkam's own tags, not the file's."""
    record = written(image_id)
    if record is None:
        return set()
    lists = record.owned.get("lists") or {}
    found = {tuple(v.split("/")) for v in lists.get("Xmp.digiKam.TagsList", [])}
    found |= {tuple(v.split("|")) for v in lists.get("Xmp.lr.hierarchicalSubject", [])}
    found |= {(v,) for key in ("Xmp.dc.subject", "Iptc.Application2.Keywords")
              for v in lists.get(key, [])}
    return found


def record_written(image_id: int, target: str, path: str, owned: dict[str, Any]) -> None:
    (MetadataWritten.insert(image=image_id, target=target, path=path,
                            owned=json.dumps(owned, ensure_ascii=False), written_at=time.time())
     .on_conflict_replace().execute())


def queue(image_ids: Iterable[int]) -> None:
    """Photos whose decisions changed: they wait for the write-back (the latest time wins)."""
    now = time.time()
    rows = [{"image": iid, "queued_at": now} for iid in dict.fromkeys(image_ids)]
    for start in range(0, len(rows), CHUNK):
        MetadataPending.insert_many(rows[start:start + CHUNK]).on_conflict_replace().execute()


def queued_ids() -> list[int]:
    return [iid for (iid,) in MetadataPending.select(MetadataPending.image)
            .order_by(MetadataPending.image).tuples()]


def unqueue(image_id: int, read_at: float) -> None:
    """Take a photo off the queue unless a decision came after its state was read."""
    MetadataPending.delete().where((MetadataPending.image == image_id)
                                   & (MetadataPending.queued_at <= read_at)).execute()


def images_of_faces(face_ids: Iterable[int]) -> set[int]:
    ids = list(face_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found |= {iid for (iid,) in Face.select(Face.image)
                  .where(Face.id.in_(ids[start:start + CHUNK])).distinct().tuples()}
    return found


def images_changed_since(when: float) -> set[int]:
    """Images with a face updated at or after ``when`` (a decision just made)."""
    return {iid for (iid,) in Face.select(Face.image).where(Face.updated_at >= when)
            .distinct().tuples()}


def images_of_persons(person_ids: Iterable[int]) -> set[int]:
    ids = list(person_ids)
    if not ids:
        return set()
    return {iid for (iid,) in Face.select(Face.image)
            .where(Face.person.in_(ids) & (Face.status == "confirmed")).distinct().tuples()}


def pending_count() -> int:
    return int(MetadataPending.select(pw.fn.COUNT(MetadataPending.image)).scalar() or 0)
