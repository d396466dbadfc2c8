"""One tunable setting: its label, an input (or a choice), and a live preview line of what
the value would do on the user's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from engine.errors import TermkamError

from .field_input import FieldInput
from .field_row import FieldRow

if TYPE_CHECKING:
    from engine.setting_specs import Threshold


class SettingRow(FieldRow):
    """Posts ``SettingRow.Edited`` with a checked value: ``save`` on Enter, on leaving the
    field or on a choice, a preview only while typing; and ``SettingRow.Refused`` when the
    text stops being a valid value (a valid value typed on the way, e.g. "10" while typing
    "100", must then not be previewed late). Escape puts the saved value back."""

    DEFAULT_CSS = """
    SettingRow { height: auto; margin-bottom: 1; }
    SettingRow .setting-label { width: 26; padding-top: 0; }
    SettingRow Input { width: 12; }
    SettingRow Select { width: 14; }
    SettingRow .setting-preview { width: 1fr; padding-left: 2; color: $text-muted; }
    SettingRow .setting-preview.-error { color: $error; }
    """

    @dataclass
    class Edited(Message):
        row: SettingRow
        name: str
        value: Any
        save: bool

    @dataclass
    class Refused(Message):
        row: SettingRow
        name: str

    def __init__(self, spec: Threshold, value: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(id=f"setting-{spec.name}", **kwargs)
        self.spec, self._check = spec, check
        self.value = self.saved = value          # the value shown / the one in the catalog
        self._refusal: str | None = None          # why the text in the field is not a value

    def compose(self) -> ComposeResult:
        yield Label(self.spec.label, classes="setting-label")
        if self.spec.choices:
            yield Select([(c, c) for c in self.spec.choices], value=self.value,
                         allow_blank=False, compact=True, id=f"{self.id}-input")
        else:
            kind = self.spec.kind
            yield FieldInput(str(self.value),
                             type="integer" if kind is int else "number" if kind is float
                             else "text", compact=True, id=f"{self.id}-input",
                             tooltip=self.spec.help)
        yield Static(self.spec.help, classes="setting-preview", id=f"{self.id}-preview")

    def show_preview(self, text: str, error: bool = False) -> None:
        preview = self.query_one(".setting-preview", Static)
        preview.set_class(error, "-error")
        preview.update(text)

    def _accepted(self) -> bool:
        """Clear a refusal shown for an earlier text; whether there was one."""
        refused, self._refusal = self._refusal is not None, None
        if refused:
            self.show_preview(self.spec.help)  # a preview, if the setting has one, follows
        return refused

    def _edited(self, raw: Any, save: bool) -> None:
        try:
            value = self._check(self.spec.name, raw)
        except TermkamError as error:
            self._refusal = str(error)
            self.show_preview(self._refusal, error=True)
            self.post_message(self.Refused(self, self.spec.name))
            return
        if (not self._accepted() and value == self.value
                and not (save and value != self.saved)):
            return  # e.g. the input's first Changed event, or "0.40" after "0.4"
        self.value = value
        if save:
            self.saved = value
        self.post_message(self.Edited(self, self.spec.name, value, save))

    def restore(self) -> None:
        """Put the saved value back into the field, and its preview."""
        for field in self.query(Input):
            field.value = str(self.saved)
        if self._accepted() or self.value != self.saved:
            self.value = self.saved
            self.post_message(self.Edited(self, self.spec.name, self.saved, save=False))

    def left(self, field: Widget) -> None:
        self.restore()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._edited(event.value, save=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._edited(event.value, save=True)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Leaving the field saves what it holds, or puts the saved value back if that is
        not a valid value (saying why)."""
        event.stop()
        if self._refusal is not None:
            problem = self._refusal
            self.restore()
            self.notify(f"{self.spec.label}: {problem}; kept {self.saved}", severity="warning",
                        markup=False)
        elif self.value != self.saved:
            self._edited(event.value, save=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != Select.NULL and event.value != self.value:
            self._edited(event.value, save=True)
