"""Browsing the library for the Albums pane: filtered, paged image lists and photo details."""

from __future__ import annotations

from engine.catalog import Library


class BrowseService:
    def __init__(self, library: Library) -> None:
        self.library = library
