"""Text from the user's files and catalog made safe to print on a terminal.

File names, person names, tag paths and error reasons may hold control characters (an ESC
would drive the terminal, a newline would fake an output line) or lone surrogates (the bytes
of a file name that is not valid UTF-8). ``printable`` shows them as escapes instead.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls, DEL, C1 controls, and surrogates (only ever lone in a Python str)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPED_BYTES = range(0xDC80, 0xDD00)   # os.fsdecode's surrogateescape of bytes 0x80-0xFF


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code in _ESCAPED_BYTES:
        code -= 0xDC00
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` (or ``str(text)``) with control characters and lone surrogates escaped as
    ``\\n``, ``\\t``, ``\\r``, ``\\xNN`` or ``\\uNNNN``; other characters are left as they are."""
    return _UNSAFE.sub(_escape, str(text))


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide East Asian characters and emoji take two, combining
    marks and zero-width characters none."""
    width, joined = 0, False
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            joined = char == "\u200d"   # a zero-width joiner: the next emoji joins this one
            continue
        if not joined:
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        joined = False
    return width


def padded(text: str, cells: int) -> str:
    """``text`` followed by spaces up to ``cells`` terminal cells (a table column)."""
    return text + " " * max(0, cells - display_width(text))


def noun(number: int, singular: str, plural: str | None = None) -> str:
    """The form of a noun that goes with ``number``: error for 1, errors for 0 or 3."""
    return singular if number == 1 else plural or singular + "s"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and its noun: "1 error", "3 errors", "0 errors"."""
    return f"{number} {noun(number, singular, plural)}"
