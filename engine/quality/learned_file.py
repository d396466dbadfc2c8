"""A user's learned quality model on its way to cluster workers: read once by the job, kept
in each worker's cache under its hash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from engine import config
from engine.checksums import content_hash
from engine.errors import TermkamError


def model_bytes(path: Path | None) -> bytes | None:
    """A user's model file's bytes, to send to cluster workers (None for no model)."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        raise TermkamError(f"cannot read the model {path}: {error.strerror}") from None


def kept_file(data: bytes, suffix: str) -> Path:
    """``data`` in a file of this user's cache, named by its hash (written once per content,
    checked when found; a worker opens a model sent to it from there)."""
    folder = config.cache_home() / "sent"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = content_hash(data)
    path = folder / f"{digest}{suffix}"
    try:
        if content_hash(path.read_bytes()) == digest:
            return path
    except OSError:
        pass
    fd, partial = tempfile.mkstemp(prefix=f".{digest}.", suffix=".part", dir=folder)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
    os.replace(partial, path)
    return path
