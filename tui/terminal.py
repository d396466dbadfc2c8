"""Keeping native libraries' messages off the terminal.

Native libraries (libjpeg and libpng inside OpenCV, LiteRT, onnxruntime) write their warnings
straight to file descriptor 2, where they would print over the TUI or between the CLI's
lines. While a command runs, descriptor 2 goes to the library's log file, and Python's
stderr (termkam's own messages, the progress line, and Textual, which draws through
``sys.__stderr__``) gets its own descriptor for wherever descriptor 2 went before: a
terminal, a pipe or a file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _on_descriptor_2(stream: Any) -> bool:
    try:
        return stream is not None and stream.fileno() == 2
    except (AttributeError, OSError, ValueError):  # e.g. pytest's capture, a closed stream
        return False


@contextlib.contextmanager
def native_output_to(log: Path) -> Iterator[None]:
    """Send descriptor 2 to ``log`` meanwhile; Python's stderr keeps its destination."""
    for before in (sys.stderr, sys.__stderr__):
        if before is not None:
            before.flush()
    try:
        target = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:  # e.g. a read-only library: the messages stay where they go
        target = None
    if target is None:
        yield
        return
    original = os.dup(2)
    saved = sys.__stderr__, sys.stderr
    stream = os.fdopen(original, "w", buffering=1,
                       encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
                       errors="backslashreplace", closefd=False)
    try:
        os.dup2(target, 2)
        if _on_descriptor_2(sys.__stderr__):
            sys.__stderr__ = stream  # type: ignore[misc]
        if _on_descriptor_2(sys.stderr):
            sys.stderr = stream
        yield
    finally:
        with contextlib.suppress(OSError):  # the reader of a pipe may have left
            stream.flush()
        os.dup2(original, 2)
        sys.__stderr__, sys.stderr = saved  # type: ignore[misc]
        os.close(target)
        os.close(original)
