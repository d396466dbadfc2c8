"""A larger preview: the 256 px thumbnail drawn as large as the terminal allows (never the
original file); left / right step through the photos of the grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import ModalScreen
from textual.widgets import Label

from engine.printable import printable

# image id -> (thumbnail or None, caption)
PreviewSource = Callable[[int], tuple[PILImage.Image | None, str]]


class PhotoPreview(ModalScreen[int]):
    """Dismissed with the id of the photo shown last (the grid follows it)."""

    DEFAULT_CSS = """
    PhotoPreview { align: center middle; background: $background 85%; }
    PhotoPreview > #preview-frame { width: 100%; height: 1fr; align: center middle; }
    PhotoPreview > #preview-frame > * { width: auto; height: auto; }
    PhotoPreview > #preview-caption { width: 100%; height: 1; content-align: center middle;
        background: $panel; }
    """
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="preview.close"),
        Binding("left,h", "step(-1)", "Previous", id="preview.previous"),
        Binding("right,l", "step(1)", "Next", id="preview.next"),
    ]

    def __init__(self, image_cls: type, source: PreviewSource, ids: Sequence[int],
                 index: int) -> None:
        super().__init__()
        self.image_cls = image_cls
        self.source = source
        self.ids = list(ids)
        self.index = index

    def compose(self) -> ComposeResult:
        with Container(id="preview-frame"):
            yield self.image_cls(id="preview-image")
        yield Label("", id="preview-caption", markup=False)

    def on_mount(self) -> None:
        self._show()

    @property
    def image_id(self) -> int:
        return self.ids[self.index]

    def _show(self) -> None:
        image, caption = self.source(self.image_id)
        self.query_one("#preview-image").image = image  # type: ignore[attr-defined]
        note = "" if image is not None else "  (no thumbnail yet: run Maintenance > thumbnails)"
        self.query_one("#preview-caption", Label).update(
            f"{printable(caption)}{note}   {self.index + 1}/{len(self.ids)}   "
            "←/→ browse · esc close")

    def action_step(self, delta: int) -> None:
        index = max(0, min(self.index + delta, len(self.ids) - 1))
        if index != self.index:
            self.index = index
            self._show()

    def action_close(self) -> None:
        self.dismiss(self.image_id)
