"""Turning SQLite's storage failures into one-line errors the user can act on.

A full disk, a read-only library or a catalog deleted behind termkam's back surface from
SQLite as generic OperationalErrors, often masked by a failed rollback ("cannot rollback -
no transaction is active"); the original cause is then only in the exception's context.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import peewee as pw

from engine.errors import StorageError

_CAUSES = (
    (("database or disk is full", "no space left"), "disk full"),
    (("readonly database", "read-only file system"), "library is read-only"),
    (("disk i/o error",), "disk I/O error (is the disk full or failing?)"),
)
_ERRNOS = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk full (quota exceeded)",
           errno.EROFS: "library is read-only",
           errno.EACCES: "no permission to write the library"}


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def cause_of(error: BaseException) -> str | None:
    """'disk full', 'library is read-only' ... when ``error`` (or what it masks) is one."""
    for link in _chain(error):
        if isinstance(link, OSError) and link.errno in _ERRNOS:
            return _ERRNOS[link.errno]
        if isinstance(link, sqlite3.Error | pw.DatabaseError):
            text = str(link).lower()
            for needles, cause in _CAUSES:
                if any(needle in text for needle in needles):
                    return cause
    return None


def storage_error(error: BaseException, path: Path | str) -> StorageError | None:
    """The StorageError to raise instead of ``error``, or None when it is something else."""
    cause = cause_of(error)
    if cause is None:
        return None
    return StorageError(f"{cause}: cannot write {path}; nothing already saved is lost, and "
                        "`termkam jobs resume` continues an interrupted job")


@contextlib.contextmanager
def translated(path: Path | str) -> Iterator[None]:
    """Re-raise storage failures inside the block as StorageError."""
    try:
        yield
    except (sqlite3.Error, pw.DatabaseError, OSError) as error:
        replacement = storage_error(error, path)
        if replacement is None:
            raise
        raise replacement from None
