"""The whole photo of a face, from the photo's small thumbnail, with the face boxed."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image as PILImage
from PIL import ImageDraw
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

Box = tuple[float, float, float, float]     # x, y, w, h in displayed full-size pixels


def displayed_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """The size a viewer shows: EXIF orientations 5-8 turn the photo a quarter."""
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def boxed_photo(jpeg: bytes, width: int, height: int, orientation: int, box: Box,
                others: Sequence[Box] = ()) -> PILImage.Image:
    """The upright thumbnail with ``box`` drawn (``others``, the photo's other faces, thin).

    Boxes are in full-size displayed pixels; the thumbnail is the displayed photo scaled."""
    image = PILImage.open(io.BytesIO(jpeg)).convert("RGB")
    shown_w, shown_h = displayed_size(width, height, orientation)
    sx, sy = image.width / shown_w, image.height / shown_h
    draw = ImageDraw.Draw(image)
    line = max(2, max(image.size) // 60)

    def rect(b: Box) -> tuple[float, float, float, float]:
        x, y, w, h = b
        return (x * sx, y * sy, min(image.width - 1, (x + w) * sx),
                min(image.height - 1, (y + h) * sy))

    for other in others:
        draw.rectangle(rect(other), outline=(160, 160, 160), width=max(1, line // 2))
    draw.rectangle(rect(box), outline=(255, 220, 0), width=line)
    return image


class FacePhotoView(ModalScreen[None]):
    """A modal with the boxed photo and a caption; escape (or enter, q) closes it."""

    DEFAULT_CSS = """
    FacePhotoView { align: center middle; }
    FacePhotoView > Vertical { width: 90%; height: 90%; border: round $accent;
        background: $surface; padding: 0 1; }
    FacePhotoView #photo-frame { height: 1fr; align: center middle; }
    FacePhotoView #photo-picture { width: auto; height: auto; }
    FacePhotoView #photo-caption { height: auto; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="photo-close")]

    def __init__(self, picture: PILImage.Image, caption: str, image_cls: type) -> None:
        super().__init__()
        self.picture, self.caption, self.image_cls = picture, caption, image_cls

    def compose(self) -> ComposeResult:
        with Vertical():
            with Container(id="photo-frame"):
                yield self.image_cls(self.picture, id="photo-picture")
            yield Static(self.caption, id="photo-caption", markup=False)
