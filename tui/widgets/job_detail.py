"""A line under the jobs table with the selected job's whole result, shown only when the
table is too narrow for its Result column."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from .job_table import JobTable


class JobDetail(Static):
    """Follows a JobTable's cursor: ``follow(table)`` after anything that may change it."""

    DEFAULT_CSS = """
    JobDetail { height: auto; max-height: 3; color: $text-muted; display: none; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def follow(self, table: JobTable) -> None:
        text = table.detail()
        self.display = text is not None
        if text is not None:
            self.update(text)
