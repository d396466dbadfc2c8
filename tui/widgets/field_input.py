"""An input in a line of fields that understands Escape typed fast.

"escape 1" typed fast reaches the app as the Option character "¡" (see ``tui.key_routing``),
which the app leaves to an input, as text. In a line of fields, where digits are rarely text
and 1-4 are the pane keys, this input leaves the field, then acts on the key.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..key_routing import typed_after_escape
from .field_row import FieldRow


class FieldInput(Input):
    """An ``Input`` for a ``FieldRow``: Escape + key typed fast is Escape, then the key."""

    async def _on_key(self, event: events.Key) -> None:
        key = typed_after_escape(event)
        line = next((a for a in self.ancestors if isinstance(a, FieldRow)), None)
        if key is None or line is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        line.action_leave()
        self.app.post_message(events.Key(key, key if len(key) == 1 else event.character))
