"""What an import brought in, what was there already, and what it could not place."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .digikam_match import Unmatched


@dataclass(frozen=True)
class RootUsed:
    id: int
    digikam: str        # the album root as digiKam's catalog describes it
    here: str           # where it was looked for (after --map)


@dataclass(frozen=True)
class Unplaced:
    path: str
    person: str | None  # None: an ignored face
    region: str         # digiKam's rectangle as it stored it
    reason: str


@dataclass(frozen=True)
class Conflict:
    path: str
    what: str           # face, tag, pick label, colour label, rating
    termkam: str        # what termkam holds (and keeps)
    digikam: str


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    schema_version: str | None = None
    roots: list[RootUsed] = field(default_factory=list)
    photos: int = 0                      # digiKam photos looked for in termkam
    matched_by_path: int = 0
    matched_by_content: int = 0
    new_persons: list[str] = field(default_factory=list)
    faces_confirmed: int = 0             # termkam's detected faces named
    faces_added: int = 0                 # regions kept as faces of their own, named
    faces_ignored: int = 0
    tags: int = 0                        # (photo, tag) pairs
    pick_labels: int = 0
    color_labels: int = 0
    ratings: int = 0
    already: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unmatched: list[Unmatched] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def new(self) -> dict[str, int]:
        """How many of each came in (all 0 when the catalog already had everything)."""
        return {"persons": len(self.new_persons),
                "confirmed faces": self.faces_confirmed + self.faces_added,
                "ignored faces": self.faces_ignored, "tags": self.tags,
                "pick labels": self.pick_labels, "colour labels": self.color_labels,
                "ratings": self.ratings}

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (counters as dicts: ``asdict`` cannot rebuild a Counter)."""
        return {**asdict(self), "already": dict(+self.already),
                "skipped": dict(+self.skipped), "new": self.new()}
