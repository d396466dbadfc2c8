"""A small modal to choose the person another one is merged into."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.printable import printable

from .dialog_list import DialogList


class PersonMergeDialog(ModalScreen[str | None]):
    """Returns the chosen target person's name, or None."""

    DEFAULT_CSS = """
    PersonMergeDialog { align: center middle; }
    PersonMergeDialog > Vertical { width: 60; max-width: 100%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2; }
    PersonMergeDialog OptionList { height: auto; max-height: 20; margin-top: 1; }
    PersonMergeDialog #merge-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="merge-cancel")]

    def __init__(self, source: str, targets: Sequence[str]) -> None:
        super().__init__()
        self.source, self.targets = source, list(targets)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Merge every face of {printable(self.source)} into:", markup=False)
            yield DialogList(*(Option(Content(printable(name)), id=f"t{i}")
                               for i, name in enumerate(self.targets)), id="merge-targets")
            yield Static("↑ ↓ choose · enter merges (u undoes) · escape cancels",
                         id="merge-hint")

    def action_choose(self) -> None:
        index = self.query_one(DialogList).highlighted
        if index is not None:
            self.dismiss(self.targets[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.targets[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
