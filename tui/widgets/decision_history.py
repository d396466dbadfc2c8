"""The latest decisions about faces, newest first, those undone marked (People's `h`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from engine.printable import printable

from .dialog_list import DialogList

if TYPE_CHECKING:
    from engine.catalog.records import JournalRecord


def when(at: float, now: float | None = None) -> str:
    """The time of a decision: "14:03" today, "3 Dec 14:03" before."""
    stamp, today = time.localtime(at), time.localtime(now)
    same_day = stamp[:3] == today[:3]
    return time.strftime("%H:%M" if same_day else "%d %b %H:%M", stamp)


def entry_row(entry: JournalRecord, now: float | None = None) -> Text:
    """One decision: when, what, and whether it was undone."""
    row = Text(f"{when(entry.at, now):>12}  ", style="dim")
    row.append(printable(entry.summary), style="dim strike" if entry.undone else "")
    if entry.undone:
        row.append("  undone", style="yellow")
    return row


class DecisionHistory(ModalScreen[None]):
    """A list of journal entries; escape, enter, h or q closes it."""

    DEFAULT_CSS = """
    DecisionHistory { align: center middle; }
    DecisionHistory > Vertical { width: 80; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 1 2; }
    DecisionHistory DialogList { height: auto; max-height: 22; margin-top: 1; }
    DecisionHistory #history-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,h,q", "close", "Close", id="history-close")]

    def __init__(self, entries: Sequence[JournalRecord]) -> None:
        super().__init__()
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"The last {len(self.entries)} decisions about faces, newest first",
                         id="history-title")
            rows = [Option(entry_row(e), id=f"j{e.id}") for e in self.entries]
            yield DialogList(*rows or [Option("nothing decided yet", disabled=True)],
                             id="history-list")
            yield Static("u in People undoes the newest one not undone · escape closes",
                         id="history-hint")

    def action_choose(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
