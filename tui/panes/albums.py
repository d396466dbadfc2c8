"""The Albums pane: the album tree, a virtualised thumbnail grid, the photo's info, filters by
text, tag, person, pick label, rating and colour label (a later filter plugs in as one more
``FilterKind`` and binding), and a larger preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from engine.browse import Filters
from engine.engine import Engine
from engine.events import Event, JobFinished

from ..images import image_class
from ..widgets.album_filters import AlbumFilterBar
from ..widgets.album_prompt import AlbumFilterPrompt
from ..widgets.album_tree import AlbumTree
from ..widgets.photo_info import PhotoInfo, stars
from ..widgets.photo_preview import PhotoPreview
from ..widgets.thumb_cache import ThumbCache
from ..widgets.thumb_grid import ThumbGrid
from .base import Pane

# (label in the list, what the filter bar shows, the Filters value)
Choice = tuple[str, str, Any]


@dataclass(frozen=True)
class FilterKind:
    """A filter the user sets from a prompt: a ``Filters`` field, a title and its choices
    (None: free text)."""

    field: str
    title: str
    prompt: str
    choices: Callable[[AlbumsPane], list[Choice]] | None = None


def _tag_choices(pane: AlbumsPane) -> list[Choice]:
    return [(f"{'/'.join(tag.path)}  ({n})", "/".join(tag.path), tag.path)
            for tag, n in pane.engine.tag_counts() if n]


def _person_choices(pane: AlbumsPane) -> list[Choice]:
    return [(f"{p.name}  ({p.confirmed} confirmed)", p.name, p.id)
            for p in pane.engine.faces.persons()]


def _auto_tag_choices(pane: AlbumsPane) -> list[Choice]:
    return [(f"{'/'.join(tag.path)}  ({n})", "/".join(tag.path), tag.path)
            for tag, n in pane.engine.browse.tag_counts("auto") if n]


def _pick_choices(pane: AlbumsPane) -> list[Choice]:
    return [(f"{label}  ({n})", label, label)
            for label, n in pane.engine.browse.pick_counts().items()]


_RATING_NAMES = {5: "5 stars", 0: "no stars", -1: "rejected"}


def _rating_choices(pane: AlbumsPane) -> list[Choice]:
    """"n+ stars" (at least n) for 5..1, then "no stars" and "rejected"; empty ones left out."""
    counts = pane.engine.browse.rating_counts()
    choices = []
    for n in range(5, -2, -1):
        count = sum(c for r, c in counts.items() if r >= n) if n > 0 else counts.get(n, 0)
        shown = _RATING_NAMES.get(n, f"{n}+ stars")
        if count:
            listed = f"{stars(n)}  {shown}" if n > 0 else shown
            choices.append((f"{listed}  ({count})", shown, n))
    return choices


def _color_choices(pane: AlbumsPane) -> list[Choice]:
    return [(f"{label}  ({n})", label, label)
            for label, n in pane.engine.browse.color_label_counts().items()]


FILTERS: dict[str, FilterKind] = {k.field: k for k in (
    FilterKind("text", "Text", "Photos whose file name or folder contains:"),
    FilterKind("tag", "Tag", "Photos with the tag (or a tag under it):", _tag_choices),
    FilterKind("auto_tag", "Auto tag", "Photos the models tagged with:", _auto_tag_choices),
    FilterKind("person_id", "Person", "Photos with the confirmed face of:", _person_choices),
    FilterKind("pick", "Pick", "Photos with the pick label:", _pick_choices),
    FilterKind("rating", "Rating", "Photos rated:", _rating_choices),
    FilterKind("color_label", "Colour", "Photos with the colour label:", _color_choices),
)}
PICKS = ("rejected", "pending", "accepted")

# jobs after which the tree counts and the grid are reloaded
RELOAD_AFTER = ("scan", "thumbnails")
# filters whose matches a tool's results can change
RESULT_FILTERS = ("tag", "auto_tag", "pick", "person_id", "rating", "color_label")


class AlbumsPane(Pane):
    DEFAULT_CSS = """
    AlbumsPane { layout: horizontal; }
    AlbumsPane > #albums-main { width: 1fr; height: 1fr; }
    """
    BINDINGS = [
        Binding("left,h", "move(-1, 0)", "Previous photo", key_display="←/h", id="albums.left"),
        Binding("right,l", "move(1, 0)", "Next photo", key_display="→/l", id="albums.right"),
        Binding("up,k", "move(0, -1)", "Row up", key_display="↑/k", id="albums.up"),
        Binding("down,j", "move(0, 1)", "Row down", key_display="↓/j", id="albums.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="albums.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="albums.page-down"),
        Binding("home", "edge(0)", "First photo", show=False, id="albums.first"),
        Binding("end", "edge(1)", "Last photo", show=False, id="albums.last"),
        Binding("enter", "preview", "Preview", id="albums.preview"),
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

    def compose(self) -> ComposeResult:
        self.image_cls = image_class(getattr(self.app, "image_protocol", "auto"))
        yield AlbumTree(id="album-tree")
        with Vertical(id="albums-main"):
            yield AlbumFilterBar(id="album-filters")
            yield ThumbGrid(self.image_cls, self.engine.browse.names, self.thumbs.get_many,
                            id="thumb-grid")
        yield PhotoInfo(id="photo-info")

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def grid(self) -> ThumbGrid:
        return self.query_one(ThumbGrid)

    def focus_default(self) -> None:
        self.grid.focus()

    # -- data -------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Reload album counts and the grid (keeping the photo under the cursor)."""
        self.query_one(AlbumTree).show_albums(self.engine.albums(),
                                              self.engine.browse.album_counts(self.filters))
        self._reload(keep=self.grid.current)

    def _reload(self, keep: int | None = None) -> None:
        self.grid.set_ids(self.engine.browse.ids(self.filters), keep=keep)
        self._show_bar()

    def _show_bar(self) -> None:
        titles = {FILTERS[f].title: self.shown.get(f, str(v))
                  for f, v in self.filters.active().items() if f in FILTERS}
        grid = self.grid
        self.query_one(AlbumFilterBar).show(self.place, titles, len(grid.ids),
                                            grid.cursor if grid.ids else None)

    def _preview(self, image_id: int) -> tuple[PILImage.Image | None, str]:
        record = self.engine.image(image_id)
        caption = record.path if record else f"#{image_id}"
        return self.thumbs.get(image_id), caption

    def engine_event(self, event: Event) -> None:
        if not isinstance(event, JobFinished) or not self.is_mounted:
            return
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
        self.grid.focus()

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

        def follow(image_id: int | None) -> None:
            if image_id is not None and image_id in grid.ids:
                grid.move_to(grid.ids.index(image_id))
            grid.focus()

        self.app.push_screen(PhotoPreview(self.image_cls, self._preview, grid.ids, grid.cursor),
                             follow)

    def action_filter(self, field: str) -> None:
        kind = FILTERS[field]
        choices = kind.choices(self) if kind.choices else None
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

    def action_switch_focus(self) -> None:
        tree = self.query_one(AlbumTree)
        (self.grid if tree.has_focus else tree).focus()
