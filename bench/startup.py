"""Command-line start-up: wall time of `termkam --help`, `--version`, `status` and `faces
people` as a user runs them (a fresh process each time, through the installed console script),
against a bare `python -c pass` measured in the same run. Target: `--help` under 0.3 s.

    .venv/bin/python bench/startup.py [--runs 15] [--library DIR]

Without --library, a library is made in a temporary folder from a few sample photos.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from engine.samples import samples_dir  # noqa: E402

TERMKAM = REPO / ".venv" / "bin" / "termkam"


def wall(command: list[str], runs: int) -> tuple[float, float, float]:
    """(median, min, max) seconds of ``command`` over ``runs`` runs, after one warm-up."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def sample_library(folder: Path) -> None:
    photos = folder / "photos"
    photos.mkdir()
    subprocess.run([str(TERMKAM), "samples", "fetch", "faces"], capture_output=True, check=True)
    for index, photo in enumerate(sorted(samples_dir().rglob("*.jpg"))[:6]):
        shutil.copy(photo, photos / f"{index}{photo.suffix}")
    subprocess.run([str(TERMKAM), "--library", str(folder / "lib"), "scan", str(photos), "-q"],
                   capture_output=True, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--library", type=Path)
    args = parser.parse_args()
    if not TERMKAM.exists():
        print(f"{TERMKAM} is missing: run scripts/setup.sh first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="termkam-bench-startup-") as tmp:
        library = args.library
        if library is None:
            sample_library(Path(tmp))
            library = Path(tmp) / "lib"
        rows = [("python -c pass", [sys.executable, "-c", "pass"]),
                ("termkam --help", [str(TERMKAM), "--help"]),
                ("termkam --version", [str(TERMKAM), "--version"]),
                ("termkam status", [str(TERMKAM), "--library", str(library), "status"]),
                ("termkam faces people", [str(TERMKAM), "--library", str(library), "faces",
                                          "people"])]
        print(f"{'command':<22} {'median':>8} {'min':>8} {'max':>8}   ({args.runs} runs each)")
        for name, command in rows:
            median, low, high = wall(command, args.runs)
            print(f"{name:<22} {median:>7.3f}s {low:>7.3f}s {high:>7.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
