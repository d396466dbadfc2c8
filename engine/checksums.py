"""Checksums: of downloaded files (sample photos, packages) against their pinned values, and
the content identity of a catalogued file."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    """Identity of a file's content, used to recognise a moved file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
