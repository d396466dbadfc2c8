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


class PersonMergeDialog(ModalScreen[str | None]):
    """Returns the chosen target person's name, or None."""

    DEFAULT_CSS = """
    PersonMergeDialog { align: center middle; }
    PersonMergeDialog > Vertical { width: 60; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2; }
    PersonMergeDialog OptionList { height: auto; max-height: 20; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="merge-cancel")]

    def __init__(self, source: str, targets: Sequence[str]) -> None:
        super().__init__()
        self.source, self.targets = source, list(targets)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Merge every face of {printable(self.source)} into:", markup=False)
            yield OptionList(*(Option(Content(printable(name)), id=f"t{i}")
                               for i, name in enumerate(self.targets)), id="merge-targets")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.targets[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
