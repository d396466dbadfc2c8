"""The quality part of the engine facade: scores and labels per photo, settings, and the
preview of what other weights and thresholds would do (from the stored scores, no decoding)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.catalog import Library, images, picks
from engine.catalog.records import ImageRecord
from models.quality import DETECTORS, QualityScores

from . import settings as quality_settings
from .scoring import LABELS, QualitySettings, combine


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


def recombine(stored: dict[str, Any], settings: QualitySettings) -> tuple[float, str] | None:
    """(figure, label) of stored scores under other settings; None if none of the enabled
    detectors was scored for that photo."""
    scores = QualityScores(**{name: stored.get(name) for name in DETECTORS})  # type: ignore[arg-type]
    learned = stored.get("learned")
    try:
        verdict = combine(scores, settings, None if learned is None else 1.0 - learned)
    except ValueError:
        return None
    return verdict.quality, verdict.label


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
    labels = picks.labels()
    counts = dict.fromkeys(LABELS, 0)
    by_user = changed = 0
    stored = picks.all_scores()
    for image_id, scores in stored.items():
        label, source = labels.get(image_id, (None, None))
        if source == "user" and label is not None:
            by_user += 1
            counts[label] += 1
            continue
        verdict = recombine(scores, settings)
        if verdict is None:
            continue
        counts[verdict[1]] += 1
        changed += verdict[1] != label
    return LabelPreview(counts, len(stored), by_user, changed)
