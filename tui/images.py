"""Inline pictures: which textual-image widget draws thumbnails, from small in-memory JPEGs.

textual-image picks a protocol when ``textual_image.widget`` is first imported; users can
override it (Settings pane, catalog setting ``ui.image_protocol``) because detection over
SSH and inside tmux is not always right. Tests use half-cell blocks (stdout is not a TTY).
"""

from __future__ import annotations

PROTOCOLS = ("auto", "halfcell", "sixel", "kitty", "unicode")
SETTING = "ui.image_protocol"


def image_class(protocol: str = "auto") -> type:
    """The picture widget class for a protocol name: textual-image's, except half cells (also
    when ``auto`` falls back to them), which our strip-cached widget draws much faster."""
    from textual_image import renderable, widget

    from .widgets.halfcell_picture import HalfcellPicture

    if protocol == "halfcell" or (protocol not in PROTOCOLS[1:]
                                  and renderable.Image is renderable.halfcell.Image):
        return HalfcellPicture
    return {"sixel": widget.SixelImage, "kitty": widget.TGPImage,
            "unicode": widget.UnicodeImage}.get(protocol, widget.Image)
