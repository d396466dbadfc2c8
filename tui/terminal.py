"""Keeping native libraries' messages off the TUI's screen.

Textual draws through ``sys.__stderr__``, i.e. file descriptor 2, and native libraries (LiteRT,
OpenCV, onnxruntime) also write their warnings straight to descriptor 2, which would print
over the interface. While the app runs, Textual gets its own descriptor for the terminal and
descriptor 2 goes to the library's log file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def native_output_to(log: Path) -> Iterator[None]:
    """Send descriptor 2 to ``log`` meanwhile; Python's stderr keeps the terminal."""
    if not os.isatty(2):
        yield
        return
    sys.stderr.flush()
    terminal = os.dup(2)
    saved = sys.__stderr__, sys.stderr
    stream = os.fdopen(terminal, "w", buffering=1, encoding=sys.stderr.encoding,
                       errors="backslashreplace", closefd=False)
    target = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.dup2(target, 2)
        sys.__stderr__ = sys.stderr = stream  # type: ignore[misc]
        yield
    finally:
        stream.flush()
        os.dup2(terminal, 2)
        sys.__stderr__, sys.stderr = saved  # type: ignore[misc]
        os.close(target)
        os.close(terminal)
