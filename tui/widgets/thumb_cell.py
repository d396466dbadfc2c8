"""One slot of the thumbnail grid: a picture and a caption, re-bound to another photo as the
grid scrolls (the widget stays mounted; only its image and text change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image as PILImage
from textual import events
from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from engine.printable import printable


class ThumbCell(Widget):
    DEFAULT_CSS = """
    ThumbCell { width: 1fr; height: 1fr; border: tall $background; padding: 0; }
    ThumbCell.-cursor { border: tall $accent; }
    ThumbCell.-unbound { visibility: hidden; }
    ThumbCell > .thumb-frame { width: 100%; height: 1fr; align: center middle; }
    ThumbCell > .thumb-frame > * { width: auto; height: auto; }
    ThumbCell > .thumb-frame > HalfcellPicture { width: 100%; height: 100%; }
    ThumbCell > .thumb-caption { width: 100%; height: 1; text-wrap: nowrap;
        text-overflow: ellipsis; content-align: center middle; color: $text-muted; }
    ThumbCell.-cursor > .thumb-caption { color: $text; text-style: bold; }
    """

    @dataclass
    class Clicked(Message):
        """The user clicked the cell in pool slot ``slot``."""

        cell: ThumbCell
        slot: int

    def __init__(self, image_cls: type, slot: int) -> None:
        super().__init__(classes="-unbound")
        self.slot = slot
        self.image_id: int | None = None
        self.picture_of: int | None = None    # the photo whose picture is drawn
        # built here, not in compose, so a cell can be bound before it is mounted
        self.picture: Any = image_cls()
        self.caption = Label("", classes="thumb-caption", markup=False)

    def compose(self) -> ComposeResult:
        yield Container(self.picture, classes="thumb-frame")
        yield self.caption

    def bind(self, image_id: int | None, caption: str = "") -> None:
        """Show this photo's caption (``image_id`` None empties the slot); a picture of
        another photo is taken away until ``show_picture`` gives this one's."""
        self.image_id = image_id
        self.set_class(image_id is None, "-unbound")
        caption = printable(caption)
        if self.caption.content != caption:
            self.caption.update(caption)
        if self.picture_of != image_id:
            self.picture_of = None
            if self.picture.image is not None:
                self.picture.image = None

    @property
    def needs_picture(self) -> bool:
        return self.image_id is not None and self.picture_of != self.image_id

    def show_picture(self, image_id: int | None, image: PILImage.Image | None) -> None:
        """Draw ``image`` as the picture of photo ``image_id``."""
        self.picture_of = image_id
        if self.picture.image is not image:
            self.picture.image = image

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self, self.slot))
