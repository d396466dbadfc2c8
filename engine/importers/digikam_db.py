"""Reading digiKam's own catalog (``digikam4.db``, SQLite), strictly read-only.

The file is opened through a ``mode=ro`` URI with ``query_only`` on: nothing here can write
to it. Table and column names are those of digiKam's schema (``dbconfig.xml`` of its data
package); the rows come back as plain dataclasses.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from engine.errors import TermkamError

TABLES = ("AlbumRoots", "Albums", "Images", "ImageInformation", "Tags", "TagProperties",
          "ImageTags", "ImageTagProperties", "Settings")

# digiKam's DatabaseItem::Status and ::Category values that matter here
VISIBLE, HIDDEN = 1, 2
PHOTO = 1


@dataclass(frozen=True)
class DkRoot:
    id: int
    label: str | None
    identifier: str
    specific_path: str


@dataclass(frozen=True)
class DkImage:
    id: int
    root_id: int | None        # None: no album (removed from the collection)
    relative_path: str | None  # the album's path under its root, "/" for the root itself
    name: str
    status: int
    category: int
    file_size: int | None
    unique_hash: str | None
    rating: int | None         # -1 or None: no rating


@dataclass(frozen=True)
class DkTag:
    id: int
    pid: int                   # 0 at the top of the tree
    name: str


@dataclass(frozen=True)
class DkFaceRow:
    """An ImageTagProperties row: a face region (or another per-image property of a tag)."""

    tag_id: int
    property: str
    value: str | None


@dataclass
class DigikamCatalog:
    path: str
    schema_version: str | None
    hash_version: int
    roots: list[DkRoot] = field(default_factory=list)
    images: list[DkImage] = field(default_factory=list)
    tags: dict[int, DkTag] = field(default_factory=dict)
    tag_properties: dict[int, dict[str, str | None]] = field(default_factory=dict)
    image_tags: dict[int, set[int]] = field(default_factory=dict)
    face_rows: dict[int, list[DkFaceRow]] = field(default_factory=dict)  # by image id


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` only when a WAL file cannot be shared (a
    read-only folder)."""
    error: Exception | None = None
    for query in ("mode=ro", "mode=ro&immutable=1"):
        con: sqlite3.Connection | None = None
        try:
            con = sqlite3.connect(f"file:{quote(str(path))}?{query}", uri=True, timeout=5)
            con.execute("PRAGMA query_only = 1")
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return con
        except sqlite3.DatabaseError as failure:
            if con is not None:
                con.close()
            error = failure
    raise TermkamError(f"cannot open {path} as a digiKam database: {error}")


def _settings(con: sqlite3.Connection) -> dict[str, str]:
    return {k: v for k, v in con.execute("SELECT keyword, value FROM Settings") if v is not None}


def read_catalog(path: Path) -> DigikamCatalog:
    """Everything the import needs from a digiKam database file."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise TermkamError(f"no digiKam database at {path}")
    with closing(_connect(path)) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master "
                                                  "WHERE type = 'table'")}
        missing = [t for t in TABLES if t not in tables]
        if missing:
            raise TermkamError(f"{path} is not a digiKam database (no table {missing[0]})")
        settings = _settings(con)
        hash_version = settings.get("uniqueHashVersion", "1")
        catalog = DigikamCatalog(str(path), settings.get("DBVersion"),
                                 int(hash_version) if hash_version.isdigit() else 1)
        catalog.roots = [DkRoot(i, label, ident or "", spec or "/") for i, label, ident, spec in
                         con.execute("SELECT id, label, identifier, specificPath "
                                     "FROM AlbumRoots")]
        catalog.images = [DkImage(*row) for row in con.execute(
            "SELECT i.id, a.albumRoot, a.relativePath, i.name, i.status, i.category, "
            "i.fileSize, i.uniqueHash, ii.rating FROM Images i "
            "LEFT JOIN Albums a ON a.id = i.album "
            "LEFT JOIN ImageInformation ii ON ii.imageid = i.id ORDER BY i.id")]
        catalog.tags = {i: DkTag(i, pid or 0, name) for i, pid, name in
                        con.execute("SELECT id, pid, name FROM Tags")}
        for tid, prop, value in con.execute("SELECT tagid, property, value FROM TagProperties"):
            catalog.tag_properties.setdefault(tid, {})[prop] = value
        for iid, tid in con.execute("SELECT imageid, tagid FROM ImageTags"):
            catalog.image_tags.setdefault(iid, set()).add(tid)
        for iid, tid, prop, value in con.execute(
                "SELECT imageid, tagid, property, value FROM ImageTagProperties "
                "ORDER BY rowid"):
            catalog.face_rows.setdefault(iid, []).append(DkFaceRow(tid, prop, value))
    return catalog
