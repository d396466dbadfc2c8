"""Learning from the user's verdicts on auto tags: a removed auto tag is evidence that its
tag's minimum is too low for this collection. With the ``learn`` setting on, a tag the user
removed asks, on the next runs, for more than the highest confidence it was removed at, but
never more than the lowest confidence the user confirmed it at: the same mistake becomes
rarer and no confirmed tag would be lost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.catalog.tag_verdicts import TagVerdicts

STEP = 0.01     # how far above the highest removed confidence a learnt minimum sits


@dataclass(frozen=True)
class Learnt:
    tag: str
    minimum: float
    removed: int
    confirmed: int


def learnt(verdicts: Iterable[TagVerdicts]) -> list[Learnt]:
    """The raised minimum of each tag the user removed at least once."""
    found = []
    for verdict in verdicts:
        if verdict.highest_removed is None:
            continue
        minimum = min(verdict.highest_removed + STEP, 1.0)
        if verdict.lowest_confirmed is not None:
            minimum = min(minimum, verdict.lowest_confirmed)
        found.append(Learnt(verdict.tag, minimum, verdict.removed,
                            verdict.confirmed))
    return found


def minimums(verdicts: Iterable[TagVerdicts]) -> dict[str, float]:
    """Tag -> learnt minimum, for the tagger."""
    return {item.tag: item.minimum for item in learnt(verdicts)}
