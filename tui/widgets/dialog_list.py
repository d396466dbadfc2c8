"""The option list of a dialog: enter picks the highlighted option in the same step as the
key (the list's own Selected message would come a moment later, after keys typed on)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class DialogList(OptionList):
    """Enter runs the screen's ``choose`` action; clicks still post ``OptionSelected``."""

    BINDINGS = [Binding("enter", "screen.choose", "Choose", show=False)]
