"""A small yes/no modal that says what an action on many faces is about to do."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmDialog(ModalScreen[bool]):
    """A question, a few lines of detail; y or enter answer yes, n or escape no."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 1 2; }
    ConfirmDialog #confirm-question { text-style: bold; }
    ConfirmDialog #confirm-detail { margin-top: 1; }
    ConfirmDialog #confirm-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, detail: Sequence[str] = ()) -> None:
        super().__init__()
        self.question, self.detail = question, list(detail)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static("\n".join(self.detail), id="confirm-detail", markup=False)
            yield Static("y or enter: yes (u undoes it) · n or escape: no", id="confirm-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
