"""Asked when the user quits while jobs run: cancel them and quit, or keep them running."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

if TYPE_CHECKING:
    from engine.engine import Engine
    from engine.jobs import JobHandle

RESUME_HINT = ("The work done so far is kept: `termkam jobs resume` (or the tool again) "
               "continues it later.")
WAIT_S = 30.0  # for cancelled jobs to stop before quitting anyway


class QuitDialog(ModalScreen[bool]):
    """Dismissed with True to cancel the jobs and quit, False to keep them running."""

    DEFAULT_CSS = """
    QuitDialog { align: center middle; }
    QuitDialog > Vertical { width: 64; max-width: 95%; height: auto; border: round $warning;
        background: $surface; padding: 0 1; }
    QuitDialog Label { width: 100%; }
    QuitDialog #quit-title { text-style: bold; }
    QuitDialog #quit-jobs, QuitDialog #quit-hint { margin-top: 1; }
    QuitDialog #quit-hint { color: $text-muted; }
    QuitDialog Horizontal { height: auto; margin-top: 1; }
    QuitDialog Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Cancel the jobs and quit", id="quit-yes"),
        Binding("escape,n,q", "answer(False)", "Keep them running", id="quit-no"),
    ]

    def __init__(self, jobs: Sequence[str]) -> None:
        super().__init__()
        self.jobs = list(jobs)

    def compose(self) -> ComposeResult:
        many = len(self.jobs) > 1
        with Vertical():
            yield Label(f"{'Jobs are' if many else 'A job is'} still running",
                        id="quit-title")
            yield Label("\n".join(self.jobs), id="quit-jobs", markup=False)
            yield Label(RESUME_HINT, id="quit-hint", markup=False)
            with Horizontal():
                yield Button(f"Cancel {'them' if many else 'it'} and quit (y)",
                             id="quit-cancel", variant="error", compact=True)
                yield Button("Keep running (n)", id="quit-keep", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#quit-keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit-cancel")

    def action_answer(self, cancel: bool) -> None:
        self.dismiss(cancel)


def quit_or_ask(app: App, engine: Engine) -> None:
    """Quit at once when no job the user started runs; else ask, and on "cancel" cancel the
    jobs and quit once they have stopped (their state recorded, so they can be resumed).
    Jobs already being cancelled are not asked about again."""
    if isinstance(app.screen, QuitDialog):
        return
    running = [h for h in engine.active_jobs() if not _background(h)]
    to_ask = [h for h in running if not h.cancel_event.is_set()]
    if not running:
        app.exit()
    elif not to_ask:
        _quit_when_stopped(app, running)
    else:
        app.push_screen(QuitDialog([f"#{h.job_id} {h.kind}" for h in to_ask]),
                        lambda cancel: _quit_when_stopped(app, running) if cancel else None)


def _quit_when_stopped(app: App, handles: Sequence[JobHandle]) -> None:
    for handle in handles:
        handle.cancel()
    names = ", ".join(f"#{h.job_id} {h.kind}" for h in handles)
    app.notify(f"Cancelling {names}: quitting when stopped", markup=False)
    app.run_worker(lambda: _wait_then_exit(app, handles), thread=True, group="quit",
                   description="wait for the cancelled jobs")


def _wait_then_exit(app: App, handles: Sequence[JobHandle]) -> None:
    for handle in handles:
        handle.wait(WAIT_S)
    app.call_from_thread(app.exit)


def _background(handle: JobHandle) -> bool:
    """The write-back of decisions: termkam finishes it on the way out, no need to ask."""
    return handle.kind == "metadata.write" and handle.options.get("mode") == "pending"
