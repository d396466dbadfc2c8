"""The Settings pane's engine side: live previews of thresholds and model benchmarks."""

from __future__ import annotations

from engine.catalog import Library


class TuningService:
    def __init__(self, library: Library) -> None:
        self.library = library
