"""Opening a library: the catalog database and the thumbnail store, pragmas, migrations.

A catalog file is created whole (migrated in a temporary file, then linked into place), so
an existing ``catalog.db`` is always a catalog: an empty or foreign file is refused, never
silently turned into a new library. Connections never create the file again, and every write
first checks that the file on disk is still the one that was opened.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

import peewee as pw

from engine.errors import CatalogError, CatalogLost, StorageError

from .migrations import MIGRATIONS, THUMB_MIGRATIONS, migrate, schema_version
from .schema import CATALOG_MODELS, THUMB_MODELS
from .storage import cause_of, translated

# WAL lets the UI read while a job writes; IMMEDIATE write transactions (see writing())
# avoid the instant "database is locked" of a deferred read-then-write upgrade.
PRAGMAS = (
    ("journal_mode", "wal"),
    ("busy_timeout", 5000),
    ("synchronous", "normal"),
    ("foreign_keys", 1),
)
READ_ONLY_PRAGMAS = (("busy_timeout", 5000), ("foreign_keys", 1))

CATALOG_FILE = "catalog.db"
THUMBS_FILE = "thumbs.db"

_open_lock = threading.Lock()
_open_library: Path | None = None


def _uri(path: Path, query: str) -> str:
    return f"file:{quote(str(path))}?{query}"


def _create(path: Path, migrations: tuple[str, ...]) -> None:
    """Make a migrated database at ``path`` unless one appears there first (another process)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    db = pw.SqliteDatabase(str(temporary), pragmas=(("journal_mode", "delete"),))
    try:
        db.connect()
        migrate(db, migrations, None)
        db.close()
        try:
            os.link(temporary, path)  # fails if it exists: never replaces a catalog
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    except (pw.DatabaseError, sqlite3.DatabaseError, OSError) as error:
        raise StorageError(f"cannot create {path}: {cause_of(error) or error}") from None
    finally:
        db.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _refuse_empty(path: Path) -> None:
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        backups = sorted(p.name for p in path.parent.glob(f"{path.name}.v*.bak"))
        hint = f"; backups beside it: {', '.join(backups)}" if backups else ""
        raise CatalogError(f"{path} is empty (0 bytes), so it is not a catalog: restore it from "
                           f"a backup or move it away to start a new library{hint}")


def open_database(path: Path, migrations: tuple[str, ...], models: Iterable[type[pw.Model]],
                  read_only: bool = False) -> pw.SqliteDatabase:
    """Open ``path`` (created and migrated if missing, unless ``read_only``) and bind
    ``models`` to it. A read-only database that needs an upgrade is refused."""
    if not path.exists():
        if read_only:
            raise StorageError(f"library is read-only and has no {path.name}: {path.parent}")
        _create(path, migrations)
    _refuse_empty(path)
    queries = ("mode=ro", "immutable=1") if read_only else ("mode=rw",)
    for number, query in enumerate(queries, 1):
        db = pw.SqliteDatabase(_uri(path, query), uri=True, timeout=5,
                               pragmas=READ_ONLY_PRAGMAS if read_only else PRAGMAS)
        try:
            db.connect()
            version = schema_version(db)  # also fails fast on a non-database
            if version == 0:
                raise CatalogError(f"{path} is not a termkam catalog (no termkam schema)")
            if read_only and version < len(migrations):
                raise StorageError(f"library is read-only and {path.name} needs an upgrade")
            if not read_only:
                migrate(db, migrations, path)
        except (pw.DatabaseError, sqlite3.DatabaseError) as error:
            db.close()
            cause = cause_of(error)
            if read_only and number < len(queries):
                continue  # a WAL database in a read-only folder opens only as immutable
            if cause is not None:
                raise StorageError(f"{cause}: cannot open {path}") from None
            raise CatalogError(f"{path} cannot be opened as a termkam catalog: {error}") from None
        except CatalogError:
            db.close()
            raise
        db.bind(list(models), bind_refs=False, bind_backrefs=False)
        return db
    raise AssertionError("unreachable")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _writable(folder: Path) -> bool:
    files = [folder / CATALOG_FILE, folder / THUMBS_FILE]
    return os.access(folder, os.W_OK) and all(
        os.access(f, os.W_OK) for f in files if f.exists())


class Library:
    """An open library folder: ``catalog.db`` plus the ``thumbs.db`` thumbnail store.

    Peewee models are bound process-wide, so one library is open per process at a time.
    ``read_only`` says why writes are refused (a read-only folder, a full disk), or is None.
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
            self.read_only: str | None = None if _writable(self.folder) else \
                "library is read-only"
            try:
                self._open()
            except StorageError as error:
                if self.read_only is not None or not (self.folder / CATALOG_FILE).exists():
                    raise
                self.read_only = str(error).split(":", 1)[0]  # e.g. a full disk: reads still work
                self._open()
            self._identity = _identity(self.catalog_path)
            _open_library = self.folder

    def _open(self) -> None:
        read_only = self.read_only is not None
        self.db = open_database(self.folder / CATALOG_FILE, MIGRATIONS, CATALOG_MODELS,
                                read_only)
        try:
            self.thumbs_db = open_database(self.folder / THUMBS_FILE, THUMB_MIGRATIONS,
                                           THUMB_MODELS, read_only)
        except CatalogError:
            self.db.close()
            raise

    @property
    def catalog_path(self) -> Path:
        return self.folder / CATALOG_FILE

    def problem(self) -> str | None:
        """Why the catalog can no longer be written, if its file was deleted or replaced."""
        now = _identity(self.catalog_path)
        if now == self._identity:
            return None
        what = "deleted" if now is None else "replaced by another file"
        return (f"{self.catalog_path} was {what} while termkam had it open: changes can no "
                "longer be saved")

    def check(self) -> None:
        """Raise CatalogLost when the catalog file is no longer the one opened."""
        problem = self.problem()
        if problem is not None:
            raise CatalogLost(problem)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction on the catalog, taken as IMMEDIATE (the one-writer rule).

        Raises StorageError (read-only, disk full, catalog deleted) instead of writing
        somewhere the user will never see.
        """
        if self.read_only is not None:
            raise StorageError(f"{self.read_only}: {self.folder} (nothing can be changed)")
        self.check()
        with translated(self.catalog_path), self.db.atomic("IMMEDIATE"):
            yield

    def rescue(self) -> Path | None:
        """Copy the catalog as this process still sees it (a deleted file stays readable
        through open connections) to ``catalog.db.recovered-<time>``; None if impossible."""
        target = self.folder / f"{CATALOG_FILE}.recovered-{time.strftime('%Y%m%d-%H%M%S')}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(sqlite3.connect(target)) as copy:
                self.db.connection().backup(copy)
        except (OSError, sqlite3.Error, pw.DatabaseError):
            return None
        return target

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
