"""From detector scores to one 0-100 quality figure and a pick label, like digiKam's sorter.

Each enabled detector gives a defect score d in 0..1 (``models.quality``; a learned model
gives a goodness g in 0..1, used as d = 1 - g). The figure is

    quality = 100 * product over enabled detectors of (1 - d) ** weight

so a weight of 1 lets one strong defect alone sink a photo (a badly blurred photo is
rejected however good its exposure), a weight of 0.5 softens a detector, 2 doubles it, and
small defects add up gently. Unlike a weighted mean, a photo cannot hide one ruinous defect
behind several good scores. The figure is then cut into pick labels:
``quality < reject_below`` -> rejected, ``quality >= accept_from`` -> accepted, else pending.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from engine.settings_group import check_ranges, ranged
from models.choices import QUALITY_DETECTORS as DETECTORS
from models.quality_scores import QualityScores

REJECTED, PENDING, ACCEPTED = "rejected", "pending", "accepted"
LABELS = (REJECTED, PENDING, ACCEPTED)
ALL_DETECTORS = (*sorted(DETECTORS), "learned")
_FLOOR = 1e-4  # a defect of exactly 1 would make log(0)


@dataclass(frozen=True)
class QualitySettings:
    """Which detectors run, how much each counts, and where the labels are cut.

    The defaults were chosen on graded copies of the sample photos (``bench/quality.py``):
    clean photos land at 48-95, their strongest copies (blur sigma 5, noise sigma 35, JPEG
    q 5, +-3 EV) at 18 or less; Gaussian blur sigma 2, noise sigma 20, JPEG q 15 and +-2 EV
    are mostly rejected, blur sigma 1, noise 5-10 and +-1 EV mostly pending or accepted.
    BRISQUE is on at half weight (it overlaps blur, noise and JPEG, and dislikes drawings).
    ``learned`` needs a user-installed ONNX model (``learned_model``: its path).
    """

    detect_blur: bool = True
    detect_noise: bool = True
    detect_exposure: bool = True
    detect_compression: bool = True
    detect_brisque: bool = True
    detect_learned: bool = False
    blur_weight: float = ranged(1.0, 0.0, 5.0)
    noise_weight: float = ranged(1.0, 0.0, 5.0)
    exposure_weight: float = ranged(1.0, 0.0, 5.0)
    compression_weight: float = ranged(1.0, 0.0, 5.0)
    brisque_weight: float = ranged(0.5, 0.0, 5.0)
    learned_weight: float = ranged(1.0, 0.0, 5.0)
    learned_model: str = ""
    reject_below: float = ranged(30.0, 0.0, 100.0)
    accept_from: float = ranged(60.0, 0.0, 100.0)
    working_side: int = ranged(1024, 64, 8192)

    def __post_init__(self) -> None:
        check_ranges(self)
        if self.reject_below > self.accept_from:
            raise ValueError("need reject_below <= accept_from, got "
                             f"{self.reject_below:g} and {self.accept_from:g}")
        if not self.weights():
            raise ValueError("enable at least one quality detector with a weight above 0")

    def weights(self) -> dict[str, float]:
        """Weight of every enabled detector whose weight is above 0, ``learned`` included."""
        return {name: float(getattr(self, f"{name}_weight")) for name in ALL_DETECTORS
                if getattr(self, f"detect_{name}") and getattr(self, f"{name}_weight") > 0}

    def detectors(self) -> frozenset[str]:
        """The ``models.quality`` detectors to run (``learned`` runs separately)."""
        return frozenset(self.weights()) & DETECTORS


@dataclass(frozen=True)
class Verdict:
    """The figure (0-100, 100 = best), its pick label, and the defects that went into it."""

    quality: float
    label: str
    defects: Mapping[str, float] = field(default_factory=dict)


def label_for(quality: float, settings: QualitySettings) -> str:
    """rejected below ``reject_below``, accepted from ``accept_from``, pending between."""
    if quality < settings.reject_below:
        return REJECTED
    return ACCEPTED if quality >= settings.accept_from else PENDING


def combine(scores: QualityScores, settings: QualitySettings,
            learned: float | None = None) -> Verdict:
    """The verdict for one image from its detector scores (and a learned goodness 0..1).

    Enabled detectors without a score (not run, or no learned model) are left out; if none
    of the enabled detectors has a score, ValueError.
    """
    defects = {name: value for name, value in scores.defects().items()
               if name in settings.weights()}
    if learned is not None and "learned" in settings.weights():
        defects["learned"] = 1.0 - min(max(float(learned), 0.0), 1.0)
    if not defects:
        raise ValueError("none of the enabled quality detectors has a score for this image")
    weights = settings.weights()
    log_quality = sum(weights[name] * math.log(max(1.0 - d, _FLOOR))
                      for name, d in defects.items())
    quality = round(100.0 * math.exp(log_quality), 2)
    return Verdict(quality, label_for(quality, settings),
                   {name: round(d, 4) for name, d in defects.items()})


def figures(defects: np.ndarray, names: Sequence[str], settings: QualitySettings
            ) -> np.ndarray:
    """``combine``'s quality figure for many photos at once: ``defects`` is (photos, names)
    with NaN where a detector has no score; NaN for a photo none of whose enabled detectors
    was scored."""
    weights = settings.weights()
    total = np.zeros(len(defects))
    scored = np.zeros(len(defects), bool)
    for column, name in enumerate(names):
        if name not in weights:
            continue
        values = defects[:, column]
        present = ~np.isnan(values)
        kept = np.log(np.maximum(1.0 - np.clip(values[present], 0.0, 1.0), _FLOOR))
        total[present] += weights[name] * kept
        scored |= present
    return np.where(scored, np.round(100.0 * np.exp(total), 2), np.nan)


def labels_for(quality: np.ndarray, settings: QualitySettings) -> np.ndarray:
    """``label_for`` of many figures: indices into ``LABELS``."""
    return np.where(quality < settings.reject_below, 0,
                    np.where(quality >= settings.accept_from, 2, 1))


def setting_names() -> tuple[str, ...]:
    """The settings' field names, in declaration order (for the CLI and the settings pane)."""
    return tuple(f.name for f in fields(QualitySettings))
