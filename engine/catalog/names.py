"""File names that are not valid UTF-8 stored losslessly: readable text plus the raw bytes."""

from __future__ import annotations

import os


def to_db(name: str) -> tuple[str, bytes | None]:
    """Split a file-system str (maybe with surrogate escapes) into (display text, raw bytes).

    Raw bytes are kept only when the name is not valid UTF-8; the text then shows the bad
    bytes as ``\\xNN`` so it stays unique and readable.
    """
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return raw.decode("utf-8", "backslashreplace"), raw


def from_db(text: str, raw: bytes | None) -> str:
    """The file-system str for a stored name."""
    return os.fsdecode(raw) if raw is not None else text
