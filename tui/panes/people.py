"""The People pane: persons and unknown clusters on the left, a face review grid on the right.

Every decision is one engine call (one transaction); the list counts and the grid page are
read again afterwards. Engine errors become notifications.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Static

from engine.errors import TermkamError
from engine.events import Event, JobFinished
from engine.printable import printable

from ..images import image_class
from ..widgets.face_grid import FaceGrid
from ..widgets.face_photo_view import FacePhotoView, boxed_photo
from ..widgets.face_sources import group_source
from ..widgets.person_list import Group, PersonList, build_groups
from ..widgets.person_merge_dialog import PersonMergeDialog
from ..widgets.person_name_dialog import PersonNameDialog
from ..widgets.thumb_cache import ThumbCache
from .base import Pane

log = logging.getLogger(__name__)

LIST_SETTLE_S = 0.15     # moving through the list loads a group's faces once it stops here


class PeoplePane(Pane):
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
        Binding("u", "undo", "Undo", id="people-undo", tooltip="Undo the last decision"),
        Binding("space", "select_face", "Select face", key_display="space", show=False,
                id="people-select",
                tooltip="Select or unselect the face, then go to the next one"),
        Binding("a", "accept_shown", "Accept all shown", show=False, id="people-accept-shown",
                tooltip="Confirm every suggestion on this page"),
        Binding("enter", "photo", "Show photo", key_display="enter", id="people-photo",
                tooltip="Show the whole photo with the face boxed"),
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
    ]

    def __init__(self, engine, **kwargs) -> None:
        super().__init__(engine, **kwargs)
        self._pictures = ThumbCache(self._face_crops)
        self._group_key: str | None = None
        self._pending: Timer | None = None
        self._last = ""

    def compose(self) -> ComposeResult:
        image_cls = image_class(getattr(self.app, "image_protocol", "auto"))
        yield Static("", id="people-head")
        with Horizontal(id="people-body"):
            yield PersonList(id="people-list")
            with Vertical(id="people-faces"):
                yield FaceGrid(image_cls, self._picture, id="people-grid")

    @property
    def grid(self) -> FaceGrid:
        return self.query_one(FaceGrid)

    @property
    def people(self) -> PersonList:
        return self.query_one(PersonList)

    def on_mount(self) -> None:
        self.reload()

    def focus_default(self) -> None:
        self.grid.focus()

    # -- data -----------------------------------------------------------------------------
    def _picture(self, face_id: int) -> PILImage.Image | None:
        """A face crop, decoded once and kept (the grid redraws the same faces often)."""
        return self._pictures.get(face_id)

    def _face_crops(self, face_ids: Sequence[int]) -> dict[int, bytes]:
        crops = {fid: self.engine.faces.thumbnail(fid) for fid in face_ids}
        return {fid: jpeg for fid, jpeg in crops.items() if jpeg}

    def refresh_data(self) -> None:
        """Read everything again, just after this (the app's focus change goes first)."""
        self.call_later(self.reload)

    def reload(self, prefer: str | None = None) -> None:
        """Read the groups and their counts again, and the grid's page."""
        faces = self.engine.faces
        groups = build_groups(faces.persons(), faces.clusters(), faces.counts())
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
        head.append("\n" + (self._last or "y confirm · n reject · r name · ? all keys"),
                    style="dim")
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
            self.grid.focus()
        else:
            self._pending = self.set_timer(LIST_SETTLE_S, lambda: self._show_if_new(group))

    def _show_if_new(self, group: Group) -> None:
        self._pending = None
        if group.key != self._group_key:
            self._show_group(group)

    def engine_event(self, event: Event) -> None:
        if isinstance(event, JobFinished) and event.kind.startswith("faces."):
            if event.kind == "faces.detect":
                self._pictures.clear()      # a rescan may give old face ids to new faces
            self.refresh_data()

    # -- decisions --------------------------------------------------------------------------
    def _run(self, action: Callable[[], str | list[str]], prefer: str | None = None) -> bool:
        """Run one decision; an engine error becomes a notification. True when it worked."""
        try:
            summary = action()
        except TermkamError as error:
            self.notify(printable(error), severity="warning", timeout=4, markup=False)
            return False
        except Exception as error:      # e.g. the catalog stayed locked: keep the session
            log.exception("face decision failed")
            self.notify(f"the decision failed: {printable(error)}", severity="error",
                        timeout=6, markup=False)
            return False
        text = "; ".join(summary) if isinstance(summary, list) else summary
        self._last = f"{printable(text)}  (u undoes)"
        self.grid.selected.clear()
        self.reload(prefer=prefer)
        return True

    def action_decide(self, decision: str) -> None:
        targets = self.grid.targets()
        if not targets:
            self.notify("no face here", severity="warning", timeout=3)
            return
        call = getattr(self.engine.faces, decision)
        self._run(lambda: call(targets))

    def action_accept_shown(self) -> None:
        shown = [f.id for f in self.grid.faces
                 if f.status == "unconfirmed" and f.suggested_person_id]
        if not shown:
            self.notify("no suggestions shown", severity="warning", timeout=3)
            return
        self._run(lambda: self.engine.faces.confirm(shown))

    def action_undo(self) -> None:
        self._run(lambda: self.engine.faces.undo(1))

    def _names(self, but: str | None = None) -> list[str]:
        return [p.name for p in self.engine.faces.persons() if p.name != but]

    def action_name(self) -> None:
        group, grid = self.people.group, self.grid
        if group is None:
            return
        faces = self.engine.faces
        if group.person is not None and self.people.has_focus:
            old = group.person.name
            self._ask(f"Rename {printable(old)}", lambda new: faces.rename(old, new),
                      self._names(old), old)
        elif group.cluster_id is not None and not grid.selected:
            cluster = group.cluster_id
            self._ask(f"Name all {group.total} faces of {printable(group.label)}",
                      lambda name: faces.name_cluster(cluster, name), self._names())
        elif targets := grid.targets():
            self._ask(f"Name {len(targets)} face(s)", lambda name: faces.name(targets, name),
                      self._names())
        else:
            self.notify("no face here", severity="warning", timeout=3)

    def _ask(self, title: str, decide: Callable[[str], str], names: list[str],
             value: str = "") -> None:
        """Ask for a name, then run the decision with it (unless cancelled or unchanged)."""
        def done(name: str | None) -> None:
            if name and name != value:
                self._run(lambda: decide(name))
        self.app.push_screen(PersonNameDialog(title, names, value=value), done)

    def action_merge(self) -> None:
        group = self.people.group
        if group is None or group.person is None:
            self.notify("choose a person in the list to merge", severity="warning", timeout=3)
            return
        source = group.person.name
        targets = self._names(source)
        if not targets:
            self.notify("there is no other person to merge into", severity="warning",
                        timeout=3)
            return

        def merge(target: str | None) -> None:
            if target:
                found = [p for p in self.engine.faces.persons() if p.name == target]
                prefer = f"person:{found[0].id}" if found else None
                self._run(lambda: self.engine.faces.merge(source, target), prefer=prefer)
        self.app.push_screen(PersonMergeDialog(source, targets), merge)

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
        self.people.focus()

    def action_photo(self) -> None:
        face = self.grid.current
        if face is None:
            return
        image = self.engine.image(face.image_id)
        jpeg = self.engine.thumbnail(face.image_id)
        if image is None or jpeg is None or not image.width or not image.height:
            self.notify("this photo has no thumbnail yet: run 'Rebuild thumbnails'",
                        severity="warning", timeout=4)
            return
        others = [f.box for f in self.engine.faces.find(image_id=face.image_id)
                  if f.id != face.id]
        picture = boxed_photo(jpeg, image.width, image.height, image.orientation or 1,
                              face.box, others)
        who = face.person if face.status == "confirmed" else (
            f"{face.suggested}? (distance {face.suggested_distance:.3f})" if face.suggested
            else "unknown")
        caption = (f"{printable(image.path)}\nface #{face.id}: {printable(who)}"
                   "  ·  escape closes")
        self.app.push_screen(FacePhotoView(picture, caption,
                                           image_class(getattr(self.app, "image_protocol",
                                                               "auto"))))
