"""The Albums pane (being built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import Pane


class AlbumsPane(Pane):
    def compose(self) -> ComposeResult:
        yield Static("Albums: coming next.")
