"""The People pane: persons and unknown clusters on the left, a face review grid on the right.

It opens on the group that needs the user, with the list focused: up and down choose the
group, left and right the face, and the decision keys (``people_actions``) act on the face
under the cursor (or the selected faces); the list counts and the grid page are read again
after each decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Static

from engine.events import Event, JobFinished
from engine.printable import printable

from ..images import image_class
from ..widgets.face_grid import FaceGrid
from ..widgets.face_icon import FaceIcons
from ..widgets.face_photo_view import FacePhotoView
from ..widgets.face_sources import group_source
from ..widgets.person_list import Group, PersonList, build_groups, needs_user
from ..widgets.thumb_cache import ThumbCache
from .people_actions import PeopleActions

if TYPE_CHECKING:
    from engine.catalog.records import PersonRecord

LIST_SETTLE_S = 0.15     # moving through the list loads a group's faces once it stops here


class PeoplePane(PeopleActions):
    """Review faces group by group: the list picks the group, the grid shows one page of it,
    and the keys decide about the face under the cursor (or the selected faces)."""

    DEFAULT_CSS = """
    PeoplePane #people-head { height: 2; }
    PeoplePane #people-body { height: 1fr; }
    PeoplePane #people-faces { width: 1fr; }
    """
    BINDINGS = [
        Binding("y", "decide('confirm')", "Confirm suggestion", id="people-confirm",
                tooltip="Confirm the suggested name of the face(s)"),
        Binding("n", "decide('reject')", "Reject name", id="people-reject",
                tooltip="Not this person: the name is never suggested for the face again"),
        Binding("i", "decide('ignore')", "Ignore face", show=False, id="people-ignore",
                tooltip="Keep the face but never suggest or cluster it"),
        Binding("d", "decide('not_a_face')", "Not a face", show=False, id="people-not-face",
                tooltip="A false detection: hidden, and not detected again"),
        Binding("r", "name", "Name / rename", id="people-name",
                tooltip="Name the face(s) or the whole cluster; in the list, rename the person"),
        Binding("m", "merge", "Merge person", show=False, id="people-merge",
                tooltip="Move every face of the person in the list to another person"),
        Binding("u", "undo", "Undo", id="people-undo",
                tooltip="Undo the last decision, and say what it was"),
        Binding("h", "history", "Recent decisions", show=False, id="people-history",
                tooltip="The last 20 decisions, newest first, those undone marked"),
        Binding("e", "restore", "Restore face", show=False, id="people-restore",
                tooltip="An ignored face, or one marked as not a face, becomes unknown again"),
        Binding("space", "select_face", "Select face", key_display="space", show=False,
                id="people-select",
                tooltip="Select or unselect the face, then go to the next one"),
        Binding("a", "accept_shown", "Accept all shown", show=False, id="people-accept-shown",
                tooltip="Confirm every suggestion on this page (asks first)"),
        Binding("enter", "photo", "Show photo", key_display="enter", id="people-photo",
                tooltip="Show the whole photo with the face boxed; in the list, go to the faces"),
        Binding("escape", "clear_selection", "Clear selection", key_display="esc",
                show=False, id="people-clear"),
        Binding("left", "move(-1)", "Previous face", key_display="←", show=False,
                id="people-left"),
        Binding("right", "move(1)", "Next face", key_display="→", show=False,
                id="people-right"),
        Binding("up", "move_row(-1)", "Face above", key_display="↑", show=False,
                id="people-up"),
        Binding("down", "move_row(1)", "Face below", key_display="↓", show=False,
                id="people-down"),
        Binding("pagedown", "turn(1)", "Next page of faces",
                key_display="pgdn", show=False, id="people-next-page"),
        Binding("pageup", "turn(-1)", "Previous page of faces",
                key_display="pgup", show=False, id="people-previous-page"),
        Binding("g", "focus_list", "Go to the person list (enter comes back)", show=False,
                id="people-list"),
        Binding("z", "zoom", "Zoom faces", show=False, id="people-zoom",
                tooltip="Larger face cards, then back to the smallest (four sizes)"),
    ]

    def __init__(self, engine, **kwargs) -> None:
        super().__init__(engine, **kwargs)
        self._pictures = ThumbCache(self._face_crops)
        self._group_key: str | None = None
        self._pending: Timer | None = None
        self._best: dict[int, int] = {}                 # person id -> face for the icon
        self._icons = FaceIcons(self._pictures.get)

    def compose(self) -> ComposeResult:
        image_cls = image_class(getattr(self.app, "image_protocol", "auto"))
        yield Static("", id="people-head")
        with Horizontal(id="people-body"):
            yield PersonList(icon=self._icon, id="people-list")
            with Vertical(id="people-faces"):
                yield FaceGrid(image_cls, self._picture, id="people-grid")

    def on_mount(self) -> None:
        self.reload()

    def focus_default(self) -> None:
        self.screen.set_focus(self.people)     # at once: the very next key is for the list

    # -- data -----------------------------------------------------------------------------
    def _picture(self, face_id: int) -> PILImage.Image | None:
        """A face crop, decoded once and kept (the grid redraws the same faces often)."""
        return self._pictures.get(face_id)

    def _face_crops(self, face_ids: Sequence[int]) -> dict[int, bytes]:
        crops = {fid: self.engine.faces.thumbnail(fid) for fid in face_ids}
        return {fid: jpeg for fid, jpeg in crops.items() if jpeg}

    def _icon(self, person: PersonRecord) -> list[Text] | None:
        """A person's best confirmed face as a few lines of half blocks (None: no face)."""
        face_id = self._best.get(person.id)
        return self._icons.get(face_id) if face_id is not None else None

    def refresh_data(self) -> None:
        """Read everything again, just after this (the app's focus change goes first)."""
        self.call_later(self.reload)

    def reload(self, prefer: str | None = None) -> None:
        """Read the groups and their counts again, and the grid's page; a group without faces
        (left empty by a decision, or empty when the pane was first shown, before the face
        tools had run) gives way to the one that needs the user."""
        faces = self.engine.faces
        self._best = faces.best_faces()
        groups = build_groups(faces.persons(), faces.clusters(), faces.counts())
        current = self.people.group
        if prefer is None and current is not None:
            now = next((g for g in groups if g.key == current.key), None)
            if now is None or not now.total:
                prefer = needs_user(groups)
        group = self.people.show(groups, prefer=prefer)
        self._show_group(group, keep_position=group is not None and group.key == self._group_key)

    def _show_group(self, group: Group | None, keep_position: bool = False) -> None:
        self._group_key = group.key if group else None
        any_faces = any(g.total for g in self.people.groups.values())
        self.grid.set_source(group_source(self.engine.faces, group, any_faces),
                             keep_position=keep_position)
        self._update_head()

    def _update_head(self) -> None:
        grid, group = self.grid, self.people.group
        head = Text("People", style="bold")
        if group is not None:
            head.append(f"  {printable(group.label)}", style="bold")
            if group.person is not None:
                head.append(f"  {group.person.confirmed} confirmed, "
                            f"{group.person.suggested} suggested")
            else:
                head.append(f"  {group.total} faces")
            if grid.faces:
                head.append(f"  ·  face {grid.start + grid.cursor + 1}/{grid.source.total}"
                            f"  ·  page {grid.page + 1}/{grid.pages}", style="dim")
        if grid.selected:
            head.append(f"  ·  {len(grid.selected)} selected", style="green")
        hint = ("e restore · u undo · h recent decisions"
                if group is not None and group.kind in ("ignored", "not_face")
                else "y confirm · n reject · r name · ? all keys")
        head.append("\n" + (self._last or hint), style="dim")
        self.query_one("#people-head", Static).update(head)

    # -- events -----------------------------------------------------------------------------
    def on_person_list_chosen(self, message: PersonList.Chosen) -> None:
        """Show the highlighted group's faces once the list stops moving (at once on enter)."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        group = message.group
        if message.picked:
            self._show_if_new(group)
            self.screen.set_focus(self.grid)
        else:
            self._pending = self.set_timer(LIST_SETTLE_S, lambda: self._show_if_new(group))

    def _show_if_new(self, group: Group) -> None:
        self._pending = None
        if group.key != self._group_key:
            self._show_group(group)

    def settle(self) -> None:
        """Show the highlighted group now if the list moved a moment ago, so a key acts on
        the faces of the group the list shows."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        group = self.people.group
        if group is not None and group.key != self._group_key:
            self._show_group(group)

    def engine_event(self, event: Event) -> None:
        if isinstance(event, JobFinished) and event.kind.startswith("faces."):
            if event.kind == "faces.detect":
                self._pictures.clear()      # a rescan may give old face ids to new faces
                self._icons.clear()
            self.refresh_data()

    # -- moving around ----------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.grid.move(step)
        self._update_head()

    def action_move_row(self, rows: int) -> None:
        self.grid.move_row(rows)
        self._update_head()

    def action_turn(self, pages: int) -> None:
        self.grid.turn(pages)
        self._update_head()

    def action_select_face(self) -> None:
        self.grid.toggle()
        self._update_head()

    def action_clear_selection(self) -> None:
        self.grid.clear_selection()
        self._update_head()

    def action_focus_list(self) -> None:
        self.screen.set_focus(self.people)

    async def action_zoom(self) -> None:
        await self.grid.zoom_to(self.grid.zoom + 1)
        self._update_head()

    def action_photo(self) -> None:
        """The face's whole photo, every face on it boxed, the face keys at hand there; in
        the list, go to the highlighted group's faces."""
        if self.people.has_focus:
            self.settle()
            self.screen.set_focus(self.grid)
            return
        face = self.grid.current
        if face is None:
            return
        view = FacePhotoView(self.engine, image_class(getattr(self.app, "image_protocol", "auto")),
                             face.image_id, face.id)

        def closed(_: None) -> None:
            if view.decided:
                self.reload()

        self.app.push_screen(view, closed)
