"""A virtualised thumbnail grid: a fixed pool of cells sized to the viewport, re-bound to the
rows in view as the cursor moves. 10,000 photos cost a list of 10,000 ints, not widgets.

Drawing pictures is the expensive part (a page of half-cell thumbnails costs far more than its
data). A lone scroll draws them at once; a scroll that comes less than ``FAST`` seconds after the
previous one was drawn (a held-down key) moves only the captions, and the pictures of the rows
in view are drawn once no scroll came for ``SETTLE`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import monotonic

from PIL import Image as PILImage
from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from .thumb_cell import ThumbCell

Captions = Callable[[Sequence[int]], dict[int, str]]
Pictures = Callable[[Sequence[int]], dict[int, PILImage.Image | None]]

CELL_WIDTH = 16   # smallest cell, in terminal columns and rows (border and caption included)
CELL_HEIGHT = 9
CELL_CHROME = (2, 3)  # columns and rows of a cell that are not picture: its border, a caption
FAST = 0.1        # s: a scroll this soon after the previous one was drawn defers pictures
SETTLE = 0.06     # s: deferred pictures are drawn when the view did not scroll for this long
REFIT = 0.03      # s: the pool is fitted when the grid was not resized for this long


def fit_cells(width: int, height: int) -> tuple[int, int]:
    """Columns and rows of cells in a grid of this size: rows of at least ``CELL_HEIGHT``,
    cells at least ``CELL_WIDTH`` wide and about as wide as their pictures are tall (a half
    cell is a square pixel), so a short terminal shows fewer but larger pictures."""
    rows = max(1, height // CELL_HEIGHT)
    square = 2 * (height // rows - CELL_CHROME[1]) + CELL_CHROME[0]
    return max(1, width // max(CELL_WIDTH, square)), rows


class ThumbGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    ThumbGrid { layout: grid; grid-size: 1 1; grid-rows: 1fr; grid-columns: 1fr;
        grid-gutter: 0; width: 1fr; height: 1fr; border: round $panel; }
    ThumbGrid:focus { border: round $accent; }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor is on another photo (``image_id`` None: the grid is empty)."""

        grid: ThumbGrid
        index: int
        image_id: int | None

    def __init__(self, image_cls: type, captions: Captions, pictures: Pictures, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.image_cls = image_cls
        self.captions = captions
        self.pictures = pictures
        self.ids: list[int] = []
        self.cursor = 0
        self.top = 0            # first row in view
        self.columns = 1
        self.rows = 1
        self.binds = 0          # how many times the pool was re-bound (for tests and benchmarks)
        self.pictures_drawn = 0  # how many times pictures were drawn (for tests and benchmarks)
        self._settle: Timer | None = None
        self._refit: Timer | None = None
        self._drawn_at = 0.0    # when the last scroll reached the screen

    # -- the pool -------------------------------------------------------------------------
    @property
    def cells(self) -> list[ThumbCell]:
        return list(self.query_children(ThumbCell))

    async def on_resize(self, event: events.Resize) -> None:
        # a terminal resize can resize the grid twice (the pane then shows or hides a side
        # panel): the pool is fitted once, to the size it ends with (the first one at once)
        if self._refit is not None:
            self._refit.stop()
        if self.cells:
            self._refit = self.set_timer(REFIT, self._fit_pool)
        else:
            await self._fit_pool()

    async def _fit_pool(self) -> None:
        self._refit = None
        width, height = self.content_size
        if not width or not height:
            return
        columns, rows = fit_cells(width, height)
        if (columns, rows) == (self.columns, self.rows) and len(self.cells) == columns * rows:
            return
        self.columns, self.rows = columns, rows
        self.styles.grid_size_columns, self.styles.grid_size_rows = columns, rows
        cells = self.cells
        wanted = columns * rows
        if len(cells) > wanted:
            await self.remove_children(cells[wanted:])
        elif len(cells) < wanted:
            await self.mount_all([ThumbCell(self.image_cls, slot)
                                  for slot in range(len(cells), wanted)])
        self._scroll_to_cursor(rebind=True, defer=False)

    # -- data -----------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int], keep: int | None = None) -> None:
        """Show these photos; the cursor goes to photo ``keep`` if it is among them (the view
        stays where it was, if the cursor is still in it), else to the first."""
        self.ids = list(ids)
        kept = keep is not None and keep in self.ids
        self.cursor = self.ids.index(keep) if kept else 0
        self.top = self.top if kept else 0
        self._scroll_to_cursor(rebind=True, defer=False)
        self._announce()

    @property
    def current(self) -> int | None:
        """The image id under the cursor."""
        return self.ids[self.cursor] if self.ids else None

    def visible_ids(self) -> list[int]:
        start = self.top * self.columns
        return self.ids[start:start + self.columns * self.rows]

    def forget_pictures(self) -> None:
        """Thumbnails were rebuilt: the next re-bind draws every picture again."""
        for cell in self.cells:
            cell.picture_of = None

    @property
    def pictures_pending(self) -> bool:
        """Whether some cell in view still waits for its picture."""
        return any(cell.needs_picture for cell in self.cells)

    def _bind(self, defer: bool = False) -> None:
        """Bind the pool to the rows in view; pictures now, or after ``SETTLE`` if ``defer``."""
        cells = self.cells
        if not cells:
            return
        self.binds += 1
        visible = self.visible_ids()
        captions = self.captions(visible) if visible else {}
        first = self.top * self.columns
        for slot, cell in enumerate(cells):
            image_id = visible[slot] if slot < len(visible) else None
            cell.bind(image_id, captions.get(image_id, "") if image_id is not None else "")
            cell.set_class(first + slot == self.cursor and bool(self.ids), "-cursor")
        if self._settle is not None:
            self._settle.stop()
            self._settle = None
        if defer and monotonic() - self._drawn_at < FAST:
            self._settle = self.set_timer(SETTLE, self.draw_pictures)
        else:
            self.draw_pictures()
        self.call_after_refresh(self._mark_drawn)

    def _mark_drawn(self) -> None:
        self._drawn_at = monotonic()

    def draw_pictures(self) -> None:
        """Give every cell in view the picture of its photo (decoded and cached lazily)."""
        self._settle = None
        waiting = [cell for cell in self.cells if cell.needs_picture]
        if not waiting:
            return
        self.pictures_drawn += 1
        images = self.pictures([cell.image_id for cell in waiting if cell.image_id is not None])
        for cell in waiting:
            if cell.image_id is not None:
                cell.show_picture(cell.image_id, images.get(cell.image_id))

    # -- moving ---------------------------------------------------------------------------
    def move_to(self, index: int) -> None:
        """Put the cursor on photo ``index`` (clamped), scrolling the pool if needed."""
        if not self.ids:
            return
        index = max(0, min(index, len(self.ids) - 1))
        if index == self.cursor:
            return
        self.cursor = index
        self._scroll_to_cursor()
        self._announce()

    def move(self, dx: int = 0, dy: int = 0) -> None:
        """Move by ``dx`` photos and ``dy`` rows."""
        self.move_to(self.cursor + dx + dy * self.columns)

    def page(self, pages: int) -> None:
        """Move by whole screens, the view with the cursor."""
        if not self.ids:
            return
        step = pages * self.rows
        before = self.cursor
        self.top = max(0, min(self.top + step, self._last_top()))
        self.cursor = max(0, min(self.cursor + step * self.columns, len(self.ids) - 1))
        self._scroll_to_cursor(rebind=True)
        if self.cursor != before:
            self._announce()

    def scroll_rows(self, rows: int) -> None:
        """Scroll the view (mouse wheel); the cursor stays in view."""
        top = max(0, min(self.top + rows, self._last_top()))
        if top == self.top:
            return
        self.top = top
        row = self.cursor // self.columns
        row = min(max(row, top), top + self.rows - 1)
        column = self.cursor % self.columns
        self.cursor = min(row * self.columns + column, len(self.ids) - 1)
        self._bind(defer=True)
        self._announce()

    def _last_top(self) -> int:
        last_row = max(0, (len(self.ids) - 1) // self.columns)
        return max(0, last_row - self.rows + 1)

    def _scroll_to_cursor(self, rebind: bool = False, defer: bool = True) -> None:
        """Scroll so the cursor is in view (re-binding the pool if the view moved)."""
        row = self.cursor // self.columns
        top = min(self.top, row)
        if row >= top + self.rows:
            top = row - self.rows + 1
        top = min(top, self._last_top())
        if top != self.top or rebind:
            self.top = top
            self._bind(defer)
            return
        first = self.top * self.columns
        for slot, cell in enumerate(self.cells):
            cell.set_class(first + slot == self.cursor, "-cursor")

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self.cursor, self.current))

    # -- mouse ----------------------------------------------------------------------------
    def on_thumb_cell_clicked(self, message: ThumbCell.Clicked) -> None:
        message.stop()
        self.focus()
        self.move_to(self.top * self.columns + message.slot)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(-1)
