"""How well recognition works on the user's own confirmed faces: leave-one-out accuracy, and
precision and recall of suggestions at the current threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .recognition import QUERY_CHUNK, References, person_scores
from .settings import FaceSettings


@dataclass(frozen=True)
class Evaluation:
    faces: int                 # confirmed faces that could be tested
    persons: int
    accuracy: float            # top-1, ignoring the threshold
    suggested: float           # share of faces that would get a suggestion at the threshold
    precision: float           # share of those suggestions that are right
    recall: float              # right suggestions / faces

    def lines(self, threshold: float) -> list[str]:
        return [f"{self.faces} confirmed faces of {self.persons} persons (leave-one-out)",
                f"top-1 accuracy          {100 * self.accuracy:.1f} %",
                f"at distance <= {threshold:.2f}:  {100 * self.suggested:.1f} % get a suggestion, "
                f"precision {100 * self.precision:.1f} %, recall {100 * self.recall:.1f} %"]


def leave_one_out(refs: References, knn: int, threshold: float) -> Evaluation:
    """Predict every reference face from all the others."""
    # A person with a single face cannot be recognised without it: test persons with >= 2.
    counts = np.diff(refs.starts)
    testable = np.isin(refs.person_ids, refs.persons[counts >= 2])
    rows = np.flatnonzero(testable)
    if not len(rows):
        return Evaluation(0, 0, 0.0, 0.0, 0.0, 0.0)
    predicted = np.empty(len(rows), np.int64)
    distance = np.empty(len(rows), np.float32)
    for start in range(0, len(rows), QUERY_CHUNK):
        chunk = rows[start:start + QUERY_CHUNK]
        scores = person_scores(refs.vectors[chunk], refs, knn, exclude=chunk)
        best = scores.argmax(axis=1)
        predicted[start:start + len(chunk)] = refs.persons[best]
        distance[start:start + len(chunk)] = 1.0 - scores[np.arange(len(chunk)), best]
    truth = refs.person_ids[rows]
    right = predicted == truth
    shown = distance <= threshold
    return Evaluation(
        faces=len(rows), persons=int((counts >= 2).sum()), accuracy=float(right.mean()),
        suggested=float(shown.mean()),
        precision=float(right[shown].mean()) if shown.any() else 1.0,
        recall=float((right & shown).mean()))


def evaluate(settings: FaceSettings, refs: References) -> Evaluation:
    return leave_one_out(refs, settings.knn, settings.recognition_distance)
