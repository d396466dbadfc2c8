"""What a person's or a tag's name may be: the one check for the CLI, the TUI and the names
that arrive in files' metadata.

Names typed by the user are refused with the reason; names read from files are cleaned
(control characters dropped, length capped) since the file cannot be asked again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .errors import TermkamError

MAX_NAME = 200        # characters in a person's name or in one level of a tag
MAX_TAG_DEPTH = 16
_SPACES = re.compile(r"\s+")


def _controls(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029" for ch in text)


def _checked(text: str, what: str) -> str:
    name = text.strip()
    if not name:
        raise TermkamError(f"{what} cannot be empty")
    if _controls(name):
        raise TermkamError(f"{what} cannot hold control characters (newline, tab, escape ...)")
    if len(name) > MAX_NAME:
        raise TermkamError(f"{what} is too long ({len(name)} characters; at most {MAX_NAME})")
    return name


def person_name(text: str) -> str:
    """A person's name as typed, stripped; TermkamError when it cannot be one."""
    return _checked(text, "a person's name")


def tag_path(parts: Iterable[str]) -> tuple[str, ...]:
    """A tag path (e.g. ("Places", "Paris")) as typed; TermkamError when it cannot be one."""
    path = tuple(_checked(part, "a tag name") for part in parts)
    if not path:
        raise TermkamError("a tag cannot be empty")
    if len(path) > MAX_TAG_DEPTH:
        raise TermkamError(f"a tag has at most {MAX_TAG_DEPTH} levels")
    return path


def parse_tag(text: str) -> tuple[str, ...]:
    """A tag path typed as text: levels separated by "/" (empty levels are refused)."""
    if not text.strip():
        raise TermkamError("a tag cannot be empty")
    return tag_path(text.split("/"))


def cleaned(text: str) -> str:
    """A name read from a file, made safe to store: controls become spaces, spaces collapse,
    the length is capped (may return "": then there is no name)."""
    visible = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch
                      for ch in text)
    return _SPACES.sub(" ", visible).strip()[:MAX_NAME].strip()
