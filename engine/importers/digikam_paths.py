"""Where digiKam's photos are on this machine: its album roots resolved, ``--map`` applied.

digiKam names an album root by its volume (``AlbumRoots.identifier``: ``volumeid:?uuid=..``,
``volumeid:?path=..`` or ``networkshareid:?mountpath=..``) plus a path on that volume
(``specificPath``); a photo is at root + ``Albums.relativePath`` + ``Images.name``. A volume
known only by its UUID is looked up among the mounted file systems (the root file system when
it is not mounted). ``--map OLD=NEW`` then moves paths that start with OLD under NEW, for a
library made on another machine or before the photos moved.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs

from engine.errors import TermkamError

from .digikam_db import DkRoot

BY_UUID = Path("/dev/disk/by-uuid")
MOUNTS = Path("/proc/self/mounts")


def parse_map(text: str) -> tuple[str, str]:
    """``OLD=NEW`` as two normalised absolute paths; TermkamError when it is not that."""
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise TermkamError(f"a path map is OLD_ROOT=NEW_ROOT, not {text!r}")
    old, new = os.path.normpath(old.strip()), os.path.normpath(os.path.expanduser(new.strip()))
    if not (os.path.isabs(old) and os.path.isabs(new)):
        raise TermkamError(f"both sides of a path map must be absolute paths: {text!r}")
    return old, new


class PathMap:
    """Rewrites paths by the longest matching OLD prefix (whole path components only)."""

    def __init__(self, maps: Sequence[tuple[str, str]] = ()) -> None:
        self.maps = sorted(maps, key=lambda pair: len(pair[0]), reverse=True)

    def __call__(self, path: str) -> str:
        for old, new in self.maps:
            if path == old or path.startswith(old.rstrip("/") + "/"):
                return os.path.normpath(new + "/" + path[len(old):])
        return path


def mount_point(uuid: str) -> str | None:
    """Where the file system with this UUID is mounted here, if it is."""
    device = BY_UUID / uuid
    if "/" in uuid or not device.exists():
        return None
    real = os.path.realpath(device)
    try:
        lines = MOUNTS.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 1 and os.path.realpath(fields[0]) == real:
            return fields[1].replace("\\040", " ")
    return None


def root_path(root: DkRoot) -> str:
    """The folder an album root stands for, as digiKam's identifier and path describe it."""
    params = parse_qs(root.identifier.partition(":?")[2])
    base = next((params[key][0] for key in ("path", "mountpath") if params.get(key)), None)
    if base is None and params.get("uuid"):
        base = mount_point(params["uuid"][0])
    return os.path.normpath(os.path.join(base or "/", root.specific_path.lstrip("/")))


def album_path(root: str, relative_path: str) -> str:
    """The folder of an album: its root plus digiKam's relative path ("/" is the root)."""
    return os.path.normpath(os.path.join(root, relative_path.lstrip("/")))
