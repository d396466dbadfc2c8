"""The Settings and benchmarks pane: the model per task (present / missing / licence, install
an optional one), thresholds saved as they change with a live preview of their effect on the
user's catalog, the thumbnail protocol, and a benchmark of the present models.

Everything that reads or writes the catalog, loads a model or times one runs in a thread
worker; the pane only talks to ``engine.tuning`` and ``engine.faces``.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from engine.engine import Engine
from engine.errors import TermkamError
from engine.events import Event, JobFinished

from ..images import PROTOCOLS
from ..images import SETTING as IMAGE_SETTING
from ..widgets.bench_panel import BenchPanel
from ..widgets.model_table import ModelTable
from ..widgets.setting_preview import PREVIEWS, compute
from ..widgets.setting_row import SettingRow
from .base import Pane

GROUP_TITLES = {"faces": "Faces", "tags": "Auto tags", "quality": "Image quality sorter",
                "metadata": "Metadata in your files"}
PROTOCOL_LABELS = {"auto": "auto (detect)", "halfcell": "half-cell blocks", "sixel": "Sixel",
                   "kitty": "Kitty", "unicode": "grey Unicode"}


class SettingsPane(Pane):
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
    SettingsPane .settings-line { height: auto; margin-top: 1; }
    SettingsPane .settings-line Label { padding-right: 1; }
    SettingsPane .settings-line Select { width: 26; margin-right: 2; }
    SettingsPane .model-choice-label { width: 17; }
    SettingsPane #install-source { width: 44; margin-right: 1; }
    """
    DEBOUNCE = 0.3

    def __init__(self, engine: Engine, **kwargs: Any) -> None:
        super().__init__(engine, **kwargs)
        self.tuning = engine.tuning
        self.previews: dict[str, Any] = {}        # preview name -> latest engine result
        self._debounce: dict[str, Timer] = {}
        self._edits: dict[str, int] = {}          # setting -> latest edit number
        self._save_lock = threading.Lock()
        self._shown: dict[str, Any] = {}          # select id -> value it shows

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        values = self.tuning.values()
        with VerticalScroll(id="settings-scroll"):
            yield Label("Models", classes="section")
            yield ModelTable(id="models")
            yield Static(classes="hint", id="model-note")
            choices = self.tuning.model_choices()
            for first in range(0, len(choices), 2):  # two tasks a line: fits 100 columns
                with Horizontal(classes="settings-line"):
                    for choice in choices[first:first + 2]:
                        yield Label(choice.label, classes="model-choice-label")
                        yield Select([(m, m) for m in choice.choices], value=choice.current,
                                     allow_blank=False, compact=True, id=f"use-{choice.task}")
            with Horizontal(classes="settings-line"):
                yield Label("Install")
                optional = [m.id for m in self.tuning.models() if m.kind == "optional"]
                yield Select([(m, m) for m in optional], value=optional[0] if optional else
                             Select.NULL, allow_blank=not optional, compact=True,
                             id="install-model")
                yield Input(placeholder="from a folder or URL (empty: upstream)", compact=True,
                            id="install-source")
                yield Button("Install", id="install-button", compact=True)
            yield Static("Settings are saved as they change; the line after each shows "
                         "what the value would do on this catalog.", classes="hint")
            yield Static(markup=False, id="settings-problems")
            group = ""
            for spec in self.tuning.thresholds():
                if spec.group != group:
                    group = spec.group
                    yield Label(GROUP_TITLES[group], classes="section")
                yield SettingRow(spec, values[spec.name], self.tuning.check)
            yield Label("Thumbnails", classes="section")
            with Horizontal(classes="settings-line"):
                yield Label("Image protocol")
                stored = self.engine.setting(IMAGE_SETTING, "auto")
                yield Select([(PROTOCOL_LABELS.get(p, p), p) for p in PROTOCOLS],
                             value=stored if stored in PROTOCOLS else "auto",
                             allow_blank=False, compact=True, id="image-protocol")
                yield Static(classes="hint", id="protocol-note")
            yield Label("Benchmarks", classes="section")
            yield BenchPanel(self.tuning, id="bench-panel")

    def on_mount(self) -> None:
        for select in self.query(Select):
            if select.id and (select.id.startswith("use-") or select.id == "image-protocol"):
                self._shown[select.id] = select.value
        self._protocol_note(self.query_one("#image-protocol", Select).value)
        self.refresh_data()

    def refresh_data(self) -> None:
        self._load_models()
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

    # -- models ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-models",
          description="read the model states")
    def _load_models(self) -> None:
        models = self.tuning.models()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_models, models)

    def _show_models(self, models: list[Any]) -> None:
        self.query_one(ModelTable).show(models)
        self._model_note()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "models":
            self._model_note()

    def _model_note(self) -> None:
        table = self.query_one(ModelTable)
        info = table.models.get(table.selected_model() or "")
        note = ""
        if info is not None:
            note = f"{info.title} ({info.runtime})" + (f": {info.problem}" if info.problem else "")
        self.query_one("#model-note", Static).update(note)

    def on_select_changed(self, event: Select.Changed) -> None:
        select_id, value = event.select.id or "", event.value
        if value == Select.NULL or self._shown.get(select_id) == value:
            return  # the initial value, or a value put back after a refusal
        self._shown[select_id] = value
        if select_id.startswith("use-"):
            self._use_model(select_id[4:], str(value))
        elif select_id == "image-protocol":
            self._save_protocol(str(value))

    @work(thread=True, exit_on_error=False, group="settings-write",
          description="choose a model")
    def _use_model(self, task: str, model_id: str) -> None:
        choice = next(c for c in self.tuning.model_choices() if c.task == task)
        try:
            self.tuning.use_model(task, model_id)
        except TermkamError as error:
            self.app.call_from_thread(self._revert_model, task, choice.current, str(error))
            return
        self.app.call_from_thread(
            self.notify, f"{choice.label}: {model_id}. What other models found is kept; "
            "run the tool again (Maintenance) to use it.")
        self._load_models()

    def _revert_model(self, task: str, current: str, error: str) -> None:
        self._shown[f"use-{task}"] = current
        self.query_one(f"#use-{task}", Select).value = current
        self.notify(error, severity="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "install-button":
            event.stop()
            self.action_install()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "install-source":
            event.stop()
            self.action_install()

    def action_install(self) -> None:
        model = self.query_one("#install-model", Select).value
        if model == Select.NULL:
            self.notify("No optional model to install.", severity="warning")
            return
        source = self.query_one("#install-source", Input).value.strip() or None
        self.notify(f"Installing {model} from {source or 'its upstream URL'}…")
        self._install(str(model), source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-install",
          description="install an optional model")
    def _install(self, model_id: str, source: str | None) -> None:
        def log(line: str) -> None:
            self.app.call_from_thread(self.query_one("#model-note", Static).update, line)

        try:
            path = self.tuning.install(model_id, source, log)
        except TermkamError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Installed {model_id} (sha256 ok): {path}")
        self._load_models()

    # -- thresholds -----------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return {row.spec.name: row.value for row in self.query(SettingRow)}

    def on_setting_row_edited(self, message: SettingRow.Edited) -> None:
        message.stop()
        self._edits[message.name] = self._edits.get(message.name, 0) + 1
        if timer := self._debounce.pop(message.name, None):
            timer.stop()
        if message.now:
            self._apply(message.name)
        else:
            self._debounce[message.name] = self.set_timer(self.DEBOUNCE,
                                                        partial(self._apply, message.name))

    def on_setting_row_refused(self, message: SettingRow.Refused) -> None:
        message.stop()
        self._edits[message.name] = self._edits.get(message.name, 0) + 1  # drop older saves
        if timer := self._debounce.pop(message.name, None):
            timer.stop()

    def _apply(self, name: str) -> None:
        """Save the setting's current value and refresh its preview (in a thread)."""
        self._debounce.pop(name, None)
        self.query_one(f"#setting-{name}", SettingRow).applied()
        values = self._values()
        self.run_worker(partial(self._save_and_preview, name, values[name], self._edits[name],
                                values), thread=True, exclusive=True, exit_on_error=False,
                        group=f"settings-preview-{PREVIEWS.get(name, name)}",
                        description=f"save {name} and preview it")

    def _save_and_preview(self, name: str, value: Any, edit: int, values: dict[str, Any]) -> None:
        with self._save_lock:  # an older edit finishing late must not overwrite a newer one
            if edit == self._edits.get(name):
                self.tuning.save_setting(name, value)
                self.app.call_from_thread(self._show_problems, self._problems())
        if name in PREVIEWS:
            self._preview(PREVIEWS[name], values)

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
