"""Label data carried beside the code: COCO class lists and the tag vocabulary.

A package (not a bare folder) so its ``.txt`` / ``.tsv`` files ship in the wheel.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

LABELS_DIR = Path(__file__).resolve().parent
UNUSED = "-"


@cache
def class_names(name: str) -> Mapping[int, str]:
    """Class id -> name from ``<name>.txt`` here (``coco90``, ``coco80``).

    Lines are ``id<TAB>name``; ``#`` starts a comment; ids whose name is ``-`` are left out.
    """
    names: dict[int, str] = {}
    for number, line in enumerate((LABELS_DIR / f"{name}.txt").read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        key, _, label = text.partition("\t")
        if not key.isdigit() or not label.strip():
            raise ValueError(f"{name}.txt line {number}: expected 'id<TAB>name', got {line!r}")
        if int(key) in names:
            raise ValueError(f"{name}.txt line {number}: id {key} appears twice")
        if label.strip() != UNUSED:
            names[int(key)] = label.strip()
    return MappingProxyType(names)
