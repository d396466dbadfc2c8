"""The face review grid: one page of faces that fits on screen, a cursor and a selection.

Only the visible page exists: the grid keeps a pool of cards exactly the size of what fits,
fetches that many faces from its source, and swaps them in place when the page changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from .face_card import CARD_HEIGHT, CARD_SIZES, CARD_WIDTH, FaceCard

if TYPE_CHECKING:
    from engine.catalog.records import FaceRecord


@dataclass(frozen=True)
class FaceSource:
    """What the grid pages through: how many faces, and how to fetch a slice of them."""

    total: int
    fetch: Callable[[int, int], list[FaceRecord]]     # (offset, limit) -> faces
    empty: str = "No faces here."


class FaceGrid(Container):
    """Pages of face cards; the pane drives it (keys live on the pane so `?` lists them)."""

    DEFAULT_CSS = f"""
    FaceGrid {{ height: 1fr; width: 1fr; }}
    FaceGrid > #face-cards {{ layout: grid; grid-size: 1; grid-rows: {CARD_HEIGHT};
        grid-columns: {CARD_WIDTH}; height: 1fr; }}
    FaceGrid > #face-empty {{ color: $text-muted; padding: 1 2; display: none; }}
    FaceGrid.-empty > #face-empty {{ display: block; }}
    FaceGrid.-empty > #face-cards {{ display: none; }}
    FaceGrid:focus-within FaceCard.-cursor {{ border: tall $accent-lighten-2; }}
    """
    can_focus = True

    def __init__(self, image_cls: type, picture: Callable[[int], PILImage.Image | None],
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.image_cls = image_cls
        self.picture = picture
        self.source = FaceSource(0, lambda offset, limit: [])
        self.columns, self.rows = 5, 3
        self.start = 0                     # the page's first face, as an index in the source
        self.cursor = 0                     # index in the page
        self.faces: list[FaceRecord] = []
        self.selected: set[int] = set()
        self.zoom = 0                       # the cards' size: a level of CARD_SIZES

    def compose(self) -> ComposeResult:
        yield Container(*(FaceCard(self.image_cls) for _ in range(self.page_size)),
                        id="face-cards")
        yield Static("", id="face-empty", markup=False)

    # -- geometry ---------------------------------------------------------------------------
    @property
    def page_size(self) -> int:
        return self.columns * self.rows

    @property
    def page(self) -> int:
        return self.start // self.page_size

    @property
    def pages(self) -> int:
        return max(1, -(-self.source.total // self.page_size))

    def on_mount(self) -> None:
        self.query_one("#face-cards", Container).styles.grid_size_columns = self.columns

    @property
    def card_size(self) -> tuple[int, int]:
        return CARD_SIZES[self.zoom]

    async def on_resize(self) -> None:
        await self._fit()

    async def zoom_to(self, level: int) -> None:
        """Draw the faces larger or smaller (a level of ``CARD_SIZES``, wrapping around),
        keeping the face under the cursor."""
        self.zoom = level % len(CARD_SIZES)
        width, height = self.card_size
        cards = self.query_one("#face-cards", Container)
        cards.styles.grid_columns, cards.styles.grid_rows = str(width), str(height)
        for card in cards.query(FaceCard):
            card.resize_to(self.card_size)
        await self._fit(force=True)

    async def _fit(self, force: bool = False) -> None:
        """As many cards as fit; the page starts again around the cursor's face."""
        if not self.size.width or not self.size.height:     # hidden (another tab)
            return
        width, height = self.card_size
        columns = max(1, self.size.width // width)
        rows = max(1, self.size.height // height)
        if (columns, rows) == (self.columns, self.rows) and not force:
            return
        position = self.start + self.cursor
        self.columns, self.rows = columns, rows
        cards = self.query_one("#face-cards", Container)
        cards.styles.grid_size_columns = columns
        pool = list(cards.query(FaceCard))
        if len(pool) < self.page_size:
            await cards.mount_all(FaceCard(self.image_cls, self.card_size)
                                  for _ in range(self.page_size - len(pool)))
        elif len(pool) > self.page_size:
            await cards.remove_children(pool[self.page_size:])
        self.start = position - position % self.page_size
        self.cursor = position - self.start
        self.reload()

    # -- data -------------------------------------------------------------------------------
    def set_source(self, source: FaceSource, keep_position: bool = False) -> None:
        """Page through another set of faces (from its start, unless ``keep_position``)."""
        self.source = source
        if not keep_position:
            self.start = self.cursor = 0
            self.selected.clear()
        self.reload()

    def reload(self) -> None:
        """Fetch the current page again (after a decision or a job) and redraw it."""
        total = self.source.total
        if self.start >= total:
            self.start = max(0, (total - 1) // self.page_size * self.page_size)
        self.faces = self.source.fetch(self.start, self.page_size) if total else []
        self.cursor = min(self.cursor, max(0, len(self.faces) - 1))
        self.set_class(not self.faces, "-empty")
        self.query_one("#face-empty", Static).update(self.source.empty)
        self.redraw()

    def redraw(self) -> None:
        cards = list(self.query(FaceCard))
        for index, card in enumerate(cards):
            face = self.faces[index] if index < len(self.faces) else None
            card.show(face, self.picture(face.id) if face else None,
                      selected=face is not None and face.id in self.selected,
                      cursor=index == self.cursor)

    # -- cursor, pages, selection -------------------------------------------------------------
    @property
    def current(self) -> FaceRecord | None:
        return self.faces[self.cursor] if 0 <= self.cursor < len(self.faces) else None

    def move(self, step: int) -> None:
        """Move the cursor by ``step`` faces, turning pages at the edges."""
        target = max(0, min(self.start + self.cursor + step, self.source.total - 1))
        page_start = target - target % self.page_size
        self.cursor = target - page_start
        if page_start != self.start:
            self.start = page_start
            self.reload()
        else:
            self.redraw()

    def move_row(self, rows: int) -> None:
        self.move(rows * self.columns)

    def turn(self, pages: int) -> None:
        """Show another page, keeping the cursor's place on it."""
        last = self.pages - 1
        page = max(0, min(self.page + pages, last))
        self.start = page * self.page_size
        self.reload()

    def toggle(self) -> None:
        """Select or unselect the face under the cursor, then step to the next face."""
        face = self.current
        if face is None:
            return
        self.selected ^= {face.id}
        self.move(1)

    def clear_selection(self) -> None:
        self.selected.clear()
        self.redraw()

    def targets(self) -> list[int]:
        """The faces a decision applies to: the selection, else the face under the cursor."""
        if self.selected:
            return sorted(self.selected)
        return [self.current.id] if self.current else []
