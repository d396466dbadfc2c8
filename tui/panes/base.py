"""What every pane shares: the engine, engine events, and refresh when shown."""

from __future__ import annotations

from textual.containers import Container

from engine.engine import Engine
from engine.events import Event


class Pane(Container):
    """A tab of the app. Subclasses list their keys in BINDINGS (shown by `?`).

    The pane itself takes focus when shown, so its keys work at once.
    """

    can_focus = True

    def __init__(self, engine: Engine, **kwargs) -> None:
        super().__init__(**kwargs)
        self.engine = engine

    def engine_event(self, event: Event) -> None:
        """Called on the UI thread for every engine event (progress collapses upstream)."""

    def refresh_data(self) -> None:
        """Reload what the pane shows from the catalog (called when the pane is shown)."""

    def focus_default(self) -> None:
        """Put the focus where the pane's keys work (override to focus a grid or list)."""
        self.screen.set_focus(self)     # at once (Widget.focus waits): the next key is here
