"""A modal listing the failed items of one job with their reasons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from engine.printable import printable

if TYPE_CHECKING:
    from engine.catalog.records import ItemErrorRecord


class JobErrorsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    JobErrorsScreen { align: center middle; }
    JobErrorsScreen > Vertical { width: 90%; height: 80%; border: round $error;
        background: $surface; padding: 0 1; }
    JobErrorsScreen #errors-title { text-style: bold; margin-bottom: 1; }
    JobErrorsScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q,e", "dismiss", "Close", id="errors-close")]

    def __init__(self, title: str, errors: Sequence[ItemErrorRecord]) -> None:
        super().__init__()
        self.title_text, self.errors = title, list(errors)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="errors-title")
            yield DataTable(id="errors-table", cursor_type="row", zebra_stripes=True)
            yield Label("[dim]escape to close[/dim]")

    def on_mount(self) -> None:
        table = self.query_one("#errors-table", DataTable)
        table.add_columns("File", "Reason")
        for error in self.errors:
            table.add_row(Text(printable(error.path)), Text(printable(error.reason)))
        table.focus()
