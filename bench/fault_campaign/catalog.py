"""Reading a catalog with plain sqlite3: read-only connections, image and tag paths, and
faces keyed by (image path, rounded box)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@contextlib.contextmanager
def read_only(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``db`` (the library may be in use)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        yield con
    finally:
        con.close()


def image_paths(con: sqlite3.Connection) -> dict[int, str]:
    """Image id -> full path."""
    rows = con.execute("SELECT image.id, collection.path, album.relpath, image.name FROM image "
                       "JOIN album ON album.id = image.album_id "
                       "JOIN collection ON collection.id = album.collection_id")
    return {iid: os.path.join(root, rel, name) for iid, root, rel, name in rows}


def tag_paths(con: sqlite3.Connection) -> dict[int, str]:
    """Tag id -> its path in the tag tree ("Animals/Cat")."""
    rows = {tid: (parent, name) for tid, parent, name in
            con.execute("SELECT id, parent_id, name FROM tag")}

    def path(tid: int) -> str:
        parent, name = rows[tid]
        return name if parent is None else f"{path(parent)}/{name}"
    return {tid: path(tid) for tid in rows}


FaceKey = tuple[str, int, int, int, int]      # image path, box rounded to whole pixels
PathKey = Callable[[int, str], str]           # (image id, its path now) -> path to key by


def current_path(image_id: int, path: str) -> str:
    """Key images by their path now."""
    return path


@dataclass(frozen=True)
class FaceRow:
    id: int
    image_id: int
    key: FaceKey
    box: tuple[float, float, float, float]
    status: str
    person: str | None
    suggested: str | None
    cluster: int | None
    superseded: bool


def face_rows(con: sqlite3.Connection, path_of: PathKey = current_path) -> list[FaceRow]:
    """Every face, keyed by (image path, rounded box); sorted by key."""
    paths = image_paths(con)
    rows = con.execute(
        "SELECT face.id, face.image_id, x, y, w, h, status, p.name, s.name, cluster_id, "
        "superseded_at FROM face LEFT JOIN person p ON p.id = face.person_id "
        "LEFT JOIN person s ON s.id = face.suggested_person_id")
    found = []
    for fid, iid, x, y, w, h, status, person, suggested, cluster, superseded in rows:
        key = (path_of(iid, paths.get(iid, f"#{iid}")), round(x), round(y), round(w), round(h))
        found.append(FaceRow(fid, iid, key, (x, y, w, h), status, person, suggested, cluster,
                             superseded is not None))
    return sorted(found, key=lambda f: (f.key, f.id))
