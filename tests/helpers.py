"""Helpers for tests that drive termkam the way a user does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def model_mirror() -> Path:
    """A folder holding the optional models, as a user's offline mirror would: the copies
    that ship inside termkam (``models/weights``, with MANIFEST.tsv and licences), or
    ``$TERMKAM_MODEL_MIRROR``."""
    override = os.environ.get("TERMKAM_MODEL_MIRROR")
    return Path(override) if override else REPO / "models" / "weights"


def termkam_cli(*args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = (),
                timeout: float = 300, **kwargs):
    """Run the real `termkam` command line in a subprocess (as a user would)."""
    return subprocess.run([*prefix, sys.executable, "-m", "tui", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, cwd=REPO,
                          timeout=timeout, **kwargs)


def table_dump(catalog: Path, tables: tuple[str, ...] = (
        "collection", "album", "image", "tag", "image_tag", "processing")) -> dict:
    """Every row of the catalog's data tables, read with plain sqlite3."""
    with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in tables}


async def until(predicate, timeout: float = 30.0, step: float = 0.02) -> None:
    """Wait in the event loop until ``predicate()`` is true (fails after ``timeout`` s)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(step)


def run_job(engine, kind: str, timeout: float = 300, **options):
    """Run one tool to its end; the JobFinished event (fails unless it is done)."""
    result = engine.start(kind, options).wait(timeout)
    assert result is not None and result.state == "done", result
    return result


def scanned(engine, tree: Path):
    """``engine`` after scanning ``tree``."""
    assert engine.scan([str(tree)]).wait(120).state == "done"
    return engine


def terminal_typed(app, text: str) -> None:
    """``text`` as a terminal sends it, read by Textual's own parser, all at once (so Escape
    typed fast with the keys after it arrives the way a real terminal's does)."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    for event in [*parser.feed(text), *parser.feed("")]:
        app.post_message(event)
