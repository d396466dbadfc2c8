"""Writing one photo's metadata: read the target, merge the decisions in, replace it
atomically. An original photo is either replaced whole by its new version or left exactly as
it was; a sidecar another tool changed meanwhile is left alone."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from engine import files
from engine.catalog import writeback as writeback_db
from engine.catalog.file_seen import FileSeen
from engine.catalog.records import ImageRecord
from engine.checksums import content_hash
from engine.errors import ItemError
from engine.metadata.orientation import stored_to_displayed
from engine.metadata.sidecar import sidecar_names
from engine.metadata.write import Merged, Owned, merge

from .plan import Target, target_for, wanted_for

Stat = tuple[int, int]   # size, mtime_ns


@dataclass
class PhotoWrite:
    """One photo's new metadata, merged but not yet written."""

    record: ImageRecord
    target: Target
    read_at: float             # when its decisions were read: later ones keep it queued
    merged: Merged
    owned_before: Owned
    stat: Stat | None          # the target as it was read (None: no sidecar yet)

    @property
    def changes(self) -> list[str]:
        return self.merged.changes

    def owned_while_writing(self) -> Owned:
        """What termkam owns whether or not the write lands (recorded before it, so a kill
        between the two never leaves values termkam wrote without knowing it did)."""
        lists = {key: list(dict.fromkeys(self.owned_before.lists.get(key, []) + values))
                 for key, values in self.merged.owned.lists.items()}
        regions = {key: self.owned_before.regions.get(key, []) + [
            r for r in values if r not in self.owned_before.regions.get(key, [])]
            for key, values in self.merged.owned.regions.items()}
        return Owned(lists, regions, self.merged.owned.pick_label or self.owned_before.pick_label)


def prepare(record: ImageRecord, to: str, auto_tags: bool = True) -> PhotoWrite:
    """Read the photo's decisions and its target, and merge; writes nothing."""
    read_at = time.time()
    state = writeback_db.photo_state(record.id, auto_tags)
    target = target_for(record, to)
    previous = writeback_db.written(record.id)
    before = Owned.from_json(previous.owned if previous and previous.path == str(target.path)
                             else None)
    data, stat = _read(target)
    merged = merge(data, wanted_for(record, state), before, target.kind == "file")
    return PhotoWrite(record, target, read_at, merged, before, stat)


def _read(target: Target) -> tuple[bytes | None, Stat | None]:
    try:
        data = files.read_regular(target.path)
    except files.NoFile:
        if target.kind == "file":
            raise ItemError("the photo is gone: rescan") from None
        return None, None
    except ItemError as error:
        raise ItemError(f"cannot read {target.path.name}: {error}") from None
    return data, _stat(target.path)


def _stat(path: Path) -> Stat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def commit(write: PhotoWrite) -> Stat | None:
    """Write the merged metadata (when anything changed); the new (size, mtime) of the
    target, or None when nothing was written."""
    if not write.changes:
        return None
    if _stat(write.target.path) != write.stat:
        raise ItemError(f"{write.target.path.name} changed while termkam was writing it: "
                        "left as it is, run the write again")
    replace_atomically(write.target.path, write.merged.data)
    return _stat(write.target.path)


def replace_atomically(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` afterwards, or is left exactly as it was (temp + rename)."""
    temporary = path.with_name(f".{path.name}.termkam-{os.getpid()}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ItemError(f"cannot write {path.name}: {error.strerror or error}") from None


def seen_after(write: PhotoWrite, before: FileSeen) -> FileSeen:
    """What a rescan will find in the photo's metadata once ``write`` landed (so that a
    later change made by another tool is told from termkam's own write)."""
    photo = Path(write.record.path)
    if write.target.kind == "file" and any(
            (photo.with_name(name)).exists() for name in sidecar_names(photo.name)):
        return before                       # a sidecar beside the file says the last word
    merged = write.merged
    regions = tuple((*stored_to_displayed((r.x, r.y, r.w, r.h), write.record.orientation),
                     r.name) for r in merged.regions)
    return replace(before, pick_label=merged.pick_label, regions=regions)


def new_fields(write: PhotoWrite, stat: Stat) -> dict[str, object]:
    """The image columns that make a rescan see the written target as unchanged."""
    if write.target.kind == "file":
        return {"size": stat[0], "mtime_ns": stat[1],
                "content_hash": content_hash(write.merged.data)}
    return {"sidecar_size": stat[0], "sidecar_mtime_ns": stat[1]}
