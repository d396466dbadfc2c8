"""Names close enough to an existing person's to be a slip: "Karl" when "Carl" exists."""

from __future__ import annotations

from collections.abc import Iterable

MIN_PREFIX = 3      # "Ann" for "Ann Example"; shorter prefixes match too much


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def is_close(new: str, existing: str) -> bool:
    """Case aside, one edit apart (two for names of 6+ letters), or the first words of the
    other ("Ann", "Ann Example"); the same name is not "close", it is the person."""
    a, b = new.strip().casefold(), existing.strip().casefold()
    if a == b:
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= MIN_PREFIX and long.startswith(short + " "):
        return True
    return distance(a, b) <= (2 if len(short) >= 6 else 1)


def closest(new: str, names: Iterable[str]) -> str | None:
    """The existing name ``new`` is most likely a slip for, or None (also when ``new``
    is an existing name, whatever its case)."""
    names = list(names)
    key = new.strip().casefold()
    if any(n.strip().casefold() == key for n in names):
        return None
    close = [n for n in names if is_close(new, n)]
    return min(close, key=lambda n: (distance(key, n.casefold()), n), default=None)
