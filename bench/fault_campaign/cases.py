"""The job kinds and modes a campaign kills (``CASES``), with what each changes on disk and
in the library before its job."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.fault_campaign.jobs import Stage
from bench.fault_campaign.kills import KillPoint, choose_between_jobs, choose_kill
from bench.fault_campaign.photos import DECIDED, Photos


@dataclass(frozen=True)
class Change:
    """What a case did to the collection before its job: files moved (old -> new path)
    and files that vanished."""

    renamed: dict[str, str] = field(default_factory=dict)
    vanished: int = 0

    def path_key(self, image_id: int, path: str) -> str:
        """Key images by where the files are now."""
        return self.renamed.get(path, path)


@contextlib.contextmanager
def unchanged(photos: Photos) -> Iterator[Change]:
    """Most cases leave the collection as it is."""
    yield Change()


@contextlib.contextmanager
def albums_moved(photos: Photos) -> Iterator[Change]:
    """Move two albums (one decided on) under another folder of the collection and make
    two files of a third album vanish; put everything back afterwards."""
    moves = {photos.album(n): photos.root / "2023" / f"moved-{n}" for n in (DECIDED[0], 1)}
    gone = sorted(photos.album(3).iterdir())[-2:]
    renamed = {str(p): str(new / p.name) for old, new in moves.items() for p in old.iterdir()}
    (photos.root / "2023").mkdir()
    for old, new in moves.items():
        old.rename(new)
    for path in gone:
        path.rename(photos.stash / path.name)
    try:
        yield Change(renamed, len(gone))
    finally:
        for old, new in moves.items():
            new.rename(old)
        (photos.root / "2023").rmdir()
        for path in gone:
            (photos.stash / path.name).rename(path)


def embeddings_outdated(library: Path) -> None:
    """Mark every face's embedding as made by an older version of the embedder (what a
    model upgrade leaves), so `faces rebuild` re-embeds them before it recomputes."""
    with contextlib.closing(sqlite3.connect(library / "catalog.db")) as con, con:
        con.execute("UPDATE face_embedding SET model_version = model_version || '-older'")


def as_it_is(library: Path) -> None:
    """Most cases run on the library as the decisions left it."""


@dataclass(frozen=True)
class Case:
    """One job kind/mode: its command line (with ``Photos.places`` like ``{extra}``), what
    it changes on disk first, what it changes in each library copy, where it is killed."""

    slug: str
    label: str
    args: tuple[str, ...]
    disturb: Callable[[Photos], contextlib.AbstractContextManager[Change]] = unchanged
    setup: Callable[[Path], None] = as_it_is
    choose: Callable[[random.Random, list[Stage]], KillPoint] = choose_kill

    def argv(self, photos: Photos) -> tuple[str, ...]:
        return tuple(arg.format(**photos.places()) if "{" in arg else arg for arg in self.args)


CASES = (
    Case("scan-first", "scan PATH (first scan)", ("scan", "--batch-size", "1", "{extra}")),
    Case("scan-moved", "scan (albums moved)", ("scan", "--batch-size", "1"), albums_moved),
    Case("thumbnails-all", "run thumbnails --mode all",
         ("run", "thumbnails", "--mode", "all", "--batch", "2")),
    Case("faces-new", "run faces", ("run", "faces", "--batch", "2")),
    Case("faces-merge", "run faces --mode merge",
         ("run", "faces", "--mode", "merge", "--batch", "2")),
    Case("faces-clear", "run faces --mode clear",
         ("run", "faces", "--mode", "clear", "--batch", "2")),
    Case("faces-between", "run faces --image F (killed between its jobs)",
         ("run", "faces", "--image", "{group}"), choose=choose_between_jobs),
    Case("faces-rebuild", "faces rebuild (older embeddings)", ("faces", "rebuild"),
         setup=embeddings_outdated),
    Case("tags-untagged", "run tags", ("run", "tags", "--batch", "1")),
    Case("tags-replace", "run tags --mode replace",
         ("run", "tags", "--mode", "replace", "--batch", "1")),
    Case("quality-unscored", "run quality", ("run", "quality", "--batch", "2")),
    Case("quality-all", "run quality --mode all",
         ("run", "quality", "--mode", "all", "--batch", "2")),
)
