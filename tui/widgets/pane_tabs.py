"""The app's tabs of panes, switched only by the pane keys and clicks on a tab."""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane


class PaneTabs(TabbedContent):
    """A ``TabbedContent`` whose tab does not follow the focus. Textual's shows the pane of
    any widget given the focus; keys typed fast switch panes before the focus given for an
    earlier key has landed, and that late focus brought the earlier pane back."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.stop()
        event.prevent_default()     # TabbedContent's own handler would switch the tab
