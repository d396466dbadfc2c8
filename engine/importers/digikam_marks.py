"""digiKam's tags, pick and colour labels and rating held against what a termkam image has.

An import fills in, it never overrides: a tag termkam already has (by hand or from the file's
keywords) is there; an auto tag digiKam's user also set becomes the user's; a tag the user
removed in termkam, a pick label set by hand, a rating or colour label already known stay as
they are and are reported when digiKam says otherwise. A machine's pick label gives way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.catalog.image_marks import ImageMarks

TagPath = tuple[str, ...]


@dataclass
class MarkPlan:
    add_tags: list[TagPath] = field(default_factory=list)
    confirm_tags: list[int] = field(default_factory=list)   # auto tags that become the user's
    pick: str | None = None
    color: str | None = None
    rating: int | None = None
    present: Counter[str] = field(default_factory=Counter)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # what, termkam, dk


@dataclass(frozen=True)
class DigikamMarks:
    """What digiKam holds for one photo (or several digiKam entries of the same file)."""

    tags: Sequence[TagPath] = ()
    pick: str | None = None
    color: str | None = None
    rating: int | None = None        # 0..5; None: no rating


def _tags(plan: MarkPlan, have: ImageMarks, wanted: Sequence[TagPath],
          known: Mapping[TagPath, int]) -> None:
    for path in wanted:
        tid = known.get(path)
        sources = have.tags.get(tid, frozenset()) if tid is not None else frozenset()
        if sources & {"user", "metadata"}:
            plan.present["tags"] += 1
        elif tid is not None and tid in have.rejected:
            plan.conflicts.append(("tag", "removed by hand in termkam", "/".join(path)))
        elif "auto" in sources and tid is not None:
            plan.confirm_tags.append(tid)
        else:
            plan.add_tags.append(path)


def _single(plan: MarkPlan, what: str, theirs: object, ours: object) -> bool:
    """Whether digiKam's value should be set: only where termkam has none."""
    if theirs is None:
        return False
    if ours == theirs:
        plan.present[what + "s"] += 1
    elif ours is not None:
        plan.conflicts.append((what, str(ours), str(theirs)))
    return ours is None


def plan_marks(have: ImageMarks, digikam: DigikamMarks,
               known: Mapping[TagPath, int]) -> MarkPlan:
    """What to set on the image (``known``: termkam's tag paths -> ids)."""
    plan = MarkPlan()
    _tags(plan, have, digikam.tags, known)
    if digikam.pick is not None:
        if have.pick == (digikam.pick, "user"):
            plan.present["pick labels"] += 1
        elif have.pick is None or have.pick[1] != "user":
            plan.pick = digikam.pick
        else:
            plan.conflicts.append(("pick label", have.pick[0], digikam.pick))
    if _single(plan, "colour label", digikam.color, have.color_label):
        plan.color = digikam.color
    if _single(plan, "rating", digikam.rating, have.rating):
        plan.rating = digikam.rating
    return plan
