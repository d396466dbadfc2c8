"""One tunable setting: its label, an input (or a choice), and a live preview line of what
the value would do on the user's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from engine.errors import TermkamError

if TYPE_CHECKING:
    from engine.setting_specs import Threshold


class SettingRow(Horizontal):
    """Posts ``SettingRow.Edited`` with a checked value (``now`` on enter or a choice), and
    ``SettingRow.Refused`` when the text stops being a valid value (a valid value typed on the
    way, e.g. "10" while typing "100", must then not be saved)."""

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
        now: bool

    @dataclass
    class Refused(Message):
        row: SettingRow
        name: str

    def __init__(self, spec: Threshold, value: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(id=f"setting-{spec.name}", **kwargs)
        self.spec, self.value, self._check = spec, value, check
        self._error = False
        self._pending = False                     # an edit waits for the debounce

    def compose(self) -> ComposeResult:
        yield Label(self.spec.label, classes="setting-label")
        if self.spec.choices:
            yield Select([(c, c) for c in self.spec.choices], value=self.value,
                         allow_blank=False, compact=True, id=f"{self.id}-input")
        else:
            kind = self.spec.kind
            yield Input(str(self.value),
                        type="integer" if kind is int else "number" if kind is float else "text",
                        compact=True, id=f"{self.id}-input", tooltip=self.spec.help)
        yield Static(self.spec.help, classes="setting-preview", id=f"{self.id}-preview")

    def show_preview(self, text: str, error: bool = False) -> None:
        preview = self.query_one(".setting-preview", Static)
        self._error = error
        preview.set_class(error, "-error")
        preview.update(text)

    def applied(self) -> None:
        """The pane has saved the value: nothing waits any more."""
        self._pending = False

    def _edited(self, raw: Any, now: bool) -> None:
        try:
            value = self._check(self.spec.name, raw)
        except TermkamError as error:
            self.show_preview(str(error), error=True)
            self._pending = False
            self.post_message(self.Refused(self, self.spec.name))
            return
        if value == self.value and not now and not self._error:
            return  # e.g. the input's first Changed event, or "0.40" after "0.4"
        if self._error:
            self.show_preview(self.spec.help)  # a preview, if the setting has one, follows
        self.value = value
        self._pending = not now
        self.post_message(self.Edited(self, self.spec.name, value, now))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._edited(event.value, now=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._edited(event.value, now=True)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Leaving the field applies a value still waiting for its debounce."""
        event.stop()
        if self._pending:
            self._edited(event.value, now=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != Select.NULL and event.value != self.value:
            self._edited(event.value, now=True)
