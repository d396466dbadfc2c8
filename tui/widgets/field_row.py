"""A line of fields (inputs, choices, buttons) that Escape always leaves: the focus moves to
the line itself, drawn highlighted, where the pane and app keys work again."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer
from textual.events import Blur, DescendantBlur, DescendantFocus
from textual.widget import Widget
from textual.widgets import Input


class FieldRow(Horizontal):
    """Escape in a field of the line parks the focus on the line, and puts back the text an
    input held when it was entered or last submitted (subclasses: ``left``). From a parked
    line, Enter goes back into the field it left, Tab / Shift+Tab to the field after / before
    it, and up / down to the line above / below. The line has the class ``-within`` while one
    of its fields has the focus."""

    BINDINGS = [
        Binding("escape", "leave", "Leave the field", key_display="esc", id="field-leave"),
        Binding("enter", "enter", "Edit", show=False),
        Binding("tab", "step(1)", "Next field", show=False),
        Binding("shift+tab", "step(-1)", "Previous field", show=False),
        Binding("up", "line(-1)", "Line above", show=False),
        Binding("down", "line(1)", "Line below", show=False),
    ]
    can_focus = False  # only while parked, so Tab never stops on the line itself

    def __init__(self, *children: Widget, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self.field: Widget | None = None  # the field the focus was in (or goes to)
        self._entered = ""                 # the text of the input being edited, on entry

    @property
    def parked(self) -> bool:
        return self.screen.focused is self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.parked if action == "leave" else self.parked

    def fields(self) -> list[Widget]:
        return [w for w in self.screen.focus_chain if self in w.ancestors]

    def park(self, field: Widget | None = None) -> None:
        """Put the focus on the line now (not later: the very next key must find it)."""
        fields = self.fields()
        self.field = field or (fields[0] if fields else None)
        self.can_focus = True
        self.screen.set_focus(self)

    def left(self, field: Widget) -> None:
        """Called as Escape leaves ``field`` (before the line takes the focus)."""
        if isinstance(field, Input):
            field.value = self._entered

    def action_leave(self) -> None:
        field = self.screen.focused
        if field is not None:
            self.left(field)
        self.park(field)

    def action_enter(self) -> None:
        if self.field is not None and self.field.is_attached:
            self.screen.set_focus(self.field)

    def action_step(self, direction: int) -> None:
        chain = [w for w in self.screen.focus_chain if w is not self]
        if self.field in chain:
            self.screen.set_focus(chain[(chain.index(self.field) + direction) % len(chain)])

    def action_line(self, direction: int) -> None:
        scroll = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        lines = [line for line in (scroll or self.screen).query(FieldRow) if line.fields()]
        index = lines.index(self) + direction
        if 0 <= index < len(lines):
            lines[index].park()

    def on_blur(self, event: Blur) -> None:
        self.can_focus = False

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.add_class("-within")  # :focus-within does not restyle the line's labels
        if isinstance(event.widget, Input):
            self._entered = event.widget.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._entered = event.value

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.remove_class("-within")
