"""The tag vocabulary: model labels -> tags a person browses (``Animals/Cat``, ``Places/Beach``).

Read once from ``labels/tag_vocabulary.tsv``. COCO labels are matched by name (SSD and YOLOX
number the classes differently but share the names), ImageNet labels by class id (ImageNet
names repeat). Labels the file does not list give no tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Protocol

from models.errors import ModelError
from models.labels import LABELS_DIR

VOCABULARY_FILE = LABELS_DIR / "tag_vocabulary.tsv"
SOURCES: Mapping[str, str] = {
    "ssd_mobilenet_v2_coco": "coco", "yolox_nano": "coco", "efficientnet_lite3": "imagenet"}
_BY_ID = {"imagenet"}
OFF = "off"     # a min_score that turns a row off by default
Selection = str | Iterable[str] | None


class Labelled(Protocol):
    """What ``tags_of`` reads from a model result (DetectedObject, ClassLabel)."""

    @property
    def label(self) -> str: ...
    @property
    def class_id(self) -> int: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Entry:
    """One vocabulary row: a label of ``source`` gives ``tag`` when it scores >= min_score.
    A row whose min_score is None is off unless the tag itself is selected (``only``)."""

    source: str
    key: str
    tag: str
    min_score: float | None

    def allowed(self, selection: frozenset[str] | None) -> bool:
        """Whether this row may give its tag under ``selection`` (see ``parse_selection``)."""
        if self.min_score is None:
            return selection is not None and self.tag in selection
        return selected(self.tag, selection)


@cache
def entries() -> Mapping[tuple[str, str], tuple[Entry, ...]]:
    """Every row by (source, key), read and checked once; a bad row raises ValueError."""
    found: dict[tuple[str, str], list[Entry]] = {}
    for number, line in enumerate(VOCABULARY_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{VOCABULARY_FILE.name} line {number}"
        if len(fields) < 4 or fields[0] not in set(SOURCES.values()):
            raise ValueError(f"{where}: expected source, key, tag, min_score: {line!r}")
        source, key, tag, minimum = (field.strip() for field in fields[:4])
        if tag.count("/") != 1 or not all(tag.split("/")):
            raise ValueError(f"{where}: tag {tag!r} is not Group/Tag")
        if source in _BY_ID and not key.isdigit():
            raise ValueError(f"{where}: {source} keys are class ids, got {key!r}")
        score = None if minimum == OFF else float(minimum)
        if score is not None and not 0.0 <= score <= 1.0:
            raise ValueError(f"{where}: min_score {minimum} is outside 0..1")
        rows = found.setdefault((source, key), [])
        if any(row.tag == tag for row in rows):
            raise ValueError(f"{where}: {source} {key!r} -> {tag} appears twice")
        rows.append(Entry(source, key, tag, score))
    return MappingProxyType({key: tuple(rows) for key, rows in found.items()})


def source_of(model_id: str) -> str:
    """The label source (``coco`` | ``imagenet``) of a tagging model; ModelError if none."""
    try:
        return SOURCES[model_id]
    except KeyError:
        raise ModelError(f"'{model_id}' has no tag vocabulary "
                         f"(known: {', '.join(SOURCES)})") from None


def all_tags(model_id: str | None = None) -> list[str]:
    """Every tag path of ``model_id``'s vocabulary (of all models when None), sorted."""
    sources = set(SOURCES.values()) if model_id is None else {source_of(model_id)}
    return sorted({row.tag for (source, _), rows in entries().items() if source in sources
                   for row in rows})


def tag_tree(model_id: str | None = None) -> dict[str, list[str]]:
    """Group -> its tag paths, e.g. ``{"Animals": ["Animals/Bird", ...], ...}``, for a UI
    that offers a class selection."""
    tree: dict[str, list[str]] = {}
    for tag in all_tags(model_id):
        tree.setdefault(tag.split("/", 1)[0], []).append(tag)
    return tree


def parse_selection(selection: Selection) -> frozenset[str] | None:
    """Groups and tags to keep, from ``"Animals, Vehicles/Car"`` or a list; None keeps all.

    An empty string also keeps all; an empty list keeps nothing. Names match
    case-insensitively and come back as spelled in the vocabulary; a name that is neither a
    group nor a tag of any model raises ValueError naming it.
    """
    if selection is None or (isinstance(selection, str) and not selection.strip()):
        return None
    names = selection.split(",") if isinstance(selection, str) else list(selection)
    known = _known_names()
    picked, unknown = set(), []
    for name in (name.strip() for name in names):
        if name:
            if name.casefold() in known:
                picked.add(known[name.casefold()])
            else:
                unknown.append(name)
    if unknown:
        raise ValueError(f"unknown tag or group: {', '.join(unknown)} "
                         f"(groups: {', '.join(tag_tree())})")
    return frozenset(picked)


@cache
def _known_names() -> Mapping[str, str]:
    """Every tag and group, by its case-folded name (read once: parse_selection runs for
    every photo the tagger decides on)."""
    return MappingProxyType({name.casefold(): name for name in [*all_tags(), *tag_tree()]})


def selected(tag: str, selection: frozenset[str] | None) -> bool:
    """True when ``tag`` is in ``selection``: itself, or its group."""
    return selection is None or tag in selection or tag.split("/", 1)[0] in selection


def _key(source: str, item: Labelled) -> tuple[str, str]:
    return source, str(item.class_id) if source in _BY_ID else item.label


def tags_of(model_id: str, item: Labelled, selection: frozenset[str] | None = None
            ) -> list[tuple[str, float]]:
    """(tag, its minimum) for each tag one model result may give under ``selection``."""
    source = source_of(model_id)
    return [(row.tag, row.min_score or 0.0) for row in entries().get(_key(source, item), ())
            if row.allowed(selection)]


def class_shares(model_id: str, labels: Iterable[Labelled],
                 selection: frozenset[str] | None = None) -> dict[str, float]:
    """A classifier's scores summed by tag (every dog breed counts for Animals/Dog)."""
    shares: dict[str, float] = {}
    for item in labels:
        for tag, _ in tags_of(model_id, item, selection):
            shares[tag] = shares.get(tag, 0.0) + float(item.score)
    return shares


@cache
def _tag_minimums(source: str) -> Mapping[str, float]:
    found: dict[str, float] = {}
    for (row_source, _), rows in entries().items():
        for row in rows:
            if row_source == source:
                found[row.tag] = max(found.get(row.tag, 0.0), row.min_score or 0.0)
    return MappingProxyType(found)


def tag_minimum(model_id: str, tag: str) -> float:
    """The least summed share (classifier) or score a tag of this model needs."""
    return _tag_minimums(source_of(model_id)).get(tag, 0.0)


@cache
def _shared() -> frozenset[str]:
    by_source: dict[str, set[str]] = {}
    for (source, _), rows in entries().items():
        by_source.setdefault(source, set()).update(row.tag for row in rows)
    return frozenset(set.intersection(*by_source.values())) if by_source else frozenset()


def shared(tag: str) -> bool:
    """Whether both kinds of model (detector and classifier) can give ``tag``."""
    return tag in _shared()
