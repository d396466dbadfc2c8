"""exiftool arguments for metadata as digiKam and Lightroom write it (MWG and Microsoft face
regions), and several exiftool writes in one process."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from tests.exiftool import EXIFTOOL

Region = tuple[tuple[float, float, float, float], str | None]   # (x, y, w, h) top-left, name


def mwg_regions(regions: Sequence[Region]) -> str:
    """An MWG RegionInfo assignment (digiKam, Lightroom): normalised, the centre as X/Y."""
    items = []
    for (x, y, w, h), name in regions:
        named = f",Name={name}" if name else ""
        items.append(f"{{Area={{X={x + w / 2:.6f},Y={y + h / 2:.6f},W={w:.6f},H={h:.6f},"
                     f"Unit=normalized}}{named},Type=Face}}")
    return f"-XMP-mwg-rs:RegionInfo={{RegionList=[{','.join(items)}]}}"


def mp_regions(regions: Sequence[Region]) -> str:
    """A Microsoft RegionInfoMP assignment: "x, y, w, h" normalised from the top-left."""
    items = []
    for (x, y, w, h), name in regions:
        named = f",PersonDisplayName={name}" if name else ""
        items.append(f"{{Rectangle={x:.6f}|, {y:.6f}|, {w:.6f}|, {h:.6f}{named}}}")
    return f"-XMP-MP:RegionInfoMP={{Regions=[{','.join(items)}]}}"


def write_each(jobs: Sequence[tuple[Path, Sequence[str]]]) -> None:
    """Several exiftool writes, each to its own file (an .xmp path creates a sidecar), in one
    exiftool process."""
    args = [arg for path, assignments in jobs for arg in (*assignments, str(path), "-execute")]
    subprocess.run([EXIFTOOL, *args[:-1], "-common_args", "-q", "-overwrite_original"],
                   check=True)
