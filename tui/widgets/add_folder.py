"""The "Add folder" dialog: a folder typed with completion of folder names (Tab, as in a
shell), the folders that match listed below, checked to be a folder, and whether the face,
tag and quality tools follow its scan."""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from engine.printable import printable

from .folder_input import HOME, FolderInput, folder_names

SHOWN = 12  # folder names listed under the input


@dataclass(frozen=True)
class FolderChoice:
    """What the dialog returns: the folder (absolute) and whether the tools follow the scan."""

    path: str
    tools: bool


class AddFolderDialog(ModalScreen[FolderChoice | None]):
    """Dismissed with a ``FolderChoice``, or None when cancelled."""

    DEFAULT_CSS = """
    AddFolderDialog { align: center middle; }
    AddFolderDialog > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1; }
    AddFolderDialog #folder-title { text-style: bold; }
    AddFolderDialog #folder-matches { height: auto; max-height: 4; color: $text-muted; }
    AddFolderDialog #folder-matches.-error { color: $error; }
    AddFolderDialog #folder-buttons { height: auto; }
    AddFolderDialog #folder-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add-folder.cancel"),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(self, start: str = "", tools: bool = True) -> None:
        super().__init__()
        self.start, self.tools = start, tools

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add a folder of photos", id="folder-title")
            yield Static("termkam scans it into the catalog and makes thumbnails; your photos "
                         "are not changed.", markup=False)
            yield FolderInput(self.start, placeholder="~/Pictures", id="folder-path")
            yield Static("", id="folder-matches", markup=False)
            yield Checkbox("Then find faces, auto tags and quality (in the background)",
                           self.tools, id="folder-tools")
            with Horizontal(id="folder-buttons"):
                yield Button("Add and scan", variant="primary", id="folder-add")
                yield Button("Cancel", id="folder-cancel")
            yield Static("tab completes · enter adds and scans · ↓ options · esc cancels",
                         id="folder-hint")

    @property
    def path_input(self) -> FolderInput:
        return self.query_one(FolderInput)

    def on_mount(self) -> None:
        self.path_input.focus()
        self.path_input.cursor_position = len(self.path_input.value)
        self._list(self.path_input.value)

    def _list(self, typed: str, error: str = "") -> None:
        """The folders matching what is typed (those of the home folder while nothing is)."""
        names = [] if error else folder_names(typed or HOME)
        more = f"  (+{len(names) - SHOWN} more)" if len(names) > SHOWN else ""
        text = error or ("in ~/:  " if not typed else "") + "  ".join(
            f"{printable(n)}/" for n in names[:SHOWN]) + more
        matches = self.query_one("#folder-matches", Static)
        matches.set_class(bool(error), "-error")
        matches.update(Content(text))

    @on(Input.Changed, "#folder-path")
    def _typed(self, event: Input.Changed) -> None:
        self._list(event.value)

    @on(Input.Submitted, "#folder-path")
    @on(Button.Pressed, "#folder-add")
    def _add(self) -> None:
        typed = self.path_input.value.strip()
        folder = os.path.abspath(os.path.expanduser(typed)) if typed else ""
        if not folder or not os.path.isdir(folder):
            self._list(typed, f"not a folder: {printable(typed) or '(nothing typed)'}")
            self.path_input.focus()
            return
        self.dismiss(FolderChoice(folder, self.query_one(Checkbox).value))

    @on(Button.Pressed, "#folder-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
