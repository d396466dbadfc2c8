"""The models table of the Settings pane: task, model, kind, present / missing, size,
licence, and which ones the settings use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable

if TYPE_CHECKING:
    from engine.tuning import ModelInfo

STATE_STYLE = {"present": "green", "missing": "red", "no runtime": "yellow"}


class ModelTable(DataTable):
    """One row per model (row key = model id); the pane shows why the selected model
    cannot run."""

    DEFAULT_CSS = """
    ModelTable { height: auto; max-height: 12; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.models: dict[str, ModelInfo] = {}

    def on_mount(self) -> None:
        for label, key in (("Task", "task"), ("Model", "id"), ("Kind", "kind"),
                           ("State", "state"), ("Size", "size"), ("Licence", "licence"),
                           ("Used", "used")):
            self.add_column(label, key=key)

    def show(self, models: Sequence[ModelInfo]) -> None:
        selected = self.selected_model()
        self.clear()
        self.models = {m.id: m for m in models}
        for m in models:
            self.add_row(m.task, m.id, m.kind, Text(m.state, STATE_STYLE.get(m.state, "")),
                         f"{m.size_bytes / 1e6:.1f} MB", m.licence, "●" if m.in_use else "",
                         key=m.id)
        if selected in self.models:
            self.move_cursor(row=self.get_row_index(selected))

    def selected_model(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def state(self, model_id: str) -> str:
        """The State cell as shown (present / missing / no runtime)."""
        return str(self.get_cell(model_id, "state"))
