"""The models part of the Settings pane: the models table (present / missing / licence),
the model used per task, and installing an optional model from its upstream URL, a folder
or a URL. Everything that reads the registry or downloads runs in a thread worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from engine.errors import TermkamError

from .field_input import FieldInput
from .field_row import FieldRow
from .model_table import ModelTable

if TYPE_CHECKING:
    from engine.tuning import TuningService


class ModelSection(Vertical):
    """The table, one line per model choice (two a line where ``#model-choices`` is laid out
    horizontally), and the install line."""

    DEFAULT_CSS = """
    ModelSection { height: auto; }
    ModelSection #model-choices { height: auto; layout: horizontal; }
    ModelSection FieldRow { height: auto; width: auto; margin-top: 1; }
    ModelSection FieldRow Label { padding-right: 1; }
    ModelSection FieldRow Select { width: 26; margin-right: 2; }
    ModelSection .model-choice-label { width: 17; }
    ModelSection #install-line { width: 1fr; }
    ModelSection #install-source { width: 1fr; max-width: 44; margin-right: 1; }
    """

    def __init__(self, tuning: TuningService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tuning = tuning
        self._shown: dict[str, Any] = {}  # select id -> the model it shows

    def compose(self) -> ComposeResult:
        yield ModelTable(id="models")
        yield Static(classes="hint", id="model-note")
        with Horizontal(id="model-choices"):
            for choice in self.tuning.model_choices():
                with FieldRow():
                    yield Label(choice.label, classes="model-choice-label")
                    yield Select([(m, m) for m in choice.choices], value=choice.current,
                                 allow_blank=False, compact=True, id=f"use-{choice.task}")
                    self._shown[f"use-{choice.task}"] = choice.current
        with FieldRow(id="install-line"):
            yield Label("Install")
            optional = [m.id for m in self.tuning.models() if m.kind == "optional"]
            yield Select([(m, m) for m in optional], value=optional[0] if optional else
                         Select.NULL, allow_blank=not optional, compact=True,
                         id="install-model")
            yield FieldInput(placeholder="from a folder or URL (empty: upstream)",
                             compact=True, id="install-source")
            yield Button("Install", id="install-button", compact=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-models",
          description="read the model states")
    def load(self) -> None:
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
        if not select_id.startswith("use-"):
            return
        event.stop()
        if value == Select.NULL or self._shown.get(select_id) == value:
            return  # a value put back after a refusal
        self._shown[select_id] = value
        self._use_model(select_id[4:], str(value))

    @work(thread=True, exit_on_error=False, group="settings-write", description="choose a model")
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
        self.load()

    def _revert_model(self, task: str, current: str, error: str) -> None:
        self._shown[f"use-{task}"] = current
        self.query_one(f"#use-{task}", Select).value = current
        self.notify(error, severity="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "install-button":
            event.stop()
            self.install()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "install-source":
            event.stop()
            self.install()

    def install(self) -> None:
        """Install the optional model chosen, from the source typed (empty: upstream)."""
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
        self.load()
