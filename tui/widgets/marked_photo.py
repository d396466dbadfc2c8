"""A photo fitted to the widget with boxes and labels on it.

In half cells (tmux, most SSH sessions) the thumbnail is scaled to exactly the cells shown,
one pixel a half cell, before the boxes are drawn: lines stay one crisp cell wide at any
terminal size and the labels are text over the picture. For image protocols (Sixel, Kitty)
the thumbnail is scaled up and boxes and labels are drawn into its pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.containers import Container

from .halfcell_picture import HalfcellPicture, fitted_cells
from .labelled_picture import LabelledPicture
from .photo_boxes import Mark, draw_marks

FULL_SIDE = 768     # pixels: image protocols draw labels into a picture scaled up to this


class MarkedPhoto(Container):
    """``show`` a picture (the photo's thumbnail, never the original) and its marks."""

    DEFAULT_CSS = """
    MarkedPhoto { align: center middle; height: 1fr; }
    MarkedPhoto > #marked-picture { width: auto; height: auto; }
    """

    def __init__(self, image_cls: type, **kwargs) -> None:
        super().__init__(**kwargs)
        self.image_cls = image_cls
        self.halfcell = issubclass(image_cls, HalfcellPicture)
        self.source: PILImage.Image | None = None
        self.marks: tuple[Mark, ...] = ()
        self.shown: PILImage.Image | None = None      # the picture as drawn, marks included

    def compose(self) -> ComposeResult:
        yield (LabelledPicture if self.halfcell else self.image_cls)(id="marked-picture")

    @property
    def image(self) -> PILImage.Image | None:
        """The picture shown (the thumbnail, before scaling and marks)."""
        return self.source

    def show(self, picture: PILImage.Image | None, marks: Sequence[Mark]) -> None:
        self.source, self.marks = picture, tuple(marks)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        picture = self.query_one("#marked-picture")
        if self.source is None:
            self.shown = None
        elif self.halfcell:
            width, height = self.content_size
            if not width or not height:
                return                           # drawn once laid out (on_resize)
            columns, rows = fitted_cells(self.source, width, height)
            fitted = self.source.resize((columns, 2 * rows), PILImage.Resampling.BOX)
            self.shown = draw_marks(fitted, self.marks)
        else:
            scale = max(1, FULL_SIDE // max(self.source.size))
            larger = self.source.resize((self.source.width * scale, self.source.height * scale),
                                        PILImage.Resampling.LANCZOS)
            self.shown = draw_marks(larger, self.marks, line=max(1, max(larger.size) // 256),
                                    text=max(10, max(larger.size) // 40))
        picture.image = self.shown  # type: ignore[attr-defined]
        if isinstance(picture, LabelledPicture):
            picture.labels = self.marks if self.shown is not None else ()
