"""The termkam Textual app. This first version shows the library at a glance and can rescan;
the albums, maintenance, people and settings panes come next.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Header, ProgressBar, Static

from engine.engine import Engine
from engine.events import Event, JobFinished, Progress


class EngineEvent(Message):
    """An engine event carried from a job thread to the UI thread."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        # A burst of progress updates collapses into the latest one.
        return (isinstance(message, EngineEvent) and isinstance(message.event, Progress)
                and isinstance(self.event, Progress) and message.event.job_id == self.event.job_id)


class TermkamApp(App):
    """termkam: the library overview."""

    TITLE = "termkam"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("s", "rescan", "Rescan", id="rescan"),
        Binding("c", "cancel", "Cancel job", id="cancel"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._unsubscribe = engine.subscribe(self._forward)

    def _forward(self, event: Event) -> None:
        """Runs in the job thread; post_message is thread-safe."""
        self.post_message(EngineEvent(event))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="overview"):
            yield Static(id="counts")
            yield Static(id="job-status")
            yield ProgressBar(id="job-progress", show_eta=True)
            yield Static(id="jobs")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.engine.library.folder)
        self.query_one("#job-progress", ProgressBar).display = False
        self.refresh_overview()

    def refresh_overview(self) -> None:
        counts = self.engine.counts()
        roots = "\n".join(f"  {c.path}" for c in self.engine.collections()) or "  (none yet)"
        self.query_one("#counts", Static).update(
            f"[b]Collections[/b]\n{roots}\n\n"
            f"[b]Images[/b]  {counts.images}  ({counts.ok} ok, {counts.errors} errors, "
            f"{counts.raw} RAW, {counts.missing} missing)\n"
            f"[b]Albums[/b]  {counts.albums}    [b]Tags[/b]  {counts.tags}    "
            f"[b]Thumbnails[/b]  {counts.thumbnails}")
        lines = []
        for job in self.engine.jobs(8):
            when = time.strftime("%m-%d %H:%M", time.localtime(job.started_at))
            lines.append(f"  #{job.id:<4} {when}  {job.kind:<10} {job.state:<10} "
                         f"{job.done}/{job.total}  {job.errors} errors  {job.message or ''}")
        self.query_one("#jobs", Static).update("[b]Recent jobs[/b]\n" + ("\n".join(lines)
                                                                          or "  (none)"))

    def on_engine_event(self, message: EngineEvent) -> None:
        event = message.event
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
            self.notify(f"{event.kind} {event.state}: {event.summary}",
                        severity="error" if event.state == "failed" else "information")
            self.refresh_overview()

    def action_rescan(self) -> None:
        if not self.engine.collections():
            self.notify("No collection yet: run `termkam scan PATH` first.", severity="warning")
            return
        self.engine.scan()

    def action_cancel(self) -> None:
        for handle in self.engine.active_jobs():
            handle.cancel()

    def on_unmount(self) -> None:
        self._unsubscribe()
