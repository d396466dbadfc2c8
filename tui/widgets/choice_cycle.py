"""One option of a tool as a small spinner: ``‹ new ›``. Left / Right (or a click) step
through the values; there is no menu to open, so Up / Down stay free to move between
tools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceCycle(Widget, can_focus=True):
    """The chosen value of ``choices`` (the first by default)."""

    DEFAULT_CSS = """
    ChoiceCycle { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    ChoiceCycle:focus { color: $block-cursor-foreground; background: $block-cursor-background;
        text-style: bold; }
    """
    BINDINGS = [
        Binding("right,space,enter", "step(1)", "Next value", show=False),
        Binding("left", "step(-1)", "Previous value", show=False),
    ]

    value: reactive[str] = reactive("", init=False)

    @dataclass
    class Changed(Message):
        """The value changed (by a key, a click or code)."""

        choice: ChoiceCycle
        value: str

        @property
        def control(self) -> ChoiceCycle:
            return self.choice

    def __init__(self, choices: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(choices)
        self.set_reactive(ChoiceCycle.value, self.choices[0])

    def render(self) -> str:
        return f"‹ {self.value} ›"

    def validate_value(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(self.choices)}")
        return value

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, by: int) -> None:
        """Move to the next (``by`` 1) or the previous (-1) value, round the end."""
        index = self.choices.index(self.value)
        self.value = self.choices[(index + by) % len(self.choices)]

    def on_click(self) -> None:
        self.action_step(1)
