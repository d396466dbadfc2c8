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
Selection = str | Iterable[str] | None


class Labelled(Protocol):
    """What ``tags_for`` reads from a model result (DetectedObject, ClassLabel)."""

    @property
    def label(self) -> str: ...
    @property
    def class_id(self) -> int: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Entry:
    """One vocabulary row: a label of ``source`` gives ``tag`` when it scores >= min_score."""

    source: str
    key: str
    tag: str
    min_score: float


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
        score = float(minimum)
        if not 0.0 <= score <= 1.0:
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
    known = {name.casefold(): name for name in [*all_tags(), *tag_tree()]}
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


def selected(tag: str, selection: frozenset[str] | None) -> bool:
    """True when ``tag`` is in ``selection``: itself, or its group."""
    return selection is None or tag in selection or tag.split("/", 1)[0] in selection


def tags_for(model_id: str, labels: Iterable[Labelled], only: Selection = None
             ) -> list[tuple[str, float]]:
    """(tag path, score) for a model's results on one image, best first.

    Each label maps through the vocabulary; a tag needs its row's ``min_score`` (on top of
    whatever ``min_score`` the model was run with: run the classifier with ``min_score=0``
    to let the lower per-tag minimums work); labels that collapse into one tag keep the
    highest score; ``only`` (see ``parse_selection``) keeps the chosen tags and groups.
    """
    source = source_of(model_id)
    selection = parse_selection(only)
    table = entries()
    best: dict[str, float] = {}
    for item in labels:
        key = str(item.class_id) if source in _BY_ID else item.label
        for row in table.get((source, key), ()):
            if item.score >= row.min_score and selected(row.tag, selection):
                best[row.tag] = max(best.get(row.tag, 0.0), float(item.score))
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))
