"""The real `termkam` command line, run on a library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 1800.0


class CampaignError(RuntimeError):
    """The campaign could not be set up or run (not a finding about the engine)."""


def termkam_args(library: Path, *args: str) -> list[str]:
    """The argv of the real ``termkam`` on ``library``."""
    return [sys.executable, "-m", "tui", "--library", str(library), *args]


def termkam(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``termkam ARGS`` on ``library`` to its end (exit code 124 if it hangs)."""
    argv = termkam_args(library, *args)
    try:
        return subprocess.run(argv, cwd=REPO, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"timed out after {CLI_TIMEOUT:.0f} s")


def must(library: Path, *args: str) -> str:
    """``termkam ARGS``'s output; CampaignError when it fails."""
    done = termkam(library, *args)
    if done.returncode != 0:
        raise CampaignError(f"`termkam {' '.join(args)}` exited {done.returncode}: "
                            f"{(done.stderr or done.stdout).strip()[-800:]}")
    return done.stdout
