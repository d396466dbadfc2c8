"""The metadata part of the engine facade: settings, dry runs, and the queue decisions fill."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.catalog import Library
from engine.catalog import writeback as writeback_db
from engine.catalog.records import ImageRecord

from . import settings as metadata_settings
from .job import plans, records_for


class MetadataService:
    def __init__(self, library: Library) -> None:
        self.library = library

    def settings(self) -> metadata_settings.MetadataSettings:
        return metadata_settings.load()

    def set_setting(self, name: str, value: Any) -> Any:
        """Store one setting (checked); the value as stored."""
        return metadata_settings.GROUP.update(self.library, name, value)

    def dry_run(self, options: Mapping[str, Any]) -> list[tuple[ImageRecord, list[str] | str]]:
        """What a write with these options would change, photo by photo (writes nothing)."""
        settings = metadata_settings.load()
        to = options.get("to") or (settings.write_back if settings.write_back != "off"
                                   else "sidecar")
        return plans(records_for(options), to, settings.auto_tags)

    @staticmethod
    def queue(image_ids: Iterable[int]) -> None:
        """Photos whose decisions changed (inside the decision's write transaction)."""
        writeback_db.queue(image_ids)

    @staticmethod
    def pending() -> int:
        return writeback_db.pending_count()
