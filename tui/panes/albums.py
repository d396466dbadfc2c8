"""The Albums pane: the album tree, a virtualised thumbnail grid, the photo's info, filters by
text, tag, person, pick label, rating and colour label (a later filter plugs in as one more
``FilterKind`` and binding), and a larger preview. The side panels give way to the grid on a
narrow terminal (``album_panels``); an empty library shows its first steps instead
(``album_first_steps``)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from engine.browse import Filters
from engine.engine import Engine
from engine.events import Event, JobFinished, Progress

from ..images import image_class
from ..widgets.album_filters import AlbumFilterBar
from ..widgets.album_prompt import AlbumFilterPrompt
from ..widgets.album_tree import AlbumTree
from ..widgets.first_steps import FirstSteps
from ..widgets.photo_info import PhotoInfo
from ..widgets.photo_preview import PhotoPreview
from ..widgets.thumb_cache import ThumbCache
from ..widgets.thumb_grid import ThumbGrid
from .album_filter_kinds import FILTERS, PICKS, RESULT_FILTERS
from .album_first_steps import FirstStepsSupport
from .album_panels import SidePanels
from .base import Pane

# jobs after which the tree counts and the grid are reloaded
RELOAD_AFTER = ("scan", "thumbnails")


class AlbumsPane(Pane, SidePanels, FirstStepsSupport):
    DEFAULT_CSS = """
    AlbumsPane { layout: horizontal; }
    AlbumsPane > #albums-main { width: 1fr; height: 1fr; }
    AlbumsPane.-no-tree > AlbumTree, AlbumsPane.-no-info > PhotoInfo { display: none; }
    AlbumsPane > FirstSteps { display: none; }
    AlbumsPane.-empty > FirstSteps { display: block; }
    AlbumsPane.-empty > AlbumTree, AlbumsPane.-empty > #albums-main,
    AlbumsPane.-empty > PhotoInfo { display: none; }
    """
    BINDINGS = [
        Binding("enter", "preview", "Preview", id="albums.preview"),
        Binding("i", "toggle_panel('info')", "Info panel", id="albums.toggle-info"),
        Binding("b", "toggle_panel('tree')", "Album tree", id="albums.toggle-tree"),
        Binding("plus", "add_folder", "Add folder", key_display="+", id="albums.add-folder"),
        Binding("left,h", "move(-1, 0)", "Previous photo", key_display="←/h", show=False,
                id="albums.left"),
        Binding("right,l", "move(1, 0)", "Next photo", key_display="→/l", show=False,
                id="albums.right"),
        Binding("up,k", "move(0, -1)", "Row up", key_display="↑/k", show=False, id="albums.up"),
        Binding("down,j", "move(0, 1)", "Row down", key_display="↓/j", show=False,
                id="albums.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="albums.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="albums.page-down"),
        Binding("home", "edge(0)", "First photo", show=False, id="albums.first"),
        Binding("end", "edge(1)", "Last photo", show=False, id="albums.last"),
        Binding("slash", "filter('text')", "Filter by name/path", key_display="/",
                id="albums.filter-text"),
        Binding("t", "filter('tag')", "Filter by tag", id="albums.filter-tag"),
        Binding("a", "filter('auto_tag')", "Filter by auto tag", id="albums.filter-auto-tag"),
        Binding("p", "filter('person_id')", "Filter by person", id="albums.filter-person"),
        Binding("f", "filter('pick')", "Filter by pick label", id="albums.filter-pick"),
        Binding("r", "filter('rating')", "Filter by rating", id="albums.filter-rating"),
        Binding("c", "filter('color_label')", "Filter by colour label",
                id="albums.filter-color"),
        Binding("m", "mark", "Set the pick label", id="albums.mark"),
        Binding("x", "clear_filters", "Clear filters", id="albums.clear-filters"),
        Binding("tab", "switch_focus", "Tree / grid", id="albums.switch-focus"),
    ]

    def __init__(self, engine: Engine, **kwargs: Any) -> None:
        super().__init__(engine, **kwargs)
        self.filters = Filters()
        self.shown: dict[str, str] = {}       # field -> what the filter bar shows
        self.place = "All photos"
        self.thumbs = ThumbCache(engine.browse.thumbnails)
        self.image_cls: type | None = None
        self.panels: dict[str, bool] = {}
        self.drawer = False

    def compose(self) -> ComposeResult:
        self.image_cls = image_class(getattr(self.app, "image_protocol", "auto"))
        yield AlbumTree(id="album-tree")
        with Vertical(id="albums-main"):
            yield AlbumFilterBar(id="album-filters")
            yield ThumbGrid(self.image_cls, self.engine.browse.names, self.thumbs.get_many,
                            id="thumb-grid")
        yield PhotoInfo(id="photo-info")
        yield FirstSteps(self.action_add_folder, id="first-steps")

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def grid(self) -> ThumbGrid:
        return self.query_one(ThumbGrid)

    def focus_default(self) -> None:
        # at once (not Widget.focus, which waits): the very next key is for this widget
        self.screen.set_focus(self.query_one(FirstSteps) if self.empty else self.grid)

    # -- data -------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Reload album counts and the grid (keeping the photo under the cursor)."""
        self.query_one(AlbumTree).show_albums(self.engine.albums(),
                                              self.engine.browse.album_counts(self.filters))
        self._reload(keep=self.grid.current)
        self.show_first_steps()

    def _reload(self, keep: int | None = None) -> None:
        self.grid.set_ids(self.engine.browse.ids(self.filters), keep=keep)
        self._show_bar()

    def _show_bar(self) -> None:
        titles = {FILTERS[f].title: self.shown.get(f, str(v))
                  for f, v in self.filters.active().items() if f in FILTERS}
        grid = self.grid
        self.query_one(AlbumFilterBar).show(self.place, titles, len(grid.ids),
                                            grid.cursor if grid.ids else None)

    def engine_event(self, event: Event) -> None:
        if not self.is_mounted:
            return
        if isinstance(event, Progress) and event.kind == "scan":
            self.scanning(event)
        if not isinstance(event, JobFinished):
            return
        if event.kind == "scan":
            self.query_one(FirstSteps).finished(event)
        if event.kind in RELOAD_AFTER:
            self.thumbs.clear()
            self.grid.forget_pictures()
            self.refresh_data()
        else:  # faces, tags, quality: matches and the info panel may have changed
            if self.filters.active().keys() & set(RESULT_FILTERS):
                self._reload(keep=self.grid.current)
            self._show_info(self.grid.current)

    # -- messages ---------------------------------------------------------------------------
    def on_album_tree_chosen(self, message: AlbumTree.Chosen) -> None:
        message.stop()
        self.place = message.label if message.album_id is not None else "All photos"
        if message.album_id != self.filters.album_id:
            self.filters = self.filters.but(album_id=message.album_id)
            self._reload()
        else:
            self._reload(keep=self.grid.current)

    def on_tree_node_selected(self, message: AlbumTree.NodeSelected) -> None:
        message.stop()
        self.focus_grid()

    def on_thumb_grid_highlighted(self, message: ThumbGrid.Highlighted) -> None:
        message.stop()
        self._show_bar()
        self._show_info(message.image_id)

    def _show_info(self, image_id: int | None) -> None:
        details = self.engine.browse.details(image_id) if image_id is not None else None
        self.query_one(PhotoInfo).show(details)

    # -- actions ----------------------------------------------------------------------------
    def action_move(self, dx: int, dy: int) -> None:
        self.grid.move(dx, dy)

    def action_page(self, pages: int) -> None:
        self.grid.page(pages)

    def action_edge(self, end: int) -> None:
        self.grid.move_to(len(self.grid.ids) - 1 if end else 0)

    def action_preview(self) -> None:
        grid = self.grid
        if grid.current is None or self.image_cls is None:
            return

        preview = PhotoPreview(self.engine, self.image_cls, grid.ids, grid.cursor,
                               self.thumbs.get)

        def follow(image_id: int | None) -> None:
            if preview.decided and self.filters.person_id is not None:
                self._reload(keep=image_id)     # a face named there may now match, or not
            elif image_id is not None and image_id in grid.ids:
                grid.move_to(grid.ids.index(image_id))
            self._show_info(grid.current)
            grid.focus()

        self.app.push_screen(preview, follow)

    def action_filter(self, field: str) -> None:
        kind = FILTERS[field]
        choices = kind.choices(self.engine) if kind.choices else None
        current = getattr(self.filters, field)
        value = "" if choices is not None or current is None else str(current)
        options = [(label, str(i)) for i, (label, _, _) in enumerate(choices or [])]

        def apply(result: str | None) -> None:
            if result is None:
                return
            if not result:
                self.set_filter(field, None)
            elif choices is None:
                self.set_filter(field, result, result)
            else:
                _, shown, chosen = choices[int(result)]
                self.set_filter(field, chosen, shown)

        if choices is not None and not choices:
            self.notify(f"No {kind.title.lower()} to filter by yet.", severity="warning")
            return
        self.app.push_screen(AlbumFilterPrompt(kind.prompt, value,
                                               options if choices is not None else None), apply)

    def action_mark(self) -> None:
        """Set the selected photo's pick label by hand (a quality run never changes it)."""
        image_id = self.grid.current
        if image_id is None:
            return
        options = [(label, label) for label in PICKS] + [("no label", "")]

        def apply(result: str | None) -> None:
            if result is None:
                return
            self.engine.browse.set_pick([image_id], result or None)
            self.notify(f"Pick label: {result or 'none'}")
            if self.filters.pick:
                self._reload(keep=image_id)
            self._show_info(image_id)

        self.app.push_screen(AlbumFilterPrompt("Pick label for this photo:", "", options), apply)

    def set_filter(self, field: str, value: Any, shown: str | None = None) -> None:
        """Set (or with None clear) one filter and reload counts and grid."""
        self.filters = self.filters.but(**{field: value})
        if value is None:
            self.shown.pop(field, None)
        else:
            self.shown[field] = shown if shown is not None else str(value)
        self.refresh_data()

    def action_clear_filters(self) -> None:
        """Clear every filter but the album."""
        if not self.filters.active().keys() - {"album_id"}:
            return
        self.filters = Filters(album_id=self.filters.album_id, status=self.filters.status)
        self.shown.clear()
        self.refresh_data()
