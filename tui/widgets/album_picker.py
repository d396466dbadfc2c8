"""The albums a scoped tool can be limited to: a selection list whose marks read ``[x]`` and
``[ ]`` (Textual's own draws an X on every line, chosen or not)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton

from .marks import CHECKED, UNCHECKED

BUTTON = ToggleButton.BUTTON_LEFT + ToggleButton.BUTTON_INNER + ToggleButton.BUTTON_RIGHT


class AlbumPicker(SelectionList[int]):
    """Album ids to choose; ``selected`` says which are chosen."""

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0  # so Space chooses at once

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 3 or "".join(s.text for s in segments[:3]) != BUTTON:
            return line
        index = self.scroll_offset.y + y
        chosen = self.get_option_at_index(index).value in self._selected
        mark = CHECKED if chosen else UNCHECKED
        return Strip([Segment(mark, segments[1].style), *segments[3:]], line.cell_length)
