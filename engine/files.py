"""Reading a user's file: the one way in, which never blocks and reads only regular files.

A FIFO named like a photo would block ``open`` and ``read`` forever, and a device would
never end: the path is opened without blocking and judged on the open descriptor (no race
with an earlier ``stat``); only then is it read, within the memory budget.
"""

from __future__ import annotations

import os
import stat

from .errors import ItemError
from .memory_budget import BUDGET, MemoryBudget

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class NoFile(ItemError):
    """Nothing to read at the path: it does not exist, or it is a directory."""


def read_regular(path: str | os.PathLike[str], budget: MemoryBudget = BUDGET) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), as long as it was when
    opened; its size is reserved from ``budget`` while it is read.

    Raises NoFile or ItemError, with one line saying why.
    """
    try:
        fd = os.open(path, _FLAGS)
    except (FileNotFoundError, NotADirectoryError) as error:
        raise NoFile(f"cannot read: {error.strerror}") from None
    except OSError as error:
        raise ItemError(f"cannot read: {error.strerror or error}") from None
    try:
        size = _regular_size(fd)
        os.set_blocking(fd, True)
        with budget.reserve(size, "reading the file"), open(fd, "rb", closefd=False) as handle:
            return handle.read(size)
    except OSError as error:
        raise ItemError(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _regular_size(fd: int) -> int:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise NoFile("is a directory")
    for test, kind in _NOT_REGULAR:
        if test(info.st_mode):
            raise ItemError(f"not a regular file ({kind})")
    if not stat.S_ISREG(info.st_mode):
        raise ItemError("not a regular file")
    return info.st_size
