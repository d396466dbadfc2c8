"""Running a case: a clean run of its command, then kills at random points, each followed
by the checks, `termkam jobs resume`, the comparison with the clean run and the checks
again."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.fault_campaign.cases import Case, Change
from bench.fault_campaign.catalog import current_path, image_paths, read_only
from bench.fault_campaign.checks import (
    check,
    opens_problems,
    summary_missing,
    unfinished_jobs,
)
from bench.fault_campaign.cli import REPO, must, termkam, termkam_args
from bench.fault_campaign.jobs import Stage, job_rows, last_job_id, stages_of
from bench.fault_campaign.kills import KillPoint, kill_at
from bench.fault_campaign.photos import Photos
from bench.fault_campaign.reports import Attempt, CaseReport, CleanRun, Findings
from bench.fault_campaign.state import Results, differences, read_decisions, read_results


@dataclass(frozen=True)
class Campaign:
    """A collection and its base library with decisions; ``work`` holds the runs' copies."""

    photos: Photos
    base: Path
    work: Path
    keep: bool = False

    def copy(self, case: Case, name: str) -> Path:
        """A fresh copy of the base library (no process has it open), set up for ``case``."""
        target = self.work / f"{case.slug}-{name}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.base, target)
        case.setup(target)
        return target

    def discard(self, library: Path) -> None:
        if not self.keep:
            shutil.rmtree(library, ignore_errors=True)


def case_rng(seed: int, case: Case) -> random.Random:
    """The case's own random points, the same whichever cases run."""
    return random.Random(f"{seed}:{case.slug}")


def run_case(campaign: Campaign, case: Case, kills: int, rng: random.Random,
             log: Callable[[str], None] = lambda line: None) -> CaseReport:
    """A clean run of the case's command, then kills (and resumes) until ``kills`` landed
    (at most 2 * kills + 2 tries)."""
    report = CaseReport(case, kills)
    started = time.monotonic()
    argv = case.argv(campaign.photos)
    with case.disturb(campaign.photos) as change:
        report.clean = clean_run(campaign, case, argv, change)
        while report.landed < kills and len(report.attempts) < 2 * kills + 2:
            attempt = kill_and_resume(campaign, case, argv, change, report.clean, rng,
                                      len(report.attempts))
            report.attempts.append(attempt)
            log(f"{case.label}: kill {len(report.attempts)} {attempt.point}: "
                f"{'landed' if attempt.landed else 'missed'} ({attempt.left}), "
                f"{'FAILED' if attempt.findings.failed else 'ok'} ({attempt.seconds:.0f} s)")
    report.seconds = time.monotonic() - started
    return report


def clean_run(campaign: Campaign, case: Case, argv: tuple[str, ...],
              change: Change) -> CleanRun:
    """The command to its end on a copy of the base library: results and timings."""
    library = campaign.copy(case, "clean")
    after = last_job_id(library / "catalog.db")
    stdout = must(library, *argv)
    problems = []
    if argv[0] == "scan" and summary_missing(stdout) != change.vanished:
        problems.append(f"the scan says {summary_missing(stdout)} missing, "
                        f"{change.vanished} files vanished: {stdout.strip()}")
    clean = CleanRun(read_results(library), stages_of(library / "catalog.db", after), problems)
    campaign.discard(library)
    return clean


def kill_and_resume(campaign: Campaign, case: Case, argv: tuple[str, ...], change: Change,
                    clean: CleanRun, rng: random.Random, number: int) -> Attempt:
    """One kill at a random point, the checks, ``termkam jobs resume``, the checks again."""
    started = time.monotonic()
    library = campaign.copy(case, f"kill{number}")
    catalog = library / "catalog.db"
    point = case.choose(rng, clean.stages)
    with read_only(catalog) as con:
        paths_before = image_paths(con)
    before, after = read_decisions(catalog), last_job_id(catalog)
    landed = kill_run(library, argv, after, point, clean.stages)
    left = ", ".join(f"{kind} {state}" for _, kind, state, *_ in job_rows(catalog, after))
    findings = Findings()
    check(findings, "after the kill", library, before,
          lambda image_id, path: paths_before.get(image_id, path))
    findings.add("after the kill", "integrity", opens_problems(library))
    resume_and_compare(findings, library, after, clean.results)
    check(findings, "after the resume", library,
          read_decisions(campaign.base / "catalog.db", change.path_key), current_path)
    campaign.discard(library)
    return Attempt(point.describe(clean.stages), landed, findings, time.monotonic() - started,
                   left or "no job")


def kill_run(library: Path, argv: tuple[str, ...], after: int, point: KillPoint,
             stages: list[Stage]) -> bool:
    """Start ``termkam ARGV`` on ``library`` and kill it at ``point``; True if it landed."""
    process = subprocess.Popen(termkam_args(library, *argv), cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timeout = 10 * sum(s.seconds for s in stages) + 120
    return kill_at(process, library / "catalog.db", after, point, stages, timeout)


def resume_and_compare(findings: Findings, library: Path, after: int, clean: Results) -> None:
    """``termkam jobs resume`` must exit 0, finish the run's jobs and leave ``clean``."""
    resumed = termkam(library, "jobs", "resume")
    when = "after the resume"
    if resumed.returncode != 0:
        findings.add(when, "resume", [f"`termkam jobs resume` exited {resumed.returncode}: "
                                      f"{(resumed.stderr or resumed.stdout).strip()[-400:]}"])
    try:
        findings.add(when, "resume", unfinished_jobs(library / "catalog.db", after))
        findings.add_differences(when, "resume", differences(
            clean, read_results(library), "only in the clean run", "only after kill + resume"))
    except sqlite3.Error as error:
        findings.add(when, "resume", [f"the results cannot be read: {error}"])
