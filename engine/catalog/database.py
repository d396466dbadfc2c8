"""Opening a library: the catalog database and the thumbnail store, pragmas, migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import peewee as pw

from engine.errors import CatalogError

from .migrations import MIGRATIONS, THUMB_MIGRATIONS, migrate
from .schema import CATALOG_MODELS, THUMB_MODELS

# WAL lets the UI read while a job writes; IMMEDIATE write transactions (see writing())
# avoid the instant "database is locked" of a deferred read-then-write upgrade.
PRAGMAS = (
    ("journal_mode", "wal"),
    ("busy_timeout", 5000),
    ("synchronous", "normal"),
    ("foreign_keys", 1),
)

CATALOG_FILE = "catalog.db"
THUMBS_FILE = "thumbs.db"

_open_lock = threading.Lock()
_open_library: Path | None = None


def open_database(path: Path, migrations: tuple[str, ...], models: Iterable[type[pw.Model]]
                  ) -> pw.SqliteDatabase:
    """Open (creating if needed) one SQLite file, migrate it and bind ``models`` to it."""
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=5)
    try:
        db.connect()
        db.execute_sql("PRAGMA schema_version").fetchone()  # fails fast on a non-database
        migrate(db, migrations, path)
    except (pw.DatabaseError, sqlite3.DatabaseError) as error:
        db.close()
        raise CatalogError(f"{path} cannot be opened as a termkam catalog: {error}") from None
    except CatalogError:
        db.close()
        raise
    db.bind(list(models), bind_refs=False, bind_backrefs=False)
    return db


class Library:
    """An open library folder: ``catalog.db`` plus the ``thumbs.db`` thumbnail store.

    Peewee models are bound process-wide, so one library is open per process at a time.
    """

    def __init__(self, folder: Path) -> None:
        global _open_library
        self.folder = Path(folder).expanduser().resolve()
        with _open_lock:
            if _open_library is not None and _open_library != self.folder:
                raise CatalogError(f"another library is open in this process: {_open_library}")
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise CatalogError(f"cannot create library folder {self.folder}: "
                                   f"{error.strerror}") from None
            self.db = open_database(self.folder / CATALOG_FILE, MIGRATIONS, CATALOG_MODELS)
            try:
                self.thumbs_db = open_database(self.folder / THUMBS_FILE, THUMB_MIGRATIONS,
                                               THUMB_MODELS)
            except CatalogError:
                self.db.close()
                raise
            _open_library = self.folder

    @property
    def catalog_path(self) -> Path:
        return self.folder / CATALOG_FILE

    def writing(self) -> AbstractContextManager[Any]:
        """A write transaction on the catalog, taken as IMMEDIATE (the one-writer rule)."""
        return self.db.atomic("IMMEDIATE")

    def writing_thumbs(self) -> AbstractContextManager[Any]:
        """A write transaction on the thumbnail store."""
        return self.thumbs_db.atomic("IMMEDIATE")

    def close(self) -> None:
        """Close this thread's connections and release the process-wide binding."""
        global _open_library
        with _open_lock:
            self.db.close()
            self.thumbs_db.close()
            _open_library = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
