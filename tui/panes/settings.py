"""The Settings and benchmarks pane: the model per task (present / missing / licence, install
an optional one), thresholds with a live preview of their effect on the user's catalog
(saved on Enter or on leaving the field; Escape puts the saved value back), the thumbnail
protocol, and a benchmark of the present models.

Everything that reads or writes the catalog, loads a model or times one runs in a thread
worker; the pane only talks to ``engine.tuning`` and ``engine.faces``.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.worker import get_current_worker

from engine.engine import Engine
from engine.errors import TermkamError
from engine.events import Event, JobFinished

from ..images import PROTOCOLS
from ..images import SETTING as IMAGE_SETTING
from ..widgets.bench_panel import BenchPanel
from ..widgets.field_row import FieldRow
from ..widgets.model_section import ModelSection
from ..widgets.model_table import ModelTable
from ..widgets.setting_preview import PREVIEWS, compute
from ..widgets.setting_row import SettingRow
from .base import Pane

GROUP_TITLES = {"faces": "Faces", "tags": "Auto tags", "quality": "Image quality sorter",
                "metadata": "Metadata in your files"}
PROTOCOL_LABELS = {"auto": "auto (detect)", "halfcell": "half-cell blocks", "sixel": "Sixel",
                   "kitty": "Kitty", "unicode": "grey Unicode"}
NARROW = 100  # below this pane width the model choices go one a line


class SettingsPane(Pane):
    """Focus goes to its fields, lines and tables, never to the pane itself (invisible)."""

    can_focus = False
    BINDINGS = [
        Binding("b", "benchmark", "Benchmark the present models", id="bench-run"),
        Binding("c", "cancel_benchmark", "Cancel the benchmark", id="bench-cancel"),
        Binding("i", "install", "Install the chosen optional model", id="model-install"),
    ]
    DEFAULT_CSS = """
    SettingsPane #settings-scroll { height: 1fr; }
    SettingsPane .section { text-style: bold; margin-top: 1; }
    SettingsPane .hint { color: $text-muted; }
    SettingsPane #settings-problems { color: $error; display: none; }
    SettingsPane #protocol-line { height: auto; margin-top: 1; }
    SettingsPane #protocol-line Label { padding-right: 1; }
    SettingsPane #image-protocol { width: 26; margin-right: 2; }
    SettingsPane.-narrow #model-choices { layout: vertical; }
    """
    DEBOUNCE = 0.3

    def __init__(self, engine: Engine, **kwargs: Any) -> None:
        super().__init__(engine, **kwargs)
        self.tuning = engine.tuning
        self.previews: dict[str, Any] = {}        # preview name -> latest engine result
        self._debounce: dict[str, Timer] = {}
        self._saves: dict[str, int] = {}          # setting -> number of its latest save
        self._save_lock = threading.Lock()
        self._protocol: Any = None                # the image protocol shown
        self._last_focus: Widget | None = None

    # -- layout and focus -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        values = self.tuning.values()
        with VerticalScroll(id="settings-scroll", can_focus=False):
            yield Label("Models", classes="section")
            yield ModelSection(self.tuning)
            yield Static("Type a value and press Enter (or leave the field) to save it; "
                         "escape puts the saved value back. The line after each setting "
                         "shows what the value would do on this catalog.", classes="hint")
            yield Static(markup=False, id="settings-problems")
            group = ""
            for spec in self.tuning.thresholds():
                if spec.group != group:
                    group = spec.group
                    yield Label(GROUP_TITLES[group], classes="section")
                yield SettingRow(spec, values[spec.name], self.tuning.check)
            yield Label("Thumbnails", classes="section")
            with FieldRow(id="protocol-line"):
                yield Label("Image protocol")
                stored = self.engine.setting(IMAGE_SETTING, "auto")
                self._protocol = stored if stored in PROTOCOLS else "auto"
                yield Select([(PROTOCOL_LABELS.get(p, p), p) for p in PROTOCOLS],
                             value=self._protocol, allow_blank=False, compact=True,
                             id="image-protocol")
                yield Static(classes="hint", id="protocol-note")
            yield Label("Benchmarks", classes="section")
            yield BenchPanel(self.tuning, id="bench-panel")

    def on_mount(self) -> None:
        self._protocol_note(self._protocol)
        self.refresh_data()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._last_focus = event.widget

    def focus_default(self) -> None:
        """Back where the user was (on the line of the field, not typing into it), else on
        the models table."""
        last = self._last_focus
        if last is None or not last.is_attached:
            self.screen.set_focus(self.query_one(ModelTable))
            return
        if isinstance(last.parent, Select):
            last = last.parent  # its list of choices, closed now
        line = next((a for a in last.ancestors_with_self if isinstance(a, FieldRow)), None)
        if line is not None and (last is line or isinstance(last, Input)):
            line.park(line.field if last is line else last)
        else:
            self.screen.set_focus(last)

    def refresh_data(self) -> None:
        self.query_one(ModelSection).load()
        self._check_stored()
        values = self._values()
        for preview in dict.fromkeys(PREVIEWS.values()):
            self._start_preview(preview, values)

    def engine_event(self, event: Event) -> None:
        if not isinstance(event, JobFinished):
            return
        values = self._values()
        if event.kind.startswith(("faces.", "scan")):
            for preview in ("detection", "recognition", "cluster", "quality"):
                self._start_preview(preview, values)
        if event.kind.startswith(("quality.", "scan")):
            self._start_preview("picks", values)
        if event.kind.startswith("tags."):
            self._start_preview("learning", values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-check",
          description="check the stored settings")
    def _check_stored(self) -> None:
        self.app.call_from_thread(self._show_problems, self._problems())

    def _problems(self) -> list[str]:
        """What is wrong with the stored settings, a line each (their rows show defaults)."""
        problems = []
        for tool in (self.engine.faces, self.engine.tags, self.engine.quality):
            try:
                tool.settings()
            except TermkamError as error:
                problems.append(str(error))
        return problems

    def _show_problems(self, problems: list[str]) -> None:
        shown = self.query_one("#settings-problems", Static)
        shown.update("\n".join(problems))
        shown.display = bool(problems)

    def action_install(self) -> None:
        self.query_one(ModelSection).install()

    # -- thresholds -----------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return {row.spec.name: row.value for row in self.query(SettingRow)}

    def on_setting_row_edited(self, message: SettingRow.Edited) -> None:
        """Save at once when asked to; a preview follows a pause in the typing."""
        message.stop()
        if timer := self._debounce.pop(message.name, None):
            timer.stop()
        if message.save:
            self._saves[message.name] = self._saves.get(message.name, 0) + 1
            self._save(message.name, message.value, self._saves[message.name])
            self._preview_setting(message.name)
        else:
            self._debounce[message.name] = self.set_timer(
                self.DEBOUNCE, partial(self._preview_setting, message.name))

    def on_setting_row_refused(self, message: SettingRow.Refused) -> None:
        message.stop()
        if timer := self._debounce.pop(message.name, None):
            timer.stop()

    @work(thread=True, exit_on_error=False, group="settings-write", description="save a setting")
    def _save(self, name: str, value: Any, number: int) -> None:
        with self._save_lock:  # an older save finishing late must not overwrite a newer one
            if number != self._saves.get(name):
                return
            try:
                self.tuning.save_setting(name, value)
            except TermkamError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error")
        self.app.call_from_thread(self._show_problems, self._problems())

    def _preview_setting(self, name: str) -> None:
        self._debounce.pop(name, None)
        if name in PREVIEWS:
            self._start_preview(PREVIEWS[name], self._values())

    def _start_preview(self, preview: str, values: dict[str, Any]) -> None:
        self.run_worker(partial(self._preview, preview, values), thread=True, exclusive=True,
                        exit_on_error=False, group=f"settings-preview-{preview}",
                        description=f"preview {preview}")

    def _preview(self, preview: str, values: dict[str, Any]) -> None:
        """Compute one preview (thread) and show it on its rows."""
        try:
            result, text = compute(self.tuning, preview, values)
        except TermkamError as error:
            result, text = None, f"no preview: {error}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_preview, preview, result, text)

    def _show_preview(self, preview: str, result: Any, text: str) -> None:
        self.previews[preview] = result
        for name, target in PREVIEWS.items():
            if target == preview:
                self.query_one(f"#setting-{name}", SettingRow).show_preview(
                    text, error=result is None)

    # -- thumbnail protocol ---------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "image-protocol" and event.value not in (Select.NULL,
                                                                      self._protocol):
            self._protocol = event.value
            self._save_protocol(str(event.value))

    @work(thread=True, exit_on_error=False, group="settings-write",
          description="save the image protocol")
    def _save_protocol(self, protocol: str) -> None:
        self.engine.set_setting(IMAGE_SETTING, protocol)
        self.app.call_from_thread(self._protocol_note, protocol)

    def _protocol_note(self, protocol: Any) -> None:
        current = getattr(self.app, "image_protocol", "auto")
        note = f"applies at the next start (this session: {current})"
        if protocol != current:
            note = f"saved: {protocol} {note}"
        self.query_one("#protocol-note", Static).update(note)

    # -- benchmarks -----------------------------------------------------------------------
    def action_benchmark(self) -> None:
        self.query_one(BenchPanel).run()

    def action_cancel_benchmark(self) -> None:
        self.query_one(BenchPanel).cancel()
