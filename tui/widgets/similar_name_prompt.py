"""Asked when a typed name is close to an existing person's: "Karl: a new person, or Carl?"

It comes up without being asked for, so keys typed before it appeared were meant for what
was behind it: they wait, and go on there once it is answered.
"""

from __future__ import annotations

import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.printable import printable

from .dialog_list import DialogList


class SimilarNamePrompt(ModalScreen[str | None]):
    """Returns the existing name, the typed one (a new person), or None (cancelled)."""

    DEFAULT_CSS = """
    SimilarNamePrompt { align: center middle; }
    SimilarNamePrompt > Vertical { width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 1 2; }
    SimilarNamePrompt DialogList { height: auto; margin-top: 1; }
    SimilarNamePrompt #similar-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="similar-cancel")]

    def __init__(self, typed: str, existing: str) -> None:
        super().__init__()
        self.typed, self.existing = typed, existing
        self.choices = [existing, typed]
        self.shown_at = time.monotonic()
        self.held: list[events.Key] = []

    def compose(self) -> ComposeResult:
        typed, existing = printable(self.typed), printable(self.existing)
        with Vertical():
            yield Static(f"{existing} exists. Is {typed} a new person, or {existing}?",
                         id="similar-question", markup=False)
            yield DialogList(Option(Content(f"{existing}: the person who exists"), id="old"),
                             Option(Content(f"{typed}: a new person"), id="new"),
                             id="similar-choices")
            yield Static("↑ ↓ choose · enter · escape names nobody", id="similar-hint")

    def on_mount(self) -> None:
        self.query_one(DialogList).highlighted = 0

    def on_key(self, event: events.Key) -> None:
        """Keep keys typed before the question was on screen for what is behind it."""
        if event.time < self.shown_at:
            event.stop()
            event.prevent_default()
            self.held.append(event)

    def action_choose(self) -> None:
        index = self.query_one(DialogList).highlighted
        if index is not None:
            self._close(self.choices[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, result: str | None) -> None:
        held, self.held = self.held, []
        self.dismiss(result)
        for key in held:
            again = events.Key(key.key, key.character)
            again.time = key.time
            self.app.post_message(again)
