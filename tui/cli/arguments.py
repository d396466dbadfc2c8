"""Argument types shared by the commands: checked before any catalog is opened, so a typo
is refused in one line instead of reaching the engine."""

from __future__ import annotations

import argparse

SQLITE_MAX_INT = 2**63 - 1


def _integer(text: str, what: str, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not 1 <= value <= high:
        raise argparse.ArgumentTypeError(f"{text} is not {what}")
    return value


def row_id(text: str) -> int:
    """A catalog id (face, job, cluster): a whole number from 1 up."""
    return _integer(text, "an id (a whole number from 1)", SQLITE_MAX_INT)


def positive_int(text: str) -> int:
    """A count: a whole number from 1 up."""
    return _integer(text, "a whole number from 1", SQLITE_MAX_INT)
