"""The Maintenance pane: the library at a glance, rescan, recent jobs with progress."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ProgressBar, Static

from engine.events import Event, JobFinished, Progress

from .base import Pane


class MaintenancePane(Pane):
    BINDINGS = [
        Binding("s", "rescan", "Rescan collections", id="rescan"),
        Binding("c", "cancel", "Cancel running jobs", id="cancel"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        yield Static(id="job-status")
        yield ProgressBar(id="job-progress", show_eta=True)
        yield Static(id="jobs")

    def on_mount(self) -> None:
        self.query_one("#job-progress", ProgressBar).display = False
        self.refresh_data()

    def refresh_data(self) -> None:
        counts = self.engine.counts()
        faces = self.engine.faces.counts()
        roots = "\n".join(f"  {c.path}" for c in self.engine.collections()) or "  (none yet)"
        self.query_one("#counts", Static).update(
            f"[b]Collections[/b]\n{roots}\n\n"
            f"[b]Images[/b]  {counts.images}  ({counts.ok} ok, {counts.errors} errors, "
            f"{counts.raw} RAW, {counts.missing} missing)\n"
            f"[b]Albums[/b]  {counts.albums}    [b]Tags[/b]  {counts.tags}    "
            f"[b]Thumbnails[/b]  {counts.thumbnails}\n"
            f"[b]Faces[/b]  {sum(faces.values()) - faces.get('not_face', 0)}  "
            f"({faces.get('confirmed', 0)} named)    "
            f"[b]People[/b]  {len(self.engine.faces.persons())}")
        lines = []
        for job in self.engine.jobs(8):
            when = time.strftime("%m-%d %H:%M", time.localtime(job.started_at))
            lines.append(f"  #{job.id:<4} {when}  {job.kind:<15} {job.state:<10} "
                         f"{job.done}/{job.total}  {job.errors} errors  {job.message or ''}")
        self.query_one("#jobs", Static).update(
            "[b]Recent jobs[/b]\n" + ("\n".join(lines) or "  (none)"))

    def engine_event(self, event: Event) -> None:
        status = self.query_one("#job-status", Static)
        bar = self.query_one("#job-progress", ProgressBar)
        if isinstance(event, Progress):
            status.update(f"{event.kind}: {event.phase}  {event.done}/{event.total or '?'}  "
                          f"{event.rate:.1f}/s  {event.errors} errors")
            bar.display = True
            bar.update(total=event.total or None, progress=event.done)
        elif isinstance(event, JobFinished):
            status.update(f"{event.kind} {event.state}: {event.summary}")
            bar.update(total=max(event.total, 1), progress=max(event.total, 1))
            self.refresh_data()

    def action_rescan(self) -> None:
        if not self.engine.collections():
            self.notify("No collection yet: run `termkam scan PATH` first.", severity="warning")
            return
        self.engine.scan()

    def action_cancel(self) -> None:
        for handle in self.engine.active_jobs():
            handle.cancel()
