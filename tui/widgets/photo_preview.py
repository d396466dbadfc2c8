"""A larger preview: the 256 px thumbnail drawn as large as the terminal allows (never the
original file) with its faces boxed and named; left / right step through the photos of the
grid, and the photo view's keys (tab, y, n, r, d, o) work on its faces."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine.engine import Engine

from .marked_photo import MarkedPhoto
from .photo_screen import PhotoScreen, Thumbnails


class PhotoPreview(PhotoScreen[int]):
    """Dismissed with the id of the photo shown last (the grid follows it)."""

    CAPTION = "#preview-caption"

    DEFAULT_CSS = """
    PhotoPreview { align: center middle; background: $background 85%; }
    PhotoPreview > #preview-image { width: 100%; height: 1fr; }
    PhotoPreview > #preview-caption { width: 100%; height: auto; text-align: center;
        background: $panel; }
    """
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="preview.close"),
        Binding("left,h", "step(-1)", "Previous", id="preview.previous"),
        Binding("right,l", "step(1)", "Next", id="preview.next"),
    ]

    def __init__(self, engine: Engine, image_cls: type, ids: Sequence[int], index: int,
                 thumbnails: Thumbnails | None = None) -> None:
        super().__init__(engine, image_cls, thumbnails)
        self.ids = list(ids)
        self.index = index

    def compose(self) -> ComposeResult:
        yield MarkedPhoto(self.image_cls, id="preview-image")
        yield Static("", id="preview-caption", markup=False)

    def on_mount(self) -> None:
        self.load()

    @property
    def image_id(self) -> int:
        return self.ids[self.index]

    def where(self) -> str:
        return f"   {self.index + 1}/{len(self.ids)}   ←/→ browse · esc close"

    def action_step(self, delta: int) -> None:
        index = max(0, min(self.index + delta, len(self.ids) - 1))
        if index != self.index:
            self.index, self.face_id, self._index = index, None, 0
            self.last = ""
            self.load()

    def action_close(self) -> None:
        self.dismiss(self.image_id)
