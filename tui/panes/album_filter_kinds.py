"""The filters of the Albums pane a user sets from a prompt: each a ``Filters`` field, a title,
and its choices read from the catalog (None: free text). A later filter plugs in as one more
``FilterKind`` and a binding in the pane."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.engine import Engine

from ..widgets.photo_info import stars

# (label in the list, what the filter bar shows, the Filters value)
Choice = tuple[str, str, Any]


@dataclass(frozen=True)
class FilterKind:
    """A filter the user sets from a prompt: a ``Filters`` field, a title and its choices
    (None: free text)."""

    field: str
    title: str
    prompt: str
    choices: Callable[[Engine], list[Choice]] | None = None


def _tag_choices(engine: Engine) -> list[Choice]:
    return [(f"{'/'.join(tag.path)}  ({n})", "/".join(tag.path), tag.path)
            for tag, n in engine.tag_counts() if n]


def _person_choices(engine: Engine) -> list[Choice]:
    return [(f"{p.name}  ({p.confirmed} confirmed)", p.name, p.id)
            for p in engine.faces.persons()]


def _auto_tag_choices(engine: Engine) -> list[Choice]:
    return [(f"{'/'.join(tag.path)}  ({n})", "/".join(tag.path), tag.path)
            for tag, n in engine.browse.tag_counts("auto") if n]


def _pick_choices(engine: Engine) -> list[Choice]:
    return [(f"{label}  ({n})", label, label)
            for label, n in engine.browse.pick_counts().items()]


_RATING_NAMES = {5: "5 stars", 0: "no stars", -1: "rejected"}


def _rating_choices(engine: Engine) -> list[Choice]:
    """"n+ stars" (at least n) for 5..1, then "no stars" and "rejected"; empty ones left out."""
    counts = engine.browse.rating_counts()
    choices = []
    for n in range(5, -2, -1):
        count = sum(c for r, c in counts.items() if r >= n) if n > 0 else counts.get(n, 0)
        shown = _RATING_NAMES.get(n, f"{n}+ stars")
        if count:
            listed = f"{stars(n)}  {shown}" if n > 0 else shown
            choices.append((f"{listed}  ({count})", shown, n))
    return choices


def _color_choices(engine: Engine) -> list[Choice]:
    return [(f"{label}  ({n})", label, label)
            for label, n in engine.browse.color_label_counts().items()]


FILTERS: dict[str, FilterKind] = {k.field: k for k in (
    FilterKind("text", "Text", "Photos whose file name or folder contains:"),
    FilterKind("tag", "Tag", "Photos with the tag (or a tag under it):", _tag_choices),
    FilterKind("auto_tag", "Auto tag", "Photos the models tagged with:", _auto_tag_choices),
    FilterKind("person_id", "Person", "Photos with the confirmed face of:", _person_choices),
    FilterKind("pick", "Pick", "Photos with the pick label:", _pick_choices),
    FilterKind("rating", "Rating", "Photos rated:", _rating_choices),
    FilterKind("color_label", "Colour", "Photos with the colour label:", _color_choices),
)}
PICKS = ("rejected", "pending", "accepted")
# filters whose matches a tool's results can change
RESULT_FILTERS = ("tag", "auto_tag", "pick", "person_id", "rating", "color_label")
