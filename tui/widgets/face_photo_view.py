"""People's photo view: the whole photo of a face, from its small thumbnail, every face on it
boxed and named, the face that opened it highlighted, and the face keys at hand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from engine.engine import Engine

from .marked_photo import MarkedPhoto
from .photo_screen import PhotoScreen


class FacePhotoView(PhotoScreen[None]):
    """A modal with the marked photo and a caption; escape (or enter, q) closes it."""

    DEFAULT_CSS = """
    FacePhotoView { align: center middle; }
    FacePhotoView > Vertical { width: 90%; height: 90%; border: round $accent;
        background: $surface; padding: 0 1; }
    FacePhotoView #photo-caption { height: auto; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="photo-close")]

    def __init__(self, engine: Engine, image_cls: type, image_id: int,
                 face_id: int | None = None) -> None:
        super().__init__(engine, image_cls, face_id=face_id)
        self._image_id = image_id

    @property
    def image_id(self) -> int:
        return self._image_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield MarkedPhoto(self.image_cls, id="photo-picture")
            yield Static("", id="photo-caption", markup=False)

    def on_mount(self) -> None:
        self.load()
