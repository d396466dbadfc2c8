"""The kill campaign: every job kind/mode run by the real `termkam`, killed with SIGKILL at
random points (seeded) and resumed, on a library holding every kind of user decision. One
row per job kind/mode: kills landed mid-job, integrity ok, decisions lost, duplicates,
resume = clean run, time. Exits 1 when any row fails; the failures are listed under the table.

    .venv/bin/python bench/faults.py [--photos 48] [--megapixels 3] [--kills 8] [--seed 1]
                                     [--only faces-clear,tags] [--keep DIR]

The harness is the package bench/fault_campaign/ (its docstring says what each check checks);
tests/faults/test_kill_campaign.py runs one seeded kill per job kind.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bombs  # noqa: E402
from bench.fault_campaign import (  # noqa: E402
    CASES,
    Campaign,
    Case,
    CaseReport,
    build_photos,
    case_rng,
    prepare_library,
    run_case,
    termkam_args,
)
from engine import samples  # noqa: E402

HEADER = ("job kind / mode", "kills landed", "integrity ok", "decisions lost", "duplicates",
          "resume = clean run", "time")


def row(report: CaseReport) -> tuple[str, ...]:
    """A report's cells, in HEADER's order."""
    tries = len(report.attempts)
    resume_failed = report.failing("resume") + bool(report.clean and report.clean.problems)
    return (report.case.label,
            f"{report.landed}/{report.wanted}" + (f" ({tries} tries)" if tries > report.wanted
                                                   else ""),
            f"{tries - report.failing('integrity')}/{tries}",
            str(report.count("decisions")),
            str(report.count("duplicates")),
            "yes" if not resume_failed else f"no ({resume_failed}/{tries})",
            f"{report.seconds:.0f} s")


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows under HEADER, each column as wide as its widest cell."""
    widths = [max(len(r[n]) for r in (HEADER, *rows)) for n in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in (HEADER, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def failures(report: CaseReport) -> list[str]:
    """Every problem of a report, one line each."""
    lines = []
    if report.landed < report.wanted:
        lines.append(f"only {report.landed} of {report.wanted} kills landed mid-job")
    if report.clean is not None:
        lines += [f"clean run: {p}" for p in report.clean.problems]
    for number, attempt in enumerate(report.attempts, 1):
        lines += [f"kill {number} ({attempt.point}; left {attempt.left}): {line}"
                  for line in attempt.findings.lines()]
    return lines


def chosen(only: str | None) -> list[Case]:
    """The cases whose slug or label contains one of the comma-separated words."""
    if not only:
        return list(CASES)
    words = [w.strip() for w in only.split(",") if w.strip()]
    return [c for c in CASES if any(w in c.slug or w in c.label for w in words)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=48, help="photos in the collection")
    parser.add_argument("--megapixels", type=float, default=3.0)
    parser.add_argument("--kills", type=int, default=8, help="kills to land per job kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated job kinds, e.g. faces-clear,tags")
    parser.add_argument("--keep", type=Path, help="build and keep everything in this folder")
    args = parser.parse_args()
    if args.photos < 16:
        parser.error("--photos must be at least 16 (every album needs the group photo)")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: give a new or empty folder")
    work = args.keep or Path(tempfile.mkdtemp(prefix="termkam-faults-"))
    try:
        return campaign(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def campaign(args: argparse.Namespace, work: Path) -> int:
    """Build, run every chosen case, print the table and the failures; the exit code."""
    started = time.monotonic()
    photos = build_photos(work, args.photos, args.megapixels)
    prepare_library(photos, work / "base")
    (work / "runs").mkdir(exist_ok=True)
    print(f"{args.photos} photos of {args.megapixels} MP (+ a folder of more to scan), "
          f"{args.kills} kills per job kind, seed {args.seed}; base library ready in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    base = Campaign(photos, work / "base", work / "runs", keep=args.keep is not None)
    reports = []
    for case in chosen(args.only):
        reports.append(run_case(base, case, args.kills, case_rng(args.seed, case),
                                lambda line: print(f"  {line}", file=sys.stderr, flush=True)))
    print()
    print(table([row(r) for r in reports]))
    failed = [r for r in reports if not r.passed]
    for report in failed:
        print(f"\nFAILED {report.case.label}:")
        print("\n".join(f"  {line}" for line in failures(report)))
    print(f"\n{len(reports) - len(failed)} of {len(reports)} job kinds pass "
          f"({time.monotonic() - started:.0f} s)")
    bombs_ok = bomb_scan(work / "bombs")
    return 1 if failed or not bombs_ok else 0


def bomb_scan(work: Path) -> bool:
    """Scan a folder of decompression bombs beside a good photo; print the peak RSS."""
    folder = bombs.bomb_folder(work / "photos", samples.fetch_set("faces")["feat/single_face.jpg"])
    run = subprocess.run([sys.executable, "-c", bombs.PEAK_RSS, *termkam_args(
        work / "library", "scan", str(folder))], capture_output=True, text=True, check=False)
    peak = bombs.peak_rss_mb(run.stderr)
    refused = sum(f"{name}: " in run.stderr for name in bombs.REFUSED)
    ok = run.returncode == 0 and peak < bombs.PEAK_LIMIT_MB and refused == len(bombs.REFUSED)
    print(f"bomb scan: peak RSS {peak:.0f} MB (limit {bombs.PEAK_LIMIT_MB}), {refused} of "
          f"{len(bombs.REFUSED)} bombs refused in one line, exit {run.returncode}: "
          f"{'ok' if ok else 'FAILED'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
