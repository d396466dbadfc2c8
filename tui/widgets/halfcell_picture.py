"""A picture drawn with half-cell blocks (▀: upper pixel in the foreground colour, lower one in
the background), for terminals without an image protocol (tmux, most SSH sessions).

textual-image's ``HalfcellImage`` does the same through Rich: every repaint builds a Style per
cell and splits the segments into lines again, and every new image re-lays out its parent. In
the Albums grid that was most of the ~0.3 s of CPU a page took. Here the lines of a picture
are built once per size into Textual ``Strip``s, kept as long as the PIL image lives, and a
new image only repaints the widget unless its size is ``auto``.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
from PIL import Image as PILImage
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

# id(image) -> (width, height) -> lines; an entry goes with its image (PIL images are not
# hashable, so no WeakKeyDictionary)
_STRIPS: dict[int, dict[tuple[int, int], list[Strip]]] = {}


def _lines_for(image: PILImage.Image, width: int, height: int) -> list[Strip]:
    sizes = _STRIPS.get(id(image))
    if sizes is None:
        sizes = _STRIPS[id(image)] = {}
        weakref.finalize(image, _STRIPS.pop, id(image), None)
    lines = sizes.get((width, height))
    if lines is None:
        lines = sizes[(width, height)] = halfcell_lines(image, width, height)
    return lines


def fitted_cells(image: PILImage.Image, width: int, height: int) -> tuple[int, int]:
    """(columns, rows) of the largest picture of ``image``'s shape inside width x height
    cells, a cell being two square pixels stacked."""
    if width <= 0 or height <= 0 or not image.width or not image.height:
        return 0, 0
    columns = min(width, max(1, round(2 * height * image.width / image.height)))
    rows = min(height, max(1, round(columns * image.height / image.width / 2)))
    return columns, rows


def halfcell_lines(image: PILImage.Image, width: int, height: int) -> list[Strip]:
    """``height`` strips of ``width`` cells: the picture fitted and centred."""
    columns, rows = fitted_cells(image, width, height)
    blank = Strip.blank(width)
    if not columns:
        return [blank] * height
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    pixels = np.asarray(rgb.resize((columns, 2 * rows), PILImage.Resampling.BOX))
    left, top = (width - columns) // 2, (height - rows) // 2
    pad_left = [Segment(" " * left)] if left else []
    pad_right = [Segment(" " * (width - left - columns))] if width - left - columns else []
    lines = [blank] * top
    for row in range(rows):
        upper, lower = pixels[2 * row].tolist(), pixels[2 * row + 1].tolist()
        cells = [Segment("▀", Style.from_color(Color.from_rgb(*up), Color.from_rgb(*down)))
                 for up, down in zip(upper, lower, strict=True)]
        lines.append(Strip([*pad_left, *cells, *pad_right], width))
    return lines + [blank] * (height - len(lines))


class HalfcellPicture(Widget):
    """Draws ``image`` (a PIL image, or None for nothing) fitted to the widget's size."""

    DEFAULT_CSS = "HalfcellPicture { width: auto; height: auto; }"

    def __init__(self, image: PILImage.Image | None = None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._image = image

    @property
    def image(self) -> PILImage.Image | None:
        return self._image

    @image.setter
    def image(self, value: Any) -> None:
        if value is self._image:
            return
        self._image = value
        auto = self.styles.width is None or self.styles.width.is_auto or (
            self.styles.height is None or self.styles.height.is_auto)
        self.refresh(layout=auto)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self._image is None:
            return 0
        return fitted_cells(self._image, container.width, container.height or 2**16)[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._image is None:
            return 0
        return fitted_cells(self._image, width, container.height or 2**16)[1]

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        if self._image is None or not width or not height:
            return Strip.blank(width)
        lines = _lines_for(self._image, width, height)
        return lines[y] if 0 <= y < len(lines) else Strip.blank(width)
