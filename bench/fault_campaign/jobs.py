"""A command's chain of jobs as the job table records it: the stages of a clean run, and a
running command's jobs polled read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bench.fault_campaign.catalog import read_only
from bench.fault_campaign.cli import CampaignError

PIPELINE_KINDS = ("scan", "thumbnails", "faces.detect", "faces.rebuild", "tags.auto",
                  "quality.sort")


@dataclass(frozen=True)
class Stage:
    """One job of a command's chain (`run faces`: detect, recognise, cluster) as the clean
    run recorded it."""

    kind: str
    total: int
    seconds: float

    @property
    def counted(self) -> bool:
        """Writes batch after batch, counting ``done`` (else: writes once at the end)."""
        return self.kind in PIPELINE_KINDS and self.total >= 2


JobRow = tuple[int, str, str, int, int, float, float | None]  # id, kind, state, done, total ...
JOB_SQL = ("SELECT id, kind, state, done, total, started_at, finished_at FROM job WHERE id > ? "
           "ORDER BY id")


def job_rows(catalog: Path, after: int) -> list[JobRow]:
    """The jobs after id ``after``, oldest first."""
    with read_only(catalog) as con:
        return con.execute(JOB_SQL, (after,)).fetchall()


def last_job_id(catalog: Path) -> int:
    with read_only(catalog) as con:
        return con.execute("SELECT IFNULL(MAX(id), 0) FROM job").fetchone()[0]


def stages_of(catalog: Path, after: int) -> list[Stage]:
    """The chain a finished run recorded; CampaignError unless every job is done."""
    rows = job_rows(catalog, after)
    if not rows or any(state != "done" for _, _, state, *_ in rows):
        raise CampaignError(f"the clean run did not finish: {rows}")
    return [Stage(kind, total, (finished or started) - started)
            for _, kind, _, _, total, started, finished in rows]


class JobWatch:
    """A running command's jobs, polled through one read-only connection (each query sees
    the latest commit)."""

    def __init__(self, catalog: Path, after: int) -> None:
        self.after = after
        self.con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1)

    def row(self, stage: int) -> JobRow | None:
        """The ``stage``-th job of the chain (None while it does not exist or is busy)."""
        try:
            rows = self.con.execute(JOB_SQL, (self.after,)).fetchall()
        except sqlite3.Error:
            return None
        return rows[stage] if len(rows) > stage else None

    def state(self, stage: int) -> str | None:
        row = self.row(stage)
        return None if row is None else row[2]

    def done(self, stage: int) -> int:
        row = self.row(stage)
        return 0 if row is None else row[3]

    def close(self) -> None:
        self.con.close()
