"""Inline pictures: which textual-image widget draws thumbnails, from small in-memory JPEGs.

textual-image picks a protocol when ``textual_image.widget`` is first imported; users can
override it (Settings pane, catalog setting ``ui.image_protocol``) because detection over
SSH and inside tmux is not always right. Tests use half-cell blocks (stdout is not a TTY).
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image as PILImage

PROTOCOLS = ("auto", "halfcell", "sixel", "kitty", "unicode")
SETTING = "ui.image_protocol"


def image_class(protocol: str = "auto") -> type:
    """The textual-image widget class for a protocol name."""
    from textual_image import widget

    return {"auto": widget.Image, "halfcell": widget.HalfcellImage,
            "sixel": widget.SixelImage, "kitty": widget.TGPImage,
            "unicode": widget.UnicodeImage}.get(protocol, widget.Image)


@lru_cache(maxsize=2048)
def pil_thumbnail(jpeg: bytes) -> PILImage.Image:
    """A decoded thumbnail (cached: the grid redraws the same cells often)."""
    image = PILImage.open(io.BytesIO(jpeg))
    image.load()
    return image.convert("RGB")
