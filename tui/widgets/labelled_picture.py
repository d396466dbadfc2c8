"""A half-cell picture with short text labels over it: each label sits on the cell row just
above its box (inside the box's top when the box touches the top of the picture), in the
box's colour, so a name reads at any terminal size where pixel text would not."""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from .halfcell_picture import HalfcellPicture, fitted_cells
from .photo_boxes import Mark, pixel_box

Placed = tuple[int, str, Style]     # first cell, text, style


class LabelledPicture(HalfcellPicture):
    """``labels`` (marks: normalised box, text, colour) are drawn over the picture; later
    ones cover earlier ones where they meet."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._labels: tuple[Mark, ...] = ()
        self._rows: dict[int, list[Placed]] | None = None
        self._placed_for: tuple[int, int, int] = (0, 0, 0)

    @property
    def labels(self) -> tuple[Mark, ...]:
        return self._labels

    @labels.setter
    def labels(self, marks: Sequence[Mark]) -> None:
        self._labels = tuple(mark for mark in marks if mark.label)
        self._rows = None
        self.refresh()

    def _placed(self, width: int, height: int) -> dict[int, list[Placed]]:
        """Row -> labels on it, for a content area of width x height cells."""
        image = self.image
        key = (width, height, id(image))
        if self._rows is not None and self._placed_for == key:
            return self._rows
        rows: dict[int, list[Placed]] = {}
        if image is not None:
            columns, lines = fitted_cells(image, width, height)
            left, top = (width - columns) // 2, (height - lines) // 2
            for mark in self._labels:
                x0, y0, _, _ = pixel_box(mark.box, columns, 2 * lines)
                row = y0 // 2 - 1 if y0 >= 2 else y0 // 2 + 1
                text = mark.label[:columns]
                start = left + max(0, min(x0, columns - len(text)))
                style = Style(color=Color.from_rgb(0, 0, 0), bgcolor=Color.from_rgb(*mark.colour),
                              bold=mark.strong)
                if 0 <= row < lines:
                    rows.setdefault(top + row, []).append((start, text, style))
        self._rows, self._placed_for = rows, key
        return rows

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not self._labels:
            return strip
        width, height = self.content_size
        for start, text, style in self._placed(width, height).get(y, ()):
            strip = Strip.join([strip.crop(0, start), Strip([Segment(text, style)]),
                                strip.crop(start + len(text), width)])
        return strip
