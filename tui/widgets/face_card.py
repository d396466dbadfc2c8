"""One cell of the face grid: the face crop and its name or suggestion underneath.

Cards are reused from page to page (the grid keeps a pool the size of what fits on screen),
so ``show`` swaps the picture and the text instead of mounting new widgets. Their size is one
of ``CARD_SIZES`` (the grid's zoom level).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# textual-image asks the terminal about graphics and cell size when this is first imported;
# that must happen before the app starts, or the terminal's answers arrive as keystrokes.
import textual_image.widget  # noqa: F401
from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from engine.printable import printable

if TYPE_CHECKING:
    from engine.catalog.records import FaceRecord

# (width, height) in cells, border included, by zoom level: the picture is width - 2 cells by
# height - 4, about square in half cells (14 x 12 pixels at the smallest, 38 x 36 at the largest)
CARD_SIZES = ((16, 10), (24, 14), (32, 18), (40, 22))
CARD_WIDTH, CARD_HEIGHT = CARD_SIZES[0]
TEXT_WIDTH = CARD_WIDTH - 2


def face_caption(face: FaceRecord, selected: bool = False, width: int = TEXT_WIDTH) -> Text:
    """Two lines under a face, ``width`` cells wide: who it is (or may be), and how sure or
    which state."""
    mark = "● " if selected else ""
    if face.status == "confirmed":
        who, detail, style = face.person or "?", "✓ confirmed", "green"
    elif face.status == "ignored":
        who, detail, style = "ignored", f"#{face.id}", "dim"
    elif face.suggested:
        who, detail, style = f"{face.suggested}?", f"d {face.suggested_distance or 0:.3f}", "yellow"
    elif face.cluster_id is not None:
        who, detail, style = "unknown", f"cluster {face.cluster_id}", "dim"
    else:
        who, detail, style = "unknown", f"#{face.id}", "dim"
    text = Text(f"{mark}{printable(who)}"[:width], style=style, no_wrap=True,
                overflow="ellipsis")
    text.append("\n" + detail[:width], style="dim")
    return text


class FaceCard(Widget):
    """A face thumbnail with a caption; classes ``-cursor`` and ``-selected`` style it."""

    DEFAULT_CSS = f"""
    FaceCard {{ width: {CARD_WIDTH}; height: {CARD_HEIGHT}; border: tall $panel; }}
    FaceCard.-empty {{ visibility: hidden; }}
    FaceCard.-selected {{ border: tall $success; background: $success 15%; }}
    FaceCard.-cursor {{ border: tall $accent; background: $accent 20%; }}
    FaceCard > .face-picture {{ width: {TEXT_WIDTH}; height: {CARD_HEIGHT - 4}; }}
    FaceCard > .face-caption {{ width: {TEXT_WIDTH}; height: 2; }}
    """

    def __init__(self, image_cls: type, size: tuple[int, int] = CARD_SIZES[0],
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.image_cls = image_cls
        self.face: FaceRecord | None = None
        self.card_size = size
        self.add_class("-empty")

    def on_mount(self) -> None:
        if self.card_size != CARD_SIZES[0]:
            self.resize_to(self.card_size)

    def resize_to(self, size: tuple[int, int]) -> None:
        """Take another of ``CARD_SIZES`` (the grid zoomed), picture and caption included."""
        self.card_size = size
        width, height = size
        self.styles.width, self.styles.height = width, height
        self.query_one(".face-picture").styles.width = width - 2
        self.query_one(".face-picture").styles.height = height - 4
        self.query_one(".face-caption").styles.width = width - 2

    def compose(self) -> ComposeResult:
        yield self.image_cls(None, classes="face-picture")
        yield Static("", classes="face-caption")

    def show(self, face: FaceRecord | None, picture: PILImage.Image | None,
             selected: bool = False, cursor: bool = False) -> None:
        """Show a face (None: an empty cell)."""
        changed = face is None or self.face is None or face.id != self.face.id
        self.face = face
        self.set_class(face is None, "-empty")
        self.set_class(face is not None and selected, "-selected")
        self.set_class(face is not None and cursor, "-cursor")
        image = self.query_one(".face-picture")
        if changed:
            image.image = picture  # type: ignore[attr-defined]
        self.query_one(".face-caption", Static).update(
            face_caption(face, selected, self.card_size[0] - 2) if face else "")
