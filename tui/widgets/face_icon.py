"""A face as a few lines of text: each cell an upper half block coloured by two pixels, so
the icon fits in a row of a list (any terminal with 24-bit or 256 colours)."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image as PILImage
from rich.color import Color
from rich.style import Style
from rich.text import Text

HALF = "▀"
COLUMNS, LINES = 8, 4     # a face icon in a row of a list: 8 x 8 pixels


def face_icon(picture: PILImage.Image, columns: int, lines: int) -> list[Text]:
    """``lines`` rows of ``columns`` cells: the picture squeezed to columns x 2*lines pixels
    (a terminal cell is about twice as tall as wide, so a square face stays square)."""
    small = picture.convert("RGB").resize((columns, 2 * lines), PILImage.Resampling.BOX)
    pixels: list[tuple[int, int, int]] = list(small.getdata())
    rows = []
    for line in range(lines):
        row = Text()
        for x in range(columns):
            top, bottom = pixels[2 * line * columns + x], pixels[(2 * line + 1) * columns + x]
            row.append(HALF, Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom)))
        rows.append(row)
    return rows


class FaceIcons:
    """Icons by face id, made once from the face crops ``picture`` gives."""

    def __init__(self, picture: Callable[[int], PILImage.Image | None], columns: int = COLUMNS,
                 lines: int = LINES) -> None:
        self.picture, self.columns, self.lines = picture, columns, lines
        self._icons: dict[int, list[Text] | None] = {}

    def get(self, face_id: int) -> list[Text] | None:
        if face_id not in self._icons:
            picture = self.picture(face_id)
            self._icons[face_id] = (face_icon(picture, self.columns, self.lines)
                                    if picture is not None else None)
        return self._icons[face_id]

    def clear(self) -> None:
        self._icons.clear()
