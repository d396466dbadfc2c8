"""The Maintenance pane: the library at a glance, the tools in the engine's fixed order with
their options and scope, Start, and the jobs list with live progress, errors and cancel.

Catalog reads and job submissions run in thread workers; progress events (collapsed by the
app) only update one table row, so keys stay responsive while a job runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Button, Static

from engine.catalog.records import AlbumRecord, JobRecord
from engine.errors import TermkamError
from engine.events import Event, JobFinished, JobStarted, Progress
from engine.printable import counted, printable
from engine.progress import rate_text

from ..widgets.job_detail import JobDetail
from ..widgets.job_errors import JobErrorsScreen
from ..widgets.job_table import JobTable, eta
from ..widgets.tool_list import ToolList
from .base import Pane

RECENT_JOBS = 30
NARROW = 120  # below this pane width the tools sit above the jobs, not beside them
SHORT = 36    # ... and below this height the library counts make room for the jobs


@dataclass(frozen=True)
class Overview:
    """Everything the pane shows from the catalog, read in one worker."""

    counts: str
    albums: list[AlbumRecord]
    jobs: list[JobRecord]


class MaintenancePane(Pane):
    BINDINGS = [
        Binding("r", "start", "Run the checked tools", id="maintenance-start"),
        Binding("s", "rescan", "Rescan collections", id="rescan"),
        Binding("c", "cancel", "Cancel the selected (or running) job", id="cancel"),
        Binding("e", "errors", "Failed items of the selected job", id="job-errors"),
    ]
    DEFAULT_CSS = """
    MaintenancePane #maintenance-body { height: 1fr; }
    MaintenancePane #maintenance-right { width: 1fr; height: 1fr; padding-left: 2; }
    MaintenancePane #counts { height: auto; margin-bottom: 1; }
    MaintenancePane #job-status { height: 1; color: $text-muted; }
    MaintenancePane JobTable { height: auto; max-height: 24; }
    MaintenancePane.-narrow #maintenance-body { layout: vertical; }
    MaintenancePane.-narrow ToolList { width: 100%; max-width: 80; }
    MaintenancePane.-narrow #maintenance-right { padding-left: 0; }
    MaintenancePane.-narrow JobTable { height: 1fr; min-height: 3; }
    MaintenancePane.-short #counts { display: none; }
    MaintenancePane.-short #scope-album-list { height: 4; }
    """

    def compose(self) -> ComposeResult:
        kinds = self.engine.job_kinds()
        with Horizontal(id="maintenance-body"):
            yield ToolList(kinds, id="tools")
            with Vertical(id="maintenance-right"):
                yield Static(id="counts")
                yield Static(id="job-status", markup=False)
                yield JobTable(units={k.kind: k.unit for k in kinds}, id="jobs")
                yield JobDetail(id="job-detail")

    def on_mount(self) -> None:
        self.refresh_data()

    def focus_default(self) -> None:
        self.query_one(ToolList).focus_tool()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self.set_class(self.size.width < NARROW and self.size.height < SHORT, "-short")
        self.call_after_refresh(self._follow)

    def on_data_table_row_highlighted(self) -> None:
        self._follow()

    def _follow(self) -> None:
        """The detail line follows the jobs table's cursor."""
        self.query_one(JobDetail).follow(self.query_one(JobTable))

    # -- reading the catalog (thread) -----------------------------------------------------
    def refresh_data(self) -> None:
        self._load_overview()

    @work(thread=True, exclusive=True, exit_on_error=False, group="maintenance-read",
          description="read the catalog overview")
    def _load_overview(self) -> None:
        from textual.worker import get_current_worker

        overview = self._read_overview()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, overview)

    def _read_overview(self) -> Overview:
        counts = self.engine.counts()
        faces = self.engine.faces.counts()
        roots = "\n".join(f"  {escape(printable(c.path))}"
                          for c in self.engine.collections()) or "  (none yet)"
        text = (f"[b]Collections[/b]\n{roots}\n"
                f"[b]Images[/b]  {counts.images}  ({counts.ok} ok, "
                f"{counted(counts.errors, 'error')}, "
                f"{counts.raw} RAW, {counts.missing} missing)\n"
                f"[b]Albums[/b]  {counts.albums}    [b]Tags[/b]  {counts.tags}    "
                f"[b]Thumbnails[/b]  {counts.thumbnails}    "
                f"[b]Faces[/b]  {sum(faces.values()) - faces.get('not_face', 0)}  "
                f"({faces.get('confirmed', 0)} named)    "
                f"[b]People[/b]  {len(self.engine.faces.persons())}")
        return Overview(text, self.engine.albums(), self.engine.jobs(RECENT_JOBS))

    def _show(self, overview: Overview) -> None:
        self.query_one("#counts", Static).update(overview.counts)
        self.query_one(ToolList).set_albums(overview.albums)
        self.query_one(JobTable).show_jobs(overview.jobs)
        self._follow()

    # -- engine events (UI thread) --------------------------------------------------------
    def engine_event(self, event: Event) -> None:
        status = self.query_one("#job-status", Static)
        table = self.query_one(JobTable)
        if isinstance(event, Progress):
            table.progress(event)
            status.update(f"#{event.job_id} {event.kind}: {event.phase}  "
                          f"{event.done}/{event.total or '?'} {event.unit}  "
                          f"{rate_text(event.rate, event.unit) if event.rate else '-'}  "
                          f"ETA {eta(event.eta_s)}  {counted(event.errors, 'error')}")
            self._follow()
        elif isinstance(event, JobStarted):
            status.update(f"#{event.job_id} {event.kind} started")
            self.refresh_data()
        elif isinstance(event, JobFinished):
            table.finished(event.job_id)
            status.update(f"#{event.job_id} {event.kind} {event.state}: "
                          f"{printable(event.summary)}")
            self.refresh_data()

    # -- actions --------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "tools-start":
            event.stop()
            self.action_start()

    def action_start(self) -> None:
        plan = self.query_one(ToolList).plan()
        if not plan:
            self.notify("Check a tool first (space on a tool).", severity="warning")
            return
        if any("albums" in options and not options["albums"] for _, options in plan):
            self.notify("Choose at least one album, or the whole collection.",
                        severity="warning")
            return
        self._submit(plan)

    def action_rescan(self) -> None:
        if not self.engine.collections():
            self.notify("No collection yet: run `termkam scan PATH` first.", severity="warning")
            return
        self._submit([("scan", {})])

    @work(thread=True, exit_on_error=False, group="maintenance-submit",
          description="queue maintenance jobs")
    def _submit(self, plan: list[tuple[str, dict[str, Any]]]) -> None:
        """Queue the jobs (a catalog write, so off the UI thread)."""
        queued = []
        try:
            for kind, options in plan:
                queued.append(f"#{self.engine.start(kind, options).job_id} {kind}")
        except TermkamError as error:
            self.app.call_from_thread(self.notify, printable(error), severity="error",
                                      markup=False)
        if queued:
            self.app.call_from_thread(self.notify, "Queued " + ", ".join(queued))
        self.app.call_from_thread(self.refresh_data)

    def action_cancel(self) -> None:
        selected = self.query_one(JobTable).selected_job()
        if selected is not None and self.engine.cancel(selected):
            self.notify(f"Cancelling job #{selected}")
            return
        active = self.engine.active_jobs()
        for handle in active:
            handle.cancel()
        if active:
            self.notify("Cancelling " + ", ".join(f"#{h.job_id} {h.kind}" for h in active))
        else:
            self.notify("No job is running.")

    def action_errors(self) -> None:
        job_id = self.query_one(JobTable).selected_job()
        if job_id is None:
            self.notify("No job selected.")
            return
        errors = self.engine.job_errors(job_id, limit=5000)
        job = self.engine.job(job_id)
        if not errors:
            self.notify(f"Job #{job_id} has no failed items.")
            return
        kind = job.kind if job else "job"
        self.app.push_screen(JobErrorsScreen(
            f"Job #{job_id} {kind}: {len(errors)} failed items", errors))
