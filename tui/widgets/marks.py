"""Check boxes and radio buttons whose marks differ in shape, not only in colour:
``[x]`` / ``[ ]`` and ``(•)`` / ``( )`` (Textual draws the same X or dot either way)."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

CHECKED, UNCHECKED = "[x]", "[ ]"
CSS = """
{0} > .toggle--button {{ color: $text-muted; background: $panel; }}
{0}.-on > .toggle--button {{ color: $text-success; text-style: bold; }}
"""


class PlainMarks:
    """Draws ``MARKS[value]`` as the button (mixed into a Textual toggle button)."""

    MARKS: ClassVar[tuple[str, str]] = (UNCHECKED, CHECKED)
    value: bool

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")  # type: ignore[attr-defined]
        return Content.styled(self.MARKS[bool(self.value)], style)


class MarkedCheckbox(PlainMarks, Checkbox):
    """A check box drawn ``[x]`` or ``[ ]``."""

    DEFAULT_CSS = CSS.format("MarkedCheckbox")


class MarkedRadio(PlainMarks, RadioButton):
    """A radio button drawn ``(•)`` or ``( )``."""

    DEFAULT_CSS = CSS.format("MarkedRadio")
    MARKS = ("( )", "(•)")
