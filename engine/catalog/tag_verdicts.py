"""The user's verdicts on auto tags, by tag: how many they confirmed (and the lowest
confidence among those), how many they removed (and the highest), how many wait."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from .schema import ImageTag, TagRejection
from .tags import tag_paths


@dataclass(frozen=True)
class TagVerdicts:
    tag: str                          # Group/Tag
    confirmed: int
    removed: int
    pending: int                      # auto tags nobody has judged yet
    lowest_confirmed: float | None    # confidence the models gave them
    highest_removed: float | None

    @property
    def precision(self) -> float | None:
        """Confirmed / judged; None before any verdict."""
        judged = self.confirmed + self.removed
        return self.confirmed / judged if judged else None


def tag_verdicts() -> list[TagVerdicts]:
    """Every tag the models gave at least once, most removals first."""
    confirmed = {tid: (n, low) for tid, n, low in (
        ImageTag.select(ImageTag.tag, fn.COUNT(ImageTag.image), fn.MIN(ImageTag.confidence))
        .where((ImageTag.source == "user") & ImageTag.confidence.is_null(False))
        .group_by(ImageTag.tag).tuples())}
    removed = {tid: (n, high) for tid, n, high in (
        TagRejection.select(TagRejection.tag, fn.COUNT(TagRejection.image),
                            fn.MAX(TagRejection.confidence))
        .where(TagRejection.confidence.is_null(False)).group_by(TagRejection.tag).tuples())}
    pending = dict(ImageTag.select(ImageTag.tag, fn.COUNT(ImageTag.image))
                   .where(ImageTag.source == "auto").group_by(ImageTag.tag).tuples())
    paths = tag_paths()
    found = [TagVerdicts("/".join(paths[tid]), confirmed.get(tid, (0, None))[0],
                         removed.get(tid, (0, None))[0], pending.get(tid, 0),
                         confirmed.get(tid, (0, None))[1], removed.get(tid, (0, None))[1])
             for tid in {*confirmed, *removed, *pending} if tid in paths]
    return sorted(found, key=lambda v: (-v.removed, -v.confirmed, v.tag))


def auto_tags_under(minimums: dict[str, float]) -> int:
    """Auto tags in the catalog whose confidence is under their tag's minimum here."""
    paths = {"/".join(path): tid for tid, path in tag_paths().items()}
    count = 0
    for tag, minimum in minimums.items():
        if tag in paths:
            count += (ImageTag.select().where(
                (ImageTag.tag == paths[tag]) & (ImageTag.source == "auto")
                & (ImageTag.confidence < minimum)).count())
    return count
