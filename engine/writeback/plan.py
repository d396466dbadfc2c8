"""What to write for one photo, and where: its decisions from the catalog turned into the
values other tools read, face boxes turned into MWG regions of the stored image."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.catalog.records import ImageRecord
from engine.catalog.writeback import PhotoState
from engine.faces.geometry import displayed_size
from engine.job_kinds import WRITE_TARGETS
from engine.metadata.orientation import displayed_to_stored
from engine.metadata.write import Region, Wanted

TARGETS = WRITE_TARGETS
PEOPLE = "People"   # digiKam's root for persons, which Lightroom also shows as keywords


@dataclass(frozen=True)
class Target:
    kind: str       # sidecar | file
    path: Path


def target_for(record: ImageRecord, to: str) -> Target:
    """The file to write: "<photo>.<ext>.xmp" as digiKam names sidecars, or the photo itself
    (never a RAW file: those always get a sidecar)."""
    if to == "file" and record.kind != "raw":
        return Target("file", Path(record.path))
    return Target("sidecar", Path(record.path + ".xmp"))


def wanted_for(record: ImageRecord, state: PhotoState) -> Wanted:
    """The metadata ``state`` asks for on ``record``."""
    people = tuple(dict.fromkeys(name for name, _ in state.faces))
    tags = state.tags + tuple((PEOPLE, name) for name in people
                              if (PEOPLE, name) not in state.tags)
    stored = (record.width, record.height) if record.width and record.height else None
    regions: tuple[Region, ...] = ()
    if stored is not None:
        width, height = displayed_size(*stored, record.orientation)
        regions = tuple(
            Region(name, *displayed_to_stored((x / width, y / height, w / width, h / height),
                                              record.orientation))
            for name, (x, y, w, h) in state.faces)
    return Wanted(tags, regions, stored, state.pick_label)
