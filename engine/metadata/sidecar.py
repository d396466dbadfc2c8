"""Where a photo's XMP sidecar is: "<file>.<ext>.xmp" (digiKam, darktable) before
"<file>.xmp" (Lightroom), each in lower and upper case; the first that exists wins."""

from __future__ import annotations

import os
from pathlib import Path

from engine import files
from engine.errors import ItemError


def sidecar_names(name: str) -> tuple[str, ...]:
    """The names a sidecar of the file ``name`` may have, in the order they are tried."""
    stem, ext = os.path.splitext(name)
    if ext.lower() == ".xmp":
        return ()
    names = (f"{name}.xmp", f"{name}.XMP")
    return names + ((f"{stem}.xmp", f"{stem}.XMP") if stem and ext else ())


def read_sidecar(path: str | os.PathLike[str]) -> bytes | None:
    """The bytes of the sidecar at ``path``; None when there is none; ItemError when it is
    there but cannot be read."""
    try:
        return files.read_regular(path)
    except files.NoFile:
        return None
    except ItemError as error:
        raise ItemError(f"unreadable XMP sidecar: {error}") from None


def read_sidecar_for(path: str | os.PathLike[str]) -> bytes | None:
    """The bytes of a file's XMP sidecar, wherever it is (None: it has none)."""
    base = Path(path)
    for name in sidecar_names(base.name):
        found = read_sidecar(base.with_name(name))
        if found is not None:
            return found
    return None
