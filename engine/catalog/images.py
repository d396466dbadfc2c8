"""Queries on collections, albums and images."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import peewee as pw

from .names import from_db, to_db
from .records import AlbumRecord, CollectionRecord, ImageRecord
from .schema import Album, Collection, Image

CHUNK = 100  # rows per insert_many: SQLite's bound-variable limit


@dataclass(frozen=True)
class FileState:
    """What the scanner compares a file on disk with."""

    id: int
    size: int
    mtime_ns: int
    status: str
    error: str | None
    sidecar: tuple[int, int] | None = None    # (size, mtime) of its XMP sidecar at that scan


def ensure_collection(path: str) -> CollectionRecord:
    """The collection rooted at ``path`` (an absolute, resolved path), created if new."""
    text, raw = to_db(path)
    row, _ = Collection.get_or_create(path=text, defaults={"path_raw": raw,
                                                           "added_at": time.time()})
    return CollectionRecord(row.id, from_db(row.path, row.path_raw))


def collections() -> list[CollectionRecord]:
    """Every collection root, oldest first."""
    return [CollectionRecord(r.id, from_db(r.path, r.path_raw))
            for r in Collection.select().order_by(Collection.id)]


def album_index(collection_id: int) -> dict[str, tuple[int, str]]:
    """relpath (file-system str, '' for the root) -> (album id, status)."""
    query = (Album.select(Album.id, Album.relpath, Album.relpath_raw, Album.status)
             .where(Album.collection == collection_id).tuples())
    return {from_db(rel, raw): (aid, status) for aid, rel, raw, status in query}


def add_albums(collection_id: int, relpaths: Iterable[str]) -> dict[str, int]:
    """Insert albums (one another scan added meanwhile is left as it is); relpath -> id."""
    added = {}
    for rel in relpaths:
        text, raw = to_db(rel)
        (Album.insert(collection=collection_id, relpath=text, relpath_raw=raw)
         .on_conflict_ignore().execute())
        added[rel] = Album.select(Album.id).where((Album.collection == collection_id)
                                                  & (Album.relpath == text)).scalar()
    return added


def set_album_status(album_ids: Iterable[int], status: str, error: str | None = None) -> None:
    ids = list(album_ids)
    for start in range(0, len(ids), CHUNK):
        (Album.update(status=status, error=error)
         .where(Album.id.in_(ids[start:start + CHUNK])).execute())


def file_index(collection_id: int) -> dict[tuple[int, str], FileState]:
    """(album id, file name) -> state, for every image of a collection."""
    query = (Image.select(Image.album, Image.name, Image.name_raw, Image.id, Image.size,
                          Image.mtime_ns, Image.status, Image.error, Image.sidecar_size,
                          Image.sidecar_mtime_ns)
             .join(Album).where(Album.collection == collection_id).tuples())
    return {(album, from_db(name, raw)): FileState(
                iid, size, mtime, status, error,
                None if side_size is None else (side_size, side_mtime or 0))
            for album, name, raw, iid, size, mtime, status, error, side_size, side_mtime
            in query}


def missing_by_content() -> dict[tuple[int, str], int]:
    """(size, content hash) -> id of a missing image: where a moved file may come from."""
    query = (Image.select(Image.size, Image.content_hash, Image.id)
             .where((Image.status == "missing") & Image.content_hash.is_null(False)).tuples())
    return {(size, digest): iid for size, digest, iid in query}


def insert_image(album_id: int, name: str, fields: Mapping[str, Any]) -> int:
    """Insert one image row, or update the row another scan inserted meanwhile; its id."""
    text, raw = to_db(name)
    now = time.time()
    (Image.insert(album=album_id, name=text, name_raw=raw, added_at=now, scanned_at=now,
                  **fields)
     .on_conflict(conflict_target=[Image.album, Image.name],
                  update={getattr(Image, k): v for k, v in {**fields, "scanned_at": now}.items()})
     .execute())
    return Image.select(Image.id).where((Image.album == album_id) & (Image.name == text)).scalar()


def hashes(image_id: int) -> tuple[str | None, str | None]:
    """(content hash, pixel hash) stored for an image."""
    row = Image.select(Image.content_hash, Image.pixel_hash).where(Image.id == image_id).tuples()
    return row.first() or (None, None)


def update_image(image_id: int, fields: Mapping[str, Any]) -> None:
    Image.update(scanned_at=time.time(), **fields).where(Image.id == image_id).execute()


def move_image(image_id: int, album_id: int, name: str, fields: Mapping[str, Any]) -> bool:
    """Give an existing image (its id, tags and faces) a new place on disk; False when
    another scan already catalogued a file at that place."""
    text, raw = to_db(name)
    try:
        with Image._meta.database.atomic():  # a savepoint: the batch goes on without it
            update_image(image_id, {"album": album_id, "name": text, "name_raw": raw, **fields})
    except pw.IntegrityError:
        return False
    return True


def mark_missing(image_ids: Iterable[int]) -> None:
    ids = list(image_ids)
    for start in range(0, len(ids), CHUNK):
        (Image.update(status="missing", error=None)
         .where(Image.id.in_(ids[start:start + CHUNK])).execute())


def _path_expr() -> tuple[pw.Field, ...]:
    return (Collection.path, Collection.path_raw, Album.relpath, Album.relpath_raw,
            Image.name, Image.name_raw)


def _join_path(cpath: str, craw: bytes | None, rel: str, rraw: bytes | None,
               name: str, nraw: bytes | None) -> str:
    parts = [from_db(cpath, craw)]
    relpath = from_db(rel, rraw)
    if relpath:
        parts.append(relpath)
    parts.append(from_db(name, nraw))
    return os.path.join(*parts)


_IMAGE_COLUMNS = (Image.id, Image.album, Image.name, Image.kind, Image.format, Image.size,
                  Image.mtime_ns, Image.content_hash, Image.width, Image.height,
                  Image.orientation, Image.taken_at, Image.camera_make, Image.camera_model,
                  Image.lens, Image.gps_lat, Image.gps_lon, Image.gps_alt, Image.status,
                  Image.error)


def _image_query() -> Any:
    return Image.select(*_IMAGE_COLUMNS, *_path_expr()).join(Album).join(Collection)


def _record(row: tuple[Any, ...]) -> ImageRecord:
    values, path_parts = row[:len(_IMAGE_COLUMNS)], row[len(_IMAGE_COLUMNS):]
    iid, album, name, *rest = values
    return ImageRecord(iid, _join_path(*path_parts), album, name, *rest)


def get_image(image_id: int) -> ImageRecord | None:
    row = _image_query().where(Image.id == image_id).tuples().first()
    return _record(row) if row else None


def list_images(album_id: int | None = None, status: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[ImageRecord]:
    """Images ordered by album and name, optionally of one album or status."""
    query = _image_query()
    if album_id is not None:
        query = query.where(Image.album == album_id)
    if status is not None:
        query = query.where(Image.status == status)
    query = query.order_by(Album.relpath, Image.name).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_record(row) for row in query.tuples()]


def find_image(path: str) -> ImageRecord | None:
    """The image stored at an absolute file path, if catalogued."""
    for record in list_images_by_name(os.path.basename(path)):
        if record.path == path:
            return record
    return None


def list_images_by_name(name: str) -> list[ImageRecord]:
    text, _ = to_db(name)
    return [_record(row) for row in _image_query().where(Image.name == text).tuples()]


def albums() -> list[AlbumRecord]:
    """Every album with its number of present images, by collection and path."""
    count = pw.fn.COUNT(Image.id)
    query = (Album.select(Album.id, Album.collection, Album.relpath, Album.relpath_raw,
                          Album.status, Collection.path, Collection.path_raw, count)
             .join(Collection).switch(Album)
             .join(Image, pw.JOIN.LEFT_OUTER,
                   on=(Image.album == Album.id) & (Image.status != "missing"))
             .group_by(Album.id).order_by(Album.collection, Album.relpath).tuples())
    result = []
    for aid, cid, rel, rraw, status, cpath, craw, n in query:
        relpath = from_db(rel, rraw)
        root = from_db(cpath, craw)
        result.append(AlbumRecord(aid, cid, relpath,
                                  os.path.join(root, relpath) if relpath else root, status, n))
    return result


def error_of(image_id: int) -> str | None:
    """The recorded error text of an image."""
    return Image.select(Image.error).where(Image.id == image_id).scalar()
