"""What the engine tells its listeners (the TUI, the CLI, tests) about running jobs.

Plain frozen dataclasses: the engine never imports a UI toolkit; a listener is any callable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobStarted:
    job_id: int
    kind: str
    options: dict


@dataclass(frozen=True)
class Progress:
    job_id: int
    kind: str
    phase: str              # e.g. "walking", "reading", "writing"
    done: int
    total: int              # 0 while unknown
    errors: int
    rate: float             # units per second, smoothed
    eta_s: float | None     # None while unknown
    unit: str = "photos"    # what done, total and rate count (photos, faces ...)


@dataclass(frozen=True)
class ItemFailed:
    job_id: int
    path: str
    reason: str


@dataclass(frozen=True)
class ItemNoted:
    """Something about one file the user should know that is not an error (e.g. a picture
    replaced under its name, with the user's decisions on the old one)."""

    job_id: int
    path: str
    note: str


@dataclass(frozen=True)
class JobFinished:
    job_id: int
    kind: str
    state: str              # done | cancelled | failed | interrupted
    done: int
    total: int
    errors: int
    elapsed_s: float
    summary: str
    next_job_id: int | None = None  # the job queued to follow it (its ``then`` option)
    unit: str = "photos"            # what done and total count


Event = JobStarted | Progress | ItemFailed | ItemNoted | JobFinished
Listener = Callable[[Event], None]
