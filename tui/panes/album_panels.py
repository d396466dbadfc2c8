"""The side panels of the Albums pane (album tree, info panel): shown while they fit beside
the thumbnail grid, or as the user chose; on a narrow terminal Tab shows the hidden tree for
the moment.

A panel fits while the grid keeps room for ``GRID_COLUMNS`` thumbnails beside it (the tree is
given room first, then the info panel).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.containers import Container

from ..widgets.album_tree import AlbumTree
from ..widgets.photo_info import PhotoInfo
from ..widgets.thumb_grid import CELL_WIDTH, ThumbGrid

GRID_COLUMNS = 3


def panels_shown(width: int, sizes: Mapping[str, int], chosen: Mapping[str, bool]) -> set[str]:
    """The panels to show in a pane ``width`` columns wide; ``sizes`` are the panels' widths
    in the order they get room, ``chosen`` the user's choices (panel -> shown), which win."""
    room = width - GRID_COLUMNS * CELL_WIDTH - 2  # the grid's border
    shown = set()
    for name, size in sizes.items():
        if chosen.get(name, size <= room):
            shown.add(name)
            room -= size
    return shown


class SidePanels(Container):
    """What the Albums pane does with its side panels (mixed into it; its CSS hides a panel
    when the pane has the class ``-no-tree`` / ``-no-info``)."""

    panels: dict[str, bool]   # the user's choice: panel -> shown, for this session
    drawer: bool              # the tree is shown for the moment (Tab while it was hidden)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_panels()

    def fit_panels(self) -> None:
        """Show the side panels there is room for (or that the user chose)."""
        tree, info = self.query_one(AlbumTree), self.query_one(PhotoInfo)
        sizes = {name: int(widget.styles.width.value) if widget.styles.width else 0
                 for name, widget in (("tree", tree), ("info", info))}
        shown = panels_shown(self.content_size.width, sizes, self.panels)
        self.set_class("tree" not in shown and not self.drawer, "-no-tree")
        self.set_class("info" not in shown, "-no-info")
        if tree.has_focus and self.has_class("-no-tree"):
            self.query_one(ThumbGrid).focus()

    def action_toggle_panel(self, panel: str) -> None:
        """Show or hide a side panel for this session (a tree shown for the moment stays)."""
        pin = panel == "tree" and self.drawer
        self.panels[panel] = pin or self.has_class(f"-no-{panel}")
        self.drawer = False
        self.fit_panels()

    def action_switch_focus(self) -> None:
        """Tab: the tree (shown for the moment if it is hidden), or back to the grid. The
        focus moves at once (not after a refresh), so the keys typed next go where it went."""
        tree = self.query_one(AlbumTree)
        if tree.has_focus:
            self.focus_grid()
            return
        if self.has_class("-no-tree"):
            self.drawer = True
            self.fit_panels()
        self.screen.set_focus(tree)

    def focus_grid(self) -> None:
        """Focus the grid (at once); a tree shown only for the moment hides again."""
        self.screen.set_focus(self.query_one(ThumbGrid))
        if self.drawer:
            self.drawer = False
            self.fit_panels()
