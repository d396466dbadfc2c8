"""What a case's runs found: the findings of one kill and resume by check, each attempt,
the clean run, and the case's report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench.fault_campaign.cases import Case
from bench.fault_campaign.jobs import Stage
from bench.fault_campaign.state import Difference, Results

CHECKS = ("integrity", "decisions", "duplicates", "resume")


@dataclass
class Findings:
    """What one kill and resume broke, by check; ``items`` counts the things each is about
    (a line of differences may name several)."""

    integrity: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    resume: list[str] = field(default_factory=list)
    items: Counter[str] = field(default_factory=Counter)

    def add(self, when: str, check: str, problems: list[str]) -> None:
        """Problems about one thing each."""
        self.add_differences(when, check, [(1, problem) for problem in problems])

    def add_differences(self, when: str, check: str, found: list[Difference]) -> None:
        getattr(self, check).extend(f"{when}: {line}" for _, line in found)
        self.items[check] += sum(count for count, _ in found)

    @property
    def failed(self) -> bool:
        return bool(+self.items)

    def lines(self) -> list[str]:
        return [f"{name}: {line}" for name in CHECKS for line in getattr(self, name)]


@dataclass
class Attempt:
    point: str
    landed: bool
    findings: Findings
    seconds: float
    left: str = ""                # the run's jobs as the kill left them


@dataclass
class CleanRun:
    results: Results
    stages: list[Stage]
    problems: list[str]           # what the clean run itself got wrong (its summary)


@dataclass
class CaseReport:
    case: Case
    wanted: int
    clean: CleanRun | None = None
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def landed(self) -> int:
        return sum(a.landed for a in self.attempts)

    def failing(self, check: str) -> int:
        """How many attempts failed ``check``."""
        return sum(bool(getattr(a.findings, check)) for a in self.attempts)

    def count(self, check: str) -> int:
        """How many things failed ``check`` over all attempts."""
        return sum(a.findings.items[check] for a in self.attempts)

    @property
    def passed(self) -> bool:
        return (self.landed >= self.wanted and not any(a.findings.failed for a in self.attempts)
                and self.clean is not None and not self.clean.problems)
