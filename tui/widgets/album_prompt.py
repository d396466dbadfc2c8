"""Asking for a filter value: free text (file name / path) or one of a list of choices (tags,
persons, later pick labels) narrowed as the user types."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from engine.printable import printable

MAX_SHOWN = 200


class AlbumFilterPrompt(ModalScreen[str | None]):
    """Dismissed with the chosen value, "" to clear the filter, or None when cancelled.

    ``choices`` are (label, value) pairs; without them the typed text is the value.
    """

    DEFAULT_CSS = """
    AlbumFilterPrompt { align: center middle; }
    AlbumFilterPrompt > Vertical { width: 64; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1; }
    AlbumFilterPrompt OptionList { height: auto; max-height: 16; border: none; }
    AlbumFilterPrompt .prompt-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
        Binding("down", "choice(1)", "Next choice", show=False, id="prompt.down"),
        Binding("up", "choice(-1)", "Previous choice", show=False, id="prompt.up"),
    ]

    def __init__(self, title: str, value: str = "",
                 choices: Sequence[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.choices = list(choices) if choices is not None else None
        self.shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            yield Input(self.value, id="prompt-input")
            if self.choices is not None:
                yield OptionList(id="prompt-choices")
                hint = "type to narrow · ↑/↓ choose · enter apply · esc cancel"
            else:
                hint = "enter apply (empty clears) · esc cancel"
            yield Label(hint, classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._narrow(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._narrow(event.value)

    def _narrow(self, typed: str) -> None:
        if self.choices is None:
            return
        needle = typed.strip().lower()
        self.shown = [c for c in self.choices if needle in c[0].lower()][:MAX_SHOWN]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Content(printable(label))) for label, _ in self.shown] or
                            [Option("(no match)", disabled=True)])
        options.highlighted = 0 if self.shown else None

    def action_choice(self, delta: int) -> None:
        if self.choices is None or not self.shown:
            return
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(current + delta, len(self.shown) - 1))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.choices is None:
            self.dismiss(event.value.strip())
            return
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and highlighted < len(self.shown):
            self.dismiss(self.shown[highlighted][1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.shown):
            self.dismiss(self.shown[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
