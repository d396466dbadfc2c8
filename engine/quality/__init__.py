"""Image quality sorter: scores from ``models.quality`` combined into a figure and a pick label."""

from engine.quality.scoring import (
    ACCEPTED,
    LABELS,
    PENDING,
    REJECTED,
    QualitySettings,
    Verdict,
    combine,
    label_for,
)

__all__ = ["ACCEPTED", "LABELS", "PENDING", "REJECTED", "QualitySettings", "Verdict", "combine",
           "label_for"]
