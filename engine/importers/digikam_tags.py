"""digiKam's tag tree sorted out: its internal tags and the labels they stand for, persons and
the People tree, and the user's own tags as termkam tag paths.

digiKam keeps pick and colour labels as internal tags under ``_Digikam_Internal_Tags_``
("Pick Label Accepted", "Color Label Red" ...; their names are never translated). A person is
a tag with the ``person`` property (its value is the full name); the special Unknown,
Unconfirmed and Ignored persons carry ``unknownPerson``, ``unconfirmedPerson`` and
``ignoredPerson``, and their parent is the People tag (its name is translated, hence found
this way, or as a top-level "People").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.catalog.ratings import COLOR_LABELS
from engine.errors import TermkamError
from engine.validation import cleaned, tag_path

from .digikam_db import DkTag

INTERNAL_ROOT = "_Digikam_Internal_Tags_"
PICK_LABELS = {"Pick Label Rejected": "rejected", "Pick Label Pending": "pending",
               "Pick Label Accepted": "accepted"}
COLOR_TAGS = {f"Color Label {color.title()}": color for color in COLOR_LABELS}
SPECIAL = ("unknownPerson", "unconfirmedPerson", "ignoredPerson")


@dataclass
class TagIndex:
    persons: dict[int, str] = field(default_factory=dict)    # person tag -> name
    ignored: set[int] = field(default_factory=set)           # the Ignored person
    unnamed: set[int] = field(default_factory=set)           # Unknown, Unconfirmed
    pick: dict[int, str] = field(default_factory=dict)
    color: dict[int, str] = field(default_factory=dict)
    user: dict[int, tuple[str, ...]] = field(default_factory=dict)
    bad: dict[int, str] = field(default_factory=dict)        # user tags termkam cannot hold

    def labels(self, tag_ids: Iterable[int]) -> tuple[str | None, str | None]:
        """(pick label, colour label) an image's tags give it; None where they give none."""
        ids = sorted(tag_ids)
        pick = next((self.pick[t] for t in ids if t in self.pick), None)
        color = next((self.color[t] for t in ids if t in self.color), None)
        return pick, color

    def user_paths(self, tag_ids: Iterable[int]) -> list[tuple[str, ...]]:
        return sorted({self.user[t] for t in tag_ids if t in self.user})

    def face_name(self, tag_id: int) -> str | None:
        """The name a face region on this tag gives, if it names someone."""
        return self.persons.get(tag_id)


def _chain(tags: Mapping[int, DkTag], tid: int) -> list[DkTag]:
    """The tag and its ancestors, top first (a broken or cyclic tree stops the walk)."""
    chain: list[DkTag] = []
    seen: set[int] = set()
    while tid in tags and tid not in seen:
        seen.add(tid)
        chain.append(tags[tid])
        tid = tags[tid].pid
    return chain[::-1]


def index_tags(tags: Mapping[int, DkTag],
               properties: Mapping[int, Mapping[str, str | None]]) -> TagIndex:
    """Sort every tag of a digiKam catalog into what it means for termkam."""
    index = TagIndex()
    specials = {tid for tid, props in properties.items() if any(p in props for p in SPECIAL)}
    people = {tags[t].pid for t in specials if t in tags and tags[t].pid} | {
        t.id for t in tags.values() if t.pid == 0 and t.name == "People"}
    for tid, tag in tags.items():
        props = properties.get(tid, {})
        chain = _chain(tags, tid)
        if chain[0].name == INTERNAL_ROOT or "internalTag" in props:
            if tag.name in PICK_LABELS:
                index.pick[tid] = PICK_LABELS[tag.name]
            elif tag.name in COLOR_TAGS:
                index.color[tid] = COLOR_TAGS[tag.name]
        elif tid in specials:
            (index.ignored if "ignoredPerson" in props else index.unnamed).add(tid)
        elif "person" in props:
            name = cleaned(props["person"] or tag.name)
            if name:
                index.persons[tid] = name
        elif not any(t.id in people for t in chain):
            try:
                index.user[tid] = tag_path(cleaned(t.name) for t in chain)
            except TermkamError as error:
                index.bad[tid] = f"{'/'.join(t.name for t in chain)}: {error}"
    return index
