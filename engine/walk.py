"""Walking a collection root: which folders and photo files are there, cheaply.

Each photo's XMP sidecar is noted (name, size, mtime) from the same folder listing, without
opening it. Symlinks are never followed (so no loop and no escape from the root is possible);
they are counted so the scan summary can say what was passed over.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import TermkamError
from .metadata.sidecar import sidecar_names

IMAGE_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".png": "png",
                 ".tif": "tiff", ".tiff": "tiff", ".webp": "webp", ".bmp": "bmp"}
RAW_FORMATS = {".dng": "dng", ".cr2": "cr2", ".cr3": "cr3", ".nef": "nef", ".arw": "arw",
               ".orf": "orf", ".rw2": "rw2", ".raf": "raf"}
# Hidden folders and the thumbnail/recycle folders NAS systems create beside photos.
SKIPPED_DIRS = {"@eaDir", "#recycle", "#snapshot", "lost+found"}


@dataclass(frozen=True, slots=True)
class Sidecar:
    name: str         # in the photo's folder
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class SeenFile:
    album: str        # folder relative to the root, '/'-separated, '' for the root itself
    name: str
    size: int
    mtime_ns: int
    kind: str         # "image" or "raw"
    sidecar: Sidecar | None = None


@dataclass
class WalkResult:
    albums: set[str] = field(default_factory=set)
    files: list[SeenFile] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)   # folder -> reason
    symlinks: int = 0


def file_kind(name: str) -> str | None:
    """'image', 'raw', or None for files that are not photos."""
    ext = os.path.splitext(name)[1].lower()
    if ext in IMAGE_FORMATS:
        return "image"
    if ext in RAW_FORMATS:
        return "raw"
    return None


def walk(root: str, report: Callable[[int], None] | None = None,
         cancelled: Callable[[], bool] | None = None, report_every: int = 2000) -> WalkResult:
    """Every folder and photo file under ``root`` (which must be a real directory)."""
    result = WalkResult()
    stack = [""]
    next_report = report_every
    while stack:
        if cancelled is not None and cancelled():
            break
        rel = stack.pop()
        try:
            entries = os.scandir(os.path.join(root, rel) if rel else root)
        except OSError as error:
            result.unreadable[rel] = f"cannot open folder: {error.strerror or error}"
            continue
        result.albums.add(rel)
        photos: list[SeenFile] = []
        sidecars: dict[str, Sidecar] = {}
        with entries:
            for entry in entries:
                name = entry.name
                try:
                    if entry.is_symlink():
                        result.symlinks += 1
                    elif entry.is_dir(follow_symlinks=False):
                        if not name.startswith(".") and name not in SKIPPED_DIRS:
                            stack.append(f"{rel}/{name}" if rel else name)
                    elif name[-4:].lower() == ".xmp":
                        st = entry.stat(follow_symlinks=False)
                        sidecars[name] = Sidecar(name, st.st_size, st.st_mtime_ns)
                    elif (kind := file_kind(name)) is not None and not name.startswith("."):
                        st = entry.stat(follow_symlinks=False)
                        photos.append(SeenFile(rel, name, st.st_size, st.st_mtime_ns, kind))
                except OSError:
                    continue  # vanished while walking: the next scan sees the truth
        result.files += [_with_sidecar(photo, sidecars) for photo in photos]
        if report is not None and len(result.files) >= next_report:
            report(len(result.files))
            next_report += report_every
    return result


def _with_sidecar(photo: SeenFile, sidecars: dict[str, Sidecar]) -> SeenFile:
    """The photo with the sidecar it has (the first name of ``sidecar_names`` present)."""
    if not sidecars:
        return photo
    found = next((sidecars[n] for n in sidecar_names(photo.name) if n in sidecars), None)
    return photo if found is None else SeenFile(photo.album, photo.name, photo.size,
                                                photo.mtime_ns, photo.kind, found)


def resolve_roots(paths: list[str]) -> list[str]:
    """Absolute, symlink-free roots; every one must be an existing folder."""
    roots = []
    for path in paths:
        real = os.path.realpath(os.path.expanduser(path))
        if not os.path.isdir(real):
            raise TermkamError(f"not a folder: {path}")
        roots.append(real)
    return roots
