"""The maintenance tools in the engine's fixed order: a checkbox each, their options, the
scope (whole collection or chosen albums) and Start."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Select, SelectionList

from engine.printable import printable

if TYPE_CHECKING:
    from engine.catalog.records import AlbumRecord
    from engine.jobs import JobKind

def tool_id(kind: str) -> str:
    """The checkbox id of a tool (``faces.detect`` -> ``tool-faces-detect``)."""
    return "tool-" + kind.replace(".", "-")


class ToolList(Vertical):
    """Checked tools with their options, in order; ``plan()`` says what Start queues."""

    DEFAULT_CSS = """
    ToolList { width: 52; height: auto; }
    ToolList .tool-row { height: auto; }
    ToolList .tool-row Checkbox { width: 34; }
    ToolList .tool-row Select { width: 16; }
    ToolList .tool-row .tool-option { width: 34; text-align: right; color: $text-muted; }
    ToolList #scope { height: auto; width: 100%; }
    ToolList #scope-album-list { height: 8; }
    ToolList #tools-start { margin-top: 1; }
    ToolList .section { text-style: bold; margin-top: 1; }
    """

    def __init__(self, kinds: Sequence[JobKind], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kinds = list(kinds)

    def compose(self) -> ComposeResult:
        yield Label("Tools", classes="section")
        for job in self.kinds:
            options = list(job.choices.items())  # the first beside the tool, more below it
            with Horizontal(classes="tool-row"):
                yield Checkbox(job.title, id=tool_id(job.kind), compact=True)
                yield from self._choice(job, *options[0]) if options else ()
            for name, choices in options[1:]:
                with Horizontal(classes="tool-row"):
                    yield Label(f"{name} ", classes="tool-option")
                    yield from self._choice(job, name, choices)
        yield Label("Scope", classes="section")
        with RadioSet(id="scope", compact=True):
            yield RadioButton("Whole collection", value=True, id="scope-all")
            scoped = ", ".join(job.title for job in self.kinds if job.scoped)
            yield RadioButton(f"Chosen albums (for {scoped})", id="scope-albums")
        yield SelectionList[int](id="scope-album-list", compact=True)
        yield Button("Start", id="tools-start", variant="primary", compact=True)

    @staticmethod
    def _choice(job: JobKind, name: str, choices: Sequence[str]) -> ComposeResult:
        yield Select([(c, c) for c in choices], value=choices[0], allow_blank=False,
                     compact=True, id=f"{tool_id(job.kind)}-{name}")

    def set_albums(self, albums: Sequence[AlbumRecord]) -> None:
        """Offer these albums for a chosen-albums scope, keeping the current choice."""
        picker = self.query_one("#scope-album-list", SelectionList)
        chosen = set(picker.selected)
        picker.clear_options()
        picker.add_options([(Content(f"{printable(a.relpath or '(top folder)')}  "
                                     f"({a.image_count})"), a.id, a.id in chosen)
                            for a in albums])

    def check(self, kind: str, value: bool = True) -> None:
        self.query_one(f"#{tool_id(kind)}", Checkbox).value = value

    def set_option(self, kind: str, value: str, name: str = "mode") -> None:
        self.query_one(f"#{tool_id(kind)}-{name}", Select).value = value

    def chosen_albums(self) -> list[int] | None:
        """Album ids of a chosen-albums scope, None for the whole collection."""
        if not self.query_one("#scope-albums", RadioButton).value:
            return None
        return list(self.query_one("#scope-album-list", SelectionList).selected)

    def plan(self) -> list[tuple[str, dict[str, Any]]]:
        """(tool, options) for every checked tool, in the fixed order."""
        albums = self.chosen_albums()
        planned = []
        for job in self.kinds:
            if not self.query_one(f"#{tool_id(job.kind)}", Checkbox).value:
                continue
            options: dict[str, Any] = {
                name: self.query_one(f"#{tool_id(job.kind)}-{name}", Select).value
                for name in job.choices}
            if albums is not None and job.scoped:
                options["albums"] = albums
            planned.append((job.kind, options))
        return planned
