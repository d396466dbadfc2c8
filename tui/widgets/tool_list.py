"""The maintenance tools in the engine's fixed order: a check box each, their options, a line
explaining the focused tool's option, the scope (whole collection or chosen albums) and Start.

Keys: Up / Down move between tools, Space checks one, Left / Right change its mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Static

from engine.printable import printable

from .album_picker import AlbumPicker
from .choice_cycle import ChoiceCycle
from .marks import MarkedCheckbox, MarkedRadio

if TYPE_CHECKING:
    from textual import events

    from engine.catalog.records import AlbumRecord
    from engine.jobs import JobKind

HINT = "↑↓ tools  space check  ←→ mode  r run the checked tools"


def tool_id(kind: str) -> str:
    """The check box id of a tool (``faces.detect`` -> ``tool-faces-detect``)."""
    return "tool-" + kind.replace(".", "-")


class ToolList(Vertical):
    """Checked tools with their options, in order; ``plan()`` says what Start queues."""

    DEFAULT_CSS = """
    ToolList { width: 58; height: auto; }
    ToolList .tool-row { height: 1; }
    ToolList .tool-row MarkedCheckbox { width: 1fr; }
    ToolList .tool-row .tool-option { width: 1fr; text-align: right; color: $text-muted; }
    ToolList ChoiceCycle { width: 14; content-align: center middle; }
    ToolList #tool-help { height: 2; color: $text-muted; }
    ToolList #scope-row { height: 1; }
    ToolList #scope-title { text-style: bold; width: auto; }
    ToolList #scope { layout: horizontal; width: 1fr; height: 1; padding: 0; }
    ToolList #scope MarkedRadio { width: auto; margin-right: 1; }
    ToolList #tools-start { min-width: 9; }
    ToolList #scope-album-list { height: 8; display: none; }
    ToolList.-albums #scope-album-list { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next tool", show=False),
        Binding("up", "move(-1)", "Previous tool", show=False),
        Binding("right", "mode(1)", "Next mode", show=False),
        Binding("left", "mode(-1)", "Previous mode", show=False),
    ]

    def __init__(self, kinds: Sequence[JobKind], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kinds = list(kinds)
        self._job_of: dict[str | None, JobKind] = {}  # option widget id -> its tool
        self._current: Widget | None = None  # the row's widget in the Tab order

    def compose(self) -> ComposeResult:
        for job in self.kinds:
            options = list(job.choices.items())  # the first beside the tool, more below it
            with Horizontal(classes="tool-row"):
                yield MarkedCheckbox(job.title, id=tool_id(job.kind), compact=True)
                if options:
                    yield self._choice(job, *options[0])
            for name, choices in options[1:]:
                with Horizontal(classes="tool-row"):
                    yield Label(f"{name} ", classes="tool-option")
                    yield self._choice(job, name, choices)
        yield Static(HINT, id="tool-help", markup=False)
        with Horizontal(id="scope-row"):
            yield Label("Scope ", id="scope-title")
            with RadioSet(id="scope", compact=True):
                yield MarkedRadio("Whole collection", value=True, id="scope-all")
                yield MarkedRadio("Chosen albums", id="scope-albums")
            start = Button("Start", id="tools-start", variant="primary", compact=True)
            start.can_focus = False  # for the mouse: keys have `r`, and Tab goes on to albums
            yield start
        yield AlbumPicker(id="scope-album-list", compact=True)

    def _choice(self, job: JobKind, name: str, choices: Sequence[str]) -> ChoiceCycle:
        choice = ChoiceCycle(choices, id=f"{tool_id(job.kind)}-{name}")
        self._job_of[choice.id] = job
        return choice

    # -- keys and focus: one row at a time is in the Tab order, arrows move between rows ----
    def _rows(self) -> list[Widget]:
        return list(self.query(".tool-row"))

    def _row_of(self, widget: Widget | None) -> Widget | None:
        parent = widget.parent if widget is not None else None
        return parent if isinstance(parent, Widget) and parent.has_class("tool-row") else None

    @staticmethod
    def _stop(row: Widget) -> Widget:
        """What the cursor rests on in a row: the tool's check box, else the option."""
        return next(iter(row.query(MarkedCheckbox)), None) or row.query_one(ChoiceCycle)

    def on_mount(self) -> None:
        self._rove(self._stop(self._rows()[0]))

    def _rove(self, stop: Widget) -> None:
        """Make ``stop`` the list's only Tab stop (Tab then leaves the list at once); the
        options beside the tools are changed with Left / Right from their tool."""
        for row in self._rows():
            for widget in row.query("MarkedCheckbox, ChoiceCycle"):
                widget.can_focus = widget is stop
        self._current = stop

    def focus_tool(self) -> None:
        """Put the cursor back on the tool it was on (the first tool at first), unless it
        is in the list already (keys typed ahead have moved it)."""
        focused = self.screen.focused
        if self._current is not None and (focused is None or self not in focused.ancestors):
            self.screen.set_focus(self._current, scroll_visible=False)

    def action_move(self, by: int) -> None:
        rows = self._rows()
        row = self._row_of(self.screen.focused)
        if row is None:
            return
        stop = self._stop(rows[min(max(rows.index(row) + by, 0), len(rows) - 1)])
        self._rove(stop)
        self.screen.set_focus(stop)  # at once: the next key may be queued already

    def action_mode(self, by: int) -> None:
        row = self._row_of(self.screen.focused)
        choice = next(iter(row.query(ChoiceCycle)), None) if row is not None else None
        if choice is not None:
            choice.action_step(by)

    def on_click(self, event: events.Click) -> None:
        row = self._row_of(event.widget)
        if row is not None:  # a click on a tool or its option puts the cursor there
            self._rove(self._stop(row))
            self.screen.set_focus(self._current)

    def on_descendant_focus(self) -> None:
        self._explain()

    @on(ChoiceCycle.Changed)
    def _choice_changed(self) -> None:
        self._explain()

    @on(RadioSet.Changed, "#scope")
    def _scope_changed(self, event: RadioSet.Changed) -> None:
        self.set_class(event.pressed.id == "scope-albums", "-albums")

    def _explain(self) -> None:
        """The focused tool's option and what its value does, what the scope covers, or the
        keys."""
        widget = self.screen.focused
        row = self._row_of(widget)
        choice = next(iter(row.query(ChoiceCycle)), None) if row is not None else None
        text = HINT
        if choice is not None:
            text = f"{choice.value}: {self._job_of[choice.id].explanation(choice.value)}"
        elif widget is not None and widget.id in ("scope", "scope-album-list"):
            scoped = ", ".join(job.title for job in self.kinds if job.scoped)
            text = f"Chosen albums limit {scoped}; the other tools cover everything."
        self.query_one("#tool-help", Static).update(text)

    def explanation(self) -> str:
        """The explanation line as shown."""
        return str(self.query_one("#tool-help", Static).render())

    # -- what the user chose --------------------------------------------------------------
    def set_albums(self, albums: Sequence[AlbumRecord]) -> None:
        """Offer these albums for a chosen-albums scope, keeping the current choice."""
        picker = self.query_one(AlbumPicker)
        chosen = set(picker.selected)
        picker.clear_options()
        picker.add_options([(Content(f"{printable(a.relpath or '(top folder)')}  "
                                     f"({a.image_count})"), a.id, a.id in chosen)
                            for a in albums])

    def check(self, kind: str, value: bool = True) -> None:
        self.query_one(f"#{tool_id(kind)}", Checkbox).value = value

    def set_option(self, kind: str, value: str, name: str = "mode") -> None:
        self.query_one(f"#{tool_id(kind)}-{name}", ChoiceCycle).value = value

    def chosen_albums(self) -> list[int] | None:
        """Album ids of a chosen-albums scope, None for the whole collection."""
        if not self.query_one("#scope-albums", RadioButton).value:
            return None
        return list(self.query_one(AlbumPicker).selected)

    def plan(self) -> list[tuple[str, dict[str, Any]]]:
        """(tool, options) for every checked tool, in the fixed order."""
        albums = self.chosen_albums()
        planned = []
        for job in self.kinds:
            if not self.query_one(f"#{tool_id(job.kind)}", Checkbox).value:
                continue
            options: dict[str, Any] = {
                name: self.query_one(f"#{tool_id(job.kind)}-{name}", ChoiceCycle).value
                for name in job.choices}
            if albums is not None and job.scoped:
                options["albums"] = albums
            planned.append((job.kind, options))
        return planned
