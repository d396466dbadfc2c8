"""The text field of a dialog: enter closes the dialog at once, and what is typed after
enter or escape is not text any more, it is for whatever the closing dialog uncovers."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


class DialogInput(Input):
    """Enter runs the screen's ``submit`` action (which dismisses the dialog in the same
    step); after enter or escape, keys go on to the app instead of into the field."""

    BINDINGS = [Binding("enter", "screen.submit", "Save", show=False)]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.closed = False

    async def _on_key(self, event: events.Key) -> None:
        if self.closed:
            event.prevent_default()     # not typed: it bubbles on and the app sends it on
        elif event.key in ("enter", "escape"):
            self.closed = True
