"""The first steps of the Albums pane: while the library has no photo (no collection yet, or
folders without photos) it shows what to do instead of the grid, "Add folder" asks for a folder
and scans it (then, if left checked, the face, tag and quality tools run), and a scan's
progress is shown there, its photos appearing as they are found."""

from __future__ import annotations

from time import monotonic

from textual.containers import Container

from engine.browse import Filters
from engine.engine import Engine
from engine.errors import TermkamError
from engine.events import Progress

from ..cli.jobs_cmd import AFTER_SCAN
from ..widgets.add_folder import AddFolderDialog, FolderChoice
from ..widgets.first_steps import FirstSteps
from ..widgets.thumb_grid import ThumbGrid

SCAN_RELOAD_S = 3.0  # while a scan runs, the photos it found so far appear this often


class FirstStepsSupport(Container):
    """What the Albums pane does for an empty library (mixed into it; its CSS swaps the grid
    for the ``FirstSteps`` widget while the pane has the class ``-empty``)."""

    engine: Engine
    filters: Filters
    _scan_checked = 0.0   # when a running scan's photos were last counted
    _scan_photos = -1

    def refresh_data(self) -> None:
        raise NotImplementedError

    def focus_default(self) -> None:
        raise NotImplementedError

    @property
    def empty(self) -> bool:
        """Whether the library has no photo (the pane shows its first steps)."""
        return self.has_class("-empty")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no photo yet, only "Add folder" is offered (the other keys leave the footer)."""
        return not self.empty or action == "add_folder"

    def show_first_steps(self) -> None:
        """Swap the grid for the first steps while the library has no photo, and back."""
        empty = not self.query_one(ThumbGrid).ids \
            and not self.filters.active().keys() - {"album_id"} \
            and self.engine.counts().images == 0
        if empty:
            scanning = any(job.kind == "scan" and job.result is None  # result: it ended
                           for job in self.engine.active_jobs())
            self.query_one(FirstSteps).show([c.path for c in self.engine.collections()],
                                            scanning)
        if empty != self.empty:
            focused = self.app.focused
            refocus = focused is None or self in focused.ancestors_with_self
            self.set_class(empty, "-empty")
            self.refresh_bindings()
            if refocus:
                self.focus_default()

    def scanning(self, event: Progress) -> None:
        """A scan runs: its progress on the first steps; the photos it found so far appear
        every ``SCAN_RELOAD_S`` seconds."""
        if self.empty:
            self.query_one(FirstSteps).progress(event)
        if monotonic() - self._scan_checked < SCAN_RELOAD_S:
            return
        self._scan_checked = monotonic()
        photos = self.engine.counts().images
        if photos != self._scan_photos:
            self._scan_photos = photos
            self.refresh_data()

    def action_add_folder(self) -> None:
        """Ask for a folder, add it as a collection and scan it (then run the tools, if the
        user leaves that checked)."""
        def add(choice: FolderChoice | None) -> None:
            if choice is None:
                return
            options = {"then": list(AFTER_SCAN)} if choice.tools else {}
            try:
                self.engine.scan([choice.path], **options)
            except TermkamError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            then = " then faces, tags and quality" if choice.tools else ""
            self.notify(f"Scanning {choice.path}{then}: Maintenance (2) shows the progress.",
                        markup=False)

        self.app.push_screen(AddFolderDialog(tools=True), add)
