"""The quality part of the engine facade: scores and labels per photo, settings, and the
preview of what other weights and thresholds would do (from the stored scores, no decoding)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine.catalog import Library, images, picks
from engine.catalog.records import ImageRecord
from models.choices import QUALITY_DETECTORS as DETECTORS

from . import settings as quality_settings
from .scoring import LABELS, QualitySettings, figures, labels_for


@dataclass(frozen=True)
class QualityRow:
    record: ImageRecord
    scores: dict[str, Any]            # detector defects 0..1 and raw measures
    figure: float
    label: str | None
    label_source: str | None


@dataclass(frozen=True)
class LabelPreview:
    """How many scored photos would carry each label; the user's own labels never move."""

    counts: dict[str, int]
    scored: int
    by_user: int
    changed: int                      # machine labels that would differ from the stored ones


SCORED = (*sorted(DETECTORS), "learned")  # the defect columns a preview recombines


class ScoreMatrix:
    """Every stored defect score as one (photos, SCORED) array, read again only when the
    scores table changes: a preview is then a few array operations, not a loop in Python."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.ids = np.zeros(0, np.int64)
        self.defects = np.zeros((0, len(SCORED)))

    def get(self) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            stamp = picks.scores_stamp()
            if stamp != self._stamp:
                stored = picks.all_scores()
                self.ids = np.fromiter(stored, np.int64, len(stored))
                self.defects = np.array(
                    [[np.nan if (v := scores.get(name)) is None else v for name in SCORED]
                     for scores in stored.values()], float).reshape(len(stored), len(SCORED))
                self._stamp = stamp
            return self.ids, self.defects


MATRIX = ScoreMatrix()


class QualityService:
    def __init__(self, library: Library) -> None:
        self.library = library

    def rows(self) -> list[QualityRow]:
        """Every scored photo, in path order."""
        scored = picks.all_quality()
        labels = picks.labels()
        found = [QualityRow(r, *scored[r.id], *labels.get(r.id, (None, None)))
                 for r in images.list_images(status="ok") if r.id in scored]
        return sorted(found, key=lambda row: row.record.path)

    def settings(self) -> QualitySettings:
        return quality_settings.load()

    def set_setting(self, name: str, value: Any) -> Any:
        """Store one setting (checked); the value as stored."""
        return quality_settings.GROUP.update(self.library, name, value)

    @staticmethod
    def preview(**changes: Any) -> LabelPreview:
        """Label counts if the settings had ``changes`` (e.g. reject_below=40)."""
        return label_preview(replace(quality_settings.load(), **changes))


def label_preview(settings: QualitySettings) -> LabelPreview:
    """How the scored photos would be labelled with ``settings``."""
    ids, defects = MATRIX.get()
    stored = picks.labels()
    current = [stored.get(int(image_id), (None, None)) for image_id in ids]
    by_user = np.array([source == "user" for _, source in current], bool)
    quality = figures(defects, SCORED, settings)
    machine = ~by_user & ~np.isnan(quality)
    new = np.array(LABELS)[labels_for(np.nan_to_num(quality), settings)]
    counts = dict.fromkeys(LABELS, 0)
    for label in new[machine]:
        counts[label] += 1
    for (label, _), mine in zip(current, by_user, strict=True):
        if mine and label is not None:
            counts[label] += 1
    changed = int(sum(new[row] != current[row][0] for row in np.flatnonzero(machine)))
    return LabelPreview(counts, len(ids), int(by_user.sum()), changed)
