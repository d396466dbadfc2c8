"""Shared CLI plumbing: open the engine, run a job in the foreground with a progress line."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from engine import config
from engine.engine import Engine
from engine.errors import TermkamError
from engine.events import Event, ItemFailed, ItemNoted, JobFinished, Progress
from engine.jobs import JobHandle
from engine.printable import counted, printable
from engine.progress import rate_text

from ..terminal import native_output_to
from .json_output import print_json

EXIT_CODES = {"done": 0, "failed": 1, "cancelled": 130}
PARTIAL = 3          # done, but some items failed (their reasons: `termkam jobs show ID`)


def library_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "library", None) or config.default_library()).expanduser()


# what a library folder holds besides its catalog: a folder with only these is no one's photos
LIBRARY_FILES = ("catalog.db", "thumbs.db", "termkam.log")


def check_library(folder: Path, *, creates: bool, create_flag: bool = False) -> None:
    """Refuse, in one line and before anything is made, a library that a read-only command
    would have to create, or one that would land in a folder of other files."""
    if (folder / "catalog.db").exists():
        return
    if not creates:
        raise TermkamError(f"no termkam library at {folder} (nothing was created): give "
                           "--library the folder that holds catalog.db, or make one with "
                           "`termkam scan PHOTOS`")
    try:
        others = [p.name for p in folder.iterdir()   # (a catalog being made is ".catalog.db...")
                  if not p.name.lstrip(".").startswith(LIBRARY_FILES)] if folder.is_dir() else []
    except OSError as error:
        raise TermkamError(f"cannot read {folder}: {error.strerror}") from None
    if others and not create_flag:
        raise TermkamError(f"{folder} is not a termkam library and holds other files "
                           f"({len(others)}, e.g. {others[0]}): give a new or empty folder, "
                           "or add --create to make a library there (your photos go in with "
                           "`termkam scan FOLDER`)")


@contextlib.contextmanager
def open_engine(args: argparse.Namespace, *, creates: bool = True) -> Iterator[Engine]:
    """The engine on the chosen library, closed afterwards. Meanwhile warnings, tracebacks
    and native libraries' messages (libjpeg, libpng ...) go to its log file.

    ``creates``: the command may make the library when there is none (read-only commands
    pass False and never create anything)."""
    folder = library_dir(args)
    check_library(folder.resolve(), creates=creates,
                  create_flag=bool(getattr(args, "create", False)))
    engine = Engine(folder)
    with native_output_to(setup_logging(engine.library.folder)), engine:
        yield engine
        _write_back(engine)


def _write_back(engine: Engine) -> None:
    """With write-back on, the decisions a command made reach the files before it exits."""
    if engine.library.read_only is not None:
        return
    handle = engine.write_pending()
    result = handle.wait() if handle is not None else None
    if result is not None:
        print(f"write-back {result.state}: {printable(result.summary)}", file=sys.stderr)


LOG_BYTES, LOG_BACKUPS = 5_000_000, 3     # termkam.log rotates: at most ~20 MB kept
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def log_level() -> int:
    """$TERMKAM_LOG_LEVEL (DEBUG | INFO | WARNING | ERROR), INFO by default."""
    name = os.environ.get("TERMKAM_LOG_LEVEL", "INFO").strip().upper()
    return getattr(logging, name) if name in LOG_LEVELS else logging.INFO


def setup_logging(folder: Path) -> Path:
    """Log to <library>/termkam.log (rotated), never to the terminal (the TUI owns it); the
    log's path. Item errors and notes of every job are logged with their reasons. A failing
    log (a full disk) stays silent."""
    from logging.handlers import RotatingFileHandler

    log = _writable_log(folder)
    logging.raiseExceptions = False
    root = logging.getLogger()
    if not any(getattr(h, "_termkam", False) for h in root.handlers):
        handler = RotatingFileHandler(log, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                      encoding="utf-8")
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._termkam = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(log_level())
    return log


def _writable_log(folder: Path) -> Path:
    """<library>/termkam.log, or the user's cache dir when the library is read-only."""
    for log in (folder / "termkam.log", config.cache_home() / "termkam.log"):
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8"):
                return log
        except OSError:
            continue
    return Path(os.devnull)


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class ProgressPrinter:
    """One updating line on a terminal; a line every few seconds otherwise (cron, logs)."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet, self.stream = quiet, stream or sys.stderr   # stderr as it is now
        self.tty = self.stream.isatty()
        self._last = 0.0 if self.tty else time.monotonic()
        self._width = 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, ItemFailed):
            self._clear()
            print(f"error: {printable(event.path)}: {printable(event.reason)}",
                  file=self.stream)
        elif isinstance(event, ItemNoted):
            self._clear()
            print(f"note: {printable(event.path)}: {printable(event.note)}", file=self.stream)
        elif isinstance(event, Progress) and not self.quiet:
            now = time.monotonic()
            if now - self._last < (0.1 if self.tty else 5.0):
                return
            self._last = now
            self._line(_progress_text(event))
        elif isinstance(event, JobFinished):
            self._clear()

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _clear(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0


def _progress_text(event: Progress) -> str:
    if event.total:
        share = f"{event.done}/{event.total} {event.unit} ({100 * event.done / event.total:.0f}%)"
        return (f"{event.kind}: {event.phase} {share}, {rate_text(event.rate, event.unit)}, "
                f"ETA {duration(event.eta_s)}, {counted(event.errors, 'error')}")
    if event.done:
        return f"{event.kind}: {event.phase} {event.done} {event.unit}"
    return f"{event.kind}: {event.phase} ..."


def run_foreground(engine: Engine, handle: JobHandle | None, quiet: bool = False,
                   as_json: bool = False) -> int:
    """Wait for a job and the jobs it queues after itself (its ``then`` option), printing
    progress; Ctrl-C cancels the running one cleanly (it can be resumed). ``as_json``: the
    results as one JSON document on stdout (``jobs``), the summary lines on stderr."""
    code, results = 0, []
    try:
        while handle is not None:
            step = _wait(engine, handle, quiet, sys.stderr if as_json else sys.stdout)
            if handle.result is not None:
                results.append(handle.result)
            if step not in (0, PARTIAL):
                return step
            code = max(code, step)
            if handle.result is None or handle.result.next_job_id is None:
                break
            handle = engine.runner.get(handle.result.next_job_id)
        return code
    finally:
        if as_json:
            print_json("jobs", [{**asdict(r), "failed": [
                {"path": e.path, "reason": e.reason} for e in engine.job_errors(r.job_id)]}
                for r in results])


def _wait(engine: Engine, handle: JobHandle, quiet: bool, out: TextIO) -> int:
    printer = ProgressPrinter(quiet)
    unsubscribe = engine.subscribe(lambda e: printer(e) if e.job_id == handle.job_id else None)
    try:
        while not handle.finished:
            try:
                handle.wait(0.2)
            except KeyboardInterrupt:
                print("\ncancelling (the work done so far is kept) ...", file=sys.stderr)
                handle.cancel()
    finally:
        unsubscribe()
    result = handle.result
    if result is None:
        return 1
    rate = result.done / result.elapsed_s if result.elapsed_s > 0 else 0.0
    print(f"{result.kind} {result.state}: {printable(result.summary)} "
          f"({duration(result.elapsed_s)}, {rate_text(rate, result.unit)})", file=out)
    if result.errors:
        print(f"  {result.errors} {'item' if result.errors == 1 else 'items'} failed (the "
              f"reasons: termkam jobs show {result.job_id})", file=sys.stderr)
        if result.state == "done":
            return PARTIAL
    return EXIT_CODES.get(result.state, 1)
