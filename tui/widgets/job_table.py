"""The jobs list: recent and running maintenance jobs, one row each, newest first, with a
progress bar (or the phase while there is no total, e.g. "loading models"), done/total, the
rate in the job's own unit (photos/s, faces/s), ETA and error count that live progress events
update."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable

from engine.jobs import LOADING
from engine.printable import printable
from engine.progress import rate_text

if TYPE_CHECKING:
    from engine.catalog.records import JobRecord
    from engine.events import Progress

BAR = 12
# (label, key, width: fixed so live updates never need a re-layout; None = content)
COLUMNS = (("#", "id", 4), ("Tool", "kind", 15), ("State", "state", 11),
           ("Progress", "bar", BAR + 5), ("Done", "done", 11), ("Rate", "rate", 13),
           ("ETA", "eta", 5), ("Errors", "errors", 6), ("Result", "message", None))
STATE_STYLE = {"running": "bold yellow", "queued": "dim", "done": "green", "failed": "bold red",
               "cancelled": "magenta", "interrupted": "magenta"}


def bar(done: int, total: int, phase: str = "") -> Text:
    """A text progress bar: filled blocks and the percentage; the phase (or ``…``) while the
    total is unknown or the models load."""
    if total <= 0 or phase == LOADING:
        return Text(f"{phase or ''}…"[:BAR + 5].ljust(BAR + 5), style="dim")
    share = min(1.0, done / total)
    filled = round(share * BAR)
    text = Text("█" * filled, style="green")
    text.append("░" * (BAR - filled), style="dim")
    text.append(f" {100 * share:3.0f}%")
    return text


def eta(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600} h"


class JobTable(DataTable):
    """Jobs by id (row key = job id); ``progress`` updates one row in place."""

    DEFAULT_CSS = """
    JobTable { height: 1fr; min-height: 6; }
    """

    def __init__(self, units: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.units = dict(units or {})  # job kind -> what its progress counts
        self._live: dict[int, Progress] = {}

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    def show_jobs(self, jobs: Sequence[JobRecord]) -> None:
        """Rebuild the rows from job records (newest first). The cursor stays on its job,
        or on the newest job when it was on the top row."""
        selected = self.selected_job() if self.cursor_row > 0 else None
        self.clear()
        for job in jobs:
            live = self._live.get(job.id) if job.state in ("running", "queued") else None
            if live is not None:
                cells = self._live_cells(live)
            else:
                elapsed = (job.finished_at or time.time()) - job.started_at
                rate = job.done / elapsed if job.done and elapsed > 0 else 0.0
                cells = [bar(job.done, job.total) if job.total else "-",
                         f"{job.done}/{job.total}",
                         rate_text(rate, self.units.get(job.kind, "photos")) if rate else "-",
                         "-", str(job.errors)]
            self.add_row(str(job.id), job.kind, Text(job.state, STATE_STYLE.get(job.state, "")),
                         *cells, Text(printable(job.message or "")), key=str(job.id))
        if selected is not None and str(selected) in self.rows:
            self.move_cursor(row=self.get_row_index(str(selected)))

    @staticmethod
    def _live_cells(event: Progress) -> list[Any]:
        return [bar(event.done, event.total, event.phase),
                f"{event.done}/{event.total or '?'}",
                rate_text(event.rate, event.unit) if event.rate else "-", eta(event.eta_s),
                str(event.errors)]

    def progress(self, event: Progress) -> None:
        """Show a job's latest progress (the row appears at the next ``show_jobs``)."""
        self._live[event.job_id] = event
        key = str(event.job_id)
        if key not in self.rows:
            return
        self.update_cell(key, "state", Text("running", STATE_STYLE["running"]))
        for column, value in zip(("bar", "done", "rate", "eta", "errors"),
                                 self._live_cells(event), strict=True):
            self.update_cell(key, column, value)
        if event.phase:
            self.update_cell(key, "message", event.phase)

    def finished(self, job_id: int) -> None:
        self._live.pop(job_id, None)

    @property
    def result_width(self) -> int:
        """How many cells of the Result column are in view."""
        fixed = sum(column.get_render_width(self) for column in self.columns.values()
                    if column.key.value != "message")
        return self.scrollable_content_region.width - fixed - 2 * self.cell_padding

    def detail(self) -> str | None:
        """The selected job, its rate and its whole result, when the Result column cuts it."""
        job_id = self.selected_job()
        if job_id is None:
            return None
        key = str(job_id)
        result = str(self.get_cell(key, "message"))
        if len(result) <= self.result_width:
            return None
        rate = str(self.get_cell(key, "rate"))
        rate = f", {rate}" if rate != "-" else ""       # the Rate column is cut too
        return (f"#{job_id} {self.get_cell(key, 'kind')} {self.get_cell(key, 'state')}{rate}: "
                f"{result}")

    def selected_job(self) -> int | None:
        """The job id under the cursor."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None
