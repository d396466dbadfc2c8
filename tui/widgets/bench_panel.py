"""The benchmark section of the Settings pane: run / cancel, a progress bar fed by collapsing
messages from the benchmark thread, and the results table, kept in view while the user looks
at it; the end of a run is announced wherever the user is."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.errors import NoWidget
from textual.message import Message
from textual.widget import NoScreen, Widget
from textual.widgets import Button, ProgressBar, Static
from textual.worker import get_current_worker

from engine.errors import TermkamError

from .bench_table import BenchTable

if TYPE_CHECKING:
    from engine.tuning import TuningService

GROUP = "settings-bench"


class BenchPanel(Vertical):
    DEFAULT_CSS = """
    BenchPanel { height: auto; }
    BenchPanel > Horizontal { height: auto; margin-top: 1; }
    BenchPanel #bench-progress { margin-left: 2; }
    BenchPanel #bench-status { margin-left: 2; color: $text-muted; }
    """
    BATCHES = (1, 8, 16)
    REPEAT = 3
    PHOTOS = 16

    class Progress(Message):
        """From the benchmark thread; a burst collapses into the latest (``final``: the run
        is over, ``text`` says how it went)."""

        def __init__(self, done: int, total: int, text: str, final: bool = False) -> None:
            super().__init__()
            self.done, self.total, self.text, self.final = done, total, text, final

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, BenchPanel.Progress) and not message.final

    def __init__(self, tuning: TuningService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tuning = tuning

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Button("Run (b)", id="bench-button", compact=True)
            yield Button("Cancel (c)", id="bench-cancel-button", compact=True)
            yield ProgressBar(id="bench-progress", show_eta=False)
            yield Static(id="bench-status")
        yield BenchTable(id="bench")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "bench-button":
            self.run()
        elif event.button.id == "bench-cancel-button":
            self.cancel()

    @property
    def running(self) -> bool:
        return any(w.group == GROUP and not w.is_finished for w in self.workers)

    def run(self) -> None:
        """Benchmark every present model that has a benchmark (in a thread)."""
        if self.running:
            self.notify("A benchmark is already running (c cancels it).")
            return
        self.query_one(BenchTable).reset()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#bench-status", Static).update("reading photos…")
        self.scroll_visible(animate=False, top=True)
        self._benchmark()

    def cancel(self) -> None:
        if self.workers.cancel_group(self, GROUP):
            self.query_one("#bench-status", Static).update("cancelling…")

    @work(thread=True, exclusive=True, exit_on_error=False, group=GROUP,
          description="benchmark the present models")
    def _benchmark(self) -> None:
        worker = get_current_worker()
        started = time.perf_counter()
        photos = self.tuning.bench_photos(self.PHOTOS)
        models = [m.id for m in self.tuning.models() if m.benchmarkable and m.state == "present"]
        steps = len(self.BATCHES) * self.REPEAT
        total = steps * len(models)
        if not photos:
            self.post_message(self.Progress(0, 0, "no photos: scan some photos first", True))
            return
        for index, model_id in enumerate(models):
            if worker.is_cancelled:
                break
            self.post_message(self.Progress(index * steps, total, f"{model_id}: loading"))
            try:
                rows = self.tuning.benchmark(
                    model_id, self.BATCHES, photos, self.REPEAT,
                    cancelled=lambda: worker.is_cancelled,
                    progress=partial(self._step, index * steps, total, model_id))
            except TermkamError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error")
                continue
            self.app.call_from_thread(self._add, rows)
        seconds = time.perf_counter() - started
        final = (f"cancelled after {seconds:.1f} s" if worker.is_cancelled else
                 f"{len(models)} models on {len(photos)} photos in {seconds:.1f} s")
        self.post_message(self.Progress(total, total, final, True))

    def _step(self, base: int, total: int, model_id: str, done: int, _steps: int) -> None:
        self.post_message(self.Progress(base + done, total, model_id))

    def _add(self, rows: list[Any]) -> None:
        self.query_one(BenchTable).add(rows)
        self._follow()

    def _follow(self) -> None:
        """Bring the results into view, unless the user looks elsewhere."""
        if shown(self):
            self.query_one(BenchTable).scroll_visible(animate=False)

    def on_bench_panel_progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)
        self.query_one("#bench-status", Static).update(message.text)
        if message.final:
            self._follow()
            self.notify(f"Benchmark: {message.text}; the results are in Settings, under "
                        "Benchmarks", markup=False)


def shown(widget: Widget) -> bool:
    """Whether some of ``widget`` is on the screen now (not scrolled away, not hidden)."""
    try:
        return widget.screen.find_widget(widget).visible_region.area > 0
    except (NoScreen, NoWidget):
        return False
