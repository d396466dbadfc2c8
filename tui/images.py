"""Inline pictures: which textual-image widget draws thumbnails, from small in-memory JPEGs.

textual-image picks a protocol when ``textual_image.widget`` is first imported; users can
override it (Settings pane, catalog setting ``ui.image_protocol``) because detection over
SSH and inside tmux is not always right. Tests use half-cell blocks (stdout is not a TTY).
"""

from __future__ import annotations

PROTOCOLS = ("auto", "halfcell", "sixel", "kitty", "unicode")
SETTING = "ui.image_protocol"


def image_class(protocol: str = "auto") -> type:
    """The textual-image widget class for a protocol name."""
    from textual_image import widget

    return {"auto": widget.Image, "halfcell": widget.HalfcellImage,
            "sixel": widget.SixelImage, "kitty": widget.TGPImage,
            "unicode": widget.UnicodeImage}.get(protocol, widget.Image)
