"""The People pane (being built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import Pane


class PeoplePane(Pane):
    def compose(self) -> ComposeResult:
        yield Static("People: coming next.")
