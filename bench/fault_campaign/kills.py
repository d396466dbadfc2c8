"""Killing a job at a random point: where (``KillPoint``), how it is chosen, and the
SIGKILL once the watched job table reaches it."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.fault_campaign.cli import CampaignError
from bench.fault_campaign.jobs import JobWatch, Stage, job_rows

POLL_S = 0.002


@dataclass(frozen=True)
class KillPoint:
    """Where to kill: in the ``stage``-th job of the chain, once ``share`` of its work is
    done (counted stages; then ``jitter`` x the clean time of two items more) or ``share``
    of its clean duration has passed (stages that write once)."""

    stage: int
    share: float
    jitter: float
    at_end: bool = False          # as soon as the stage's job is recorded done

    def target(self, stage: Stage) -> int:
        """The ``done`` count to wait for (0: kill before the first batch is written)."""
        return int(self.share * stage.total)

    def delay(self, stage: Stage) -> float:
        """Seconds to wait once the job started (write once) or reached its target."""
        if stage.counted:
            return self.jitter * 2 * stage.seconds / stage.total
        return self.share * stage.seconds

    def describe(self, stages: list[Stage]) -> str:
        stage = stages[self.stage]
        if self.at_end:
            return f"{stage.kind} as soon as it is recorded done"
        if stage.counted:
            return (f"{stage.kind} at done >= {self.target(stage)}/{stage.total} "
                    f"+ {self.delay(stage):.2f} s")
        return f"{stage.kind} {self.delay(stage):.2f} s after it started"


def choose_kill(rng: random.Random, stages: list[Stage]) -> KillPoint:
    """A random point of the chain: a stage by its duration (each at least a tenth of the
    chain's, so the short ones are hit too), and a share of it."""
    span = sum(s.seconds for s in stages)
    weights = [max(s.seconds, 0.1 * span, 1e-3) for s in stages]
    return KillPoint(rng.choices(range(len(stages)), weights)[0], rng.uniform(0.0, 0.95),
                     rng.random())


def choose_between_jobs(rng: random.Random, stages: list[Stage]) -> KillPoint:
    """The end of a job that another job of the chain follows (the instant the first is
    recorded done), where the chain must not lose its next jobs."""
    followed = range(len(stages) - 1)
    if not followed:
        raise CampaignError("a kill between jobs needs a command that runs several")
    return KillPoint(rng.choice(followed), 1.0, 0.0, at_end=True)


def kill_at(process: subprocess.Popen, catalog: Path, after: int, point: KillPoint,
            stages: list[Stage], timeout: float) -> bool:
    """SIGKILL ``process`` at ``point``; True when the kill landed mid-job (the process was
    alive and its chain of jobs unfinished)."""
    with contextlib.closing(JobWatch(catalog, after)) as watch:
        _reach(watch, point, stages[point.stage], process, time.monotonic() + timeout)
        alive = process.poll() is None
        if alive:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    rows = job_rows(catalog, after)
    finished = len(rows) == len(stages) and all(row[2] == "done" for row in rows)
    return alive and not finished


def _reach(watch: JobWatch, point: KillPoint, stage: Stage, process: subprocess.Popen,
           deadline: float) -> None:
    """Wait for the point: the stage's job started, its target reached (counted stages),
    then the point's delay; sooner if the job ends."""
    number = point.stage
    if point.at_end:
        _poll(lambda: watch.state(number) not in (None, "queued", "running"), process,
              deadline, interval=0.0)
        return
    if not _poll(lambda: watch.state(number) not in (None, "queued"), process, deadline):
        return
    if stage.counted and not _poll(lambda: watch.done(number) >= point.target(stage)
                                   or watch.state(number) != "running", process, deadline):
        return
    _poll(lambda: watch.state(number) != "running", process,
          min(deadline, time.monotonic() + point.delay(stage)))


def _poll(ready: Callable[[], bool], process: subprocess.Popen, deadline: float,
          interval: float = POLL_S) -> bool:
    """Wait until ``ready()``; False if the process ended or time ran out first."""
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            return True
        time.sleep(interval)
    return False
