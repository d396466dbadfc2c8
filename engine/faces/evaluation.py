"""How well recognition works on the user's own confirmed faces: leave-one-out accuracy, and
precision and recall of suggestions at a threshold.

Each confirmed face is predicted from the other confirmed faces, as if it were unconfirmed:
directly when its best person is within the threshold, else through similar faces (the
unconfirmed faces suggested directly, see ``support``), like ``recognition.suggest``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import support
from .reference_set import QUERY_CHUNK, References, person_scores


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


@dataclass(frozen=True)
class Unconfirmed:
    """The unconfirmed faces' centred vectors and their best person by the references."""

    vectors: np.ndarray
    person: np.ndarray          # -1: no person (none left after rejections)
    distance: np.ndarray


@dataclass(frozen=True)
class LeaveOneOut:
    """Each tested reference face's best other person, whatever the threshold."""

    rows: np.ndarray            # reference rows tested (persons with two faces or more)
    predicted: np.ndarray
    distance: np.ndarray
    truth: np.ndarray
    persons: int


def leave_one_out(refs: References, knn: int) -> LeaveOneOut:
    """Predict every reference face from all the others."""
    # A person with a single face cannot be recognised without it: test persons with >= 2.
    counts = np.diff(refs.starts)
    rows = np.flatnonzero(np.isin(refs.person_ids, refs.persons[counts >= 2]))
    predicted = np.empty(len(rows), np.int64)
    distance = np.empty(len(rows), np.float32)
    for start in range(0, len(rows), QUERY_CHUNK):
        chunk = rows[start:start + QUERY_CHUNK]
        scores = person_scores(refs.vectors[chunk], refs, knn, exclude=chunk)
        best = scores.argmax(axis=1)
        predicted[start:start + len(chunk)] = refs.persons[best]
        distance[start:start + len(chunk)] = 1.0 - scores[np.arange(len(chunk)), best]
    return LeaveOneOut(rows, predicted, distance, refs.person_ids[rows],
                       int((counts >= 2).sum()))


def at_threshold(loo: LeaveOneOut, refs: References, knn: int, threshold: float,
                 unconfirmed: Unconfirmed | None = None) -> Evaluation:
    """Accuracy, and precision / recall of the suggestions ``threshold`` would give."""
    if not len(loo.rows):
        return Evaluation(0, 0, 0.0, 0.0, 0.0, 0.0)
    shown = loo.distance <= threshold
    predicted = loo.predicted.copy()
    if unconfirmed is not None and not shown.all():
        direct = (unconfirmed.person >= 0) & (unconfirmed.distance <= threshold)
        missing = np.flatnonzero(~shown)
        person, _ = support.name_through(
            refs.vectors[loo.rows[missing]], unconfirmed.vectors[direct],
            unconfirmed.person[direct], refs, knn, threshold, exclude=loo.rows[missing],
            nearest=loo.distance[missing])
        through = missing[person >= 0]
        predicted[through], shown[through] = person[person >= 0], True
    right = predicted == loo.truth
    return Evaluation(
        faces=len(loo.rows), persons=loo.persons,
        accuracy=float((loo.predicted == loo.truth).mean()), suggested=float(shown.mean()),
        precision=float(right[shown].mean()) if shown.any() else 1.0,
        recall=float((right & shown).mean()))
