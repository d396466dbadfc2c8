"""A small modal asking for a person's name, completing the names that already exist."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from .dialog_input import DialogInput


class PersonNameDialog(ModalScreen[str | None]):
    """Returns the typed name (stripped), or None when cancelled or left empty.

    Keys typed while it opens are typed into it (the app sends them on once the field has
    the focus); keys typed after enter or escape go to what is under it."""

    DEFAULT_CSS = """
    PersonNameDialog { align: center middle; }
    PersonNameDialog > Vertical { width: 60; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 1 2; }
    PersonNameDialog #name-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="name-cancel")]

    def __init__(self, title: str, names: Sequence[str], value: str = "") -> None:
        super().__init__()
        self.title_text, self.names, self.value = title, list(names), value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="name-title", markup=False)
            yield DialogInput(self.value, placeholder="name",
                              suggester=SuggestFromList(self.names, case_sensitive=False),
                              id="name-input")
            yield Static("enter to save · → completes a known name · escape cancels",
                         id="name-hint")

    def action_submit(self) -> None:
        self.dismiss(self.query_one(Input).value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
