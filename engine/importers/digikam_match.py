"""digiKam's photos matched to termkam's: by path first, else by content.

termkam's own content hash covers the whole file and digiKam never saw it, so the content
match uses digiKam's hash instead: ``Images.uniqueHash`` (hash version 2, digiKam 2 and
later) is the MD5 of a file's first and last 100 KiB, and ``Images.fileSize`` its size. For a
photo not found at its path, termkam's catalogued files of that exact size are hashed the same
way (200 KiB read from each, once) and a single equal file is the match.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.catalog.records import ImageRecord

from .digikam_db import HIDDEN, PHOTO, VISIBLE, DkImage

EDGE = 100 * 1024
HASH_VERSION = 2


def unique_hash_v2(path: str) -> str | None:
    """digiKam's uniqueHash (version 2) of a regular file, or None if it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        edge = min(info.st_size, EDGE)
        md5 = hashlib.md5(usedforsecurity=False)
        md5.update(os.pread(fd, edge, 0))
        md5.update(os.pread(fd, edge, info.st_size - edge))
        return md5.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Unmatched:
    digikam_path: str
    looked_for: str
    reason: str


@dataclass
class Matching:
    matched: dict[int, list[DkImage]] = field(default_factory=dict)  # termkam image id -> ..
    by_path: int = 0
    by_content: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def _skip_reason(image: DkImage) -> str | None:
    if image.category != PHOTO:
        return "not photos (videos, audio ...)"
    if image.status not in (VISIBLE, HIDDEN) or image.root_id is None:
        return "in digiKam's trash or removed"
    return None


def match_images(images: Sequence[DkImage], local: Mapping[int, str],
                 original: Mapping[int, str], hash_version: int,
                 catalogued: Sequence[ImageRecord]) -> Matching:
    """Match digiKam's photos (``local``: id -> path here, ``original``: id -> digiKam's own
    path) with termkam's catalogued images."""
    result = Matching()
    by_path = {record.path: record for record in catalogued}
    left: list[DkImage] = []
    for image in images:
        reason = _skip_reason(image)
        if reason:
            result.skipped[reason] += 1
        elif local[image.id] in by_path:
            result.matched.setdefault(by_path[local[image.id]].id, []).append(image)
            result.by_path += 1
        else:
            left.append(image)
    sizes: dict[int, list[ImageRecord]] = {}
    for record in catalogued:
        if record.status == "ok" and record.id not in result.matched:
            sizes.setdefault(record.size, []).append(record)
    hashes: dict[str, str | None] = {}
    for image in left:
        reason = "not in termkam's catalog"
        if hash_version != HASH_VERSION:
            reason += f" (digiKam's hash version {hash_version} cannot be compared)"
        elif image.unique_hash and image.file_size is not None:
            same = [r for r in sizes.get(image.file_size, [])
                    if hashes.setdefault(r.path, unique_hash_v2(r.path)) == image.unique_hash]
            if len(same) == 1:
                result.matched.setdefault(same[0].id, []).append(image)
                result.by_content += 1
                continue
            if same:
                reason = f"{len(same)} catalogued files have its content: which one is unclear"
        result.unmatched.append(Unmatched(original[image.id], local[image.id], reason))
    return result
