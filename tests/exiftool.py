"""exiftool as the independent reader that our metadata results are checked against."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

# the copy scripts/setup.sh --test unpacks into the virtualenv, else one on PATH
_IN_VENV = Path(sys.executable).parent / "exiftool"
EXIFTOOL = str(_IN_VENV) if _IN_VENV.exists() else shutil.which("exiftool") or "exiftool"
TAGS = ["-Make", "-Model", "-LensModel", "-DateTimeOriginal", "-CreateDate", "-Orientation",
        "-Composite:GPSLatitude", "-Composite:GPSLongitude", "-Composite:GPSAltitude",
        "-ImageWidth", "-ImageHeight", "-Keywords", "-Subject", "-HierarchicalSubject",
        "-TagsList"]


def exiftool(*args: str | Path) -> list[dict]:
    """Run exiftool -j -n and return its parsed JSON."""
    out = subprocess.run([EXIFTOOL, "-j", "-n", *map(str, args)],
                         capture_output=True, check=True).stdout
    return json.loads(out)


def write(path: Path, *assignments: str) -> None:
    """Write tags with exiftool (creating an XMP file when path ends in .xmp)."""
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", *assignments, str(path)],
                   check=True)


def as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def iso(exif_date: object) -> str | None:
    if not isinstance(exif_date, str) or len(exif_date) < 19:
        return None
    return exif_date[:10].replace(":", "-") + "T" + exif_date[11:19]


def expected_keywords(row: dict) -> tuple[tuple[str, ...], ...]:
    paths = [tuple(p.strip() for p in v.split("/")) for v in as_list(row.get("TagsList"))]
    paths += [tuple(p.strip() for p in v.split("|"))
              for v in as_list(row.get("HierarchicalSubject"))]
    leaves = {p[-1] for p in paths}
    flat = [(v.strip(),) for v in as_list(row.get("Subject")) + as_list(row.get("Keywords"))
            if v.strip() and v.strip() not in leaves]
    return tuple(dict.fromkeys(paths + flat))
