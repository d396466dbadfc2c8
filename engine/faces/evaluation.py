"""How well recognition works on the user's own confirmed faces: leave-one-out accuracy, and
precision and recall of suggestions at a threshold.

Each confirmed face is predicted from the other confirmed faces, as if it were unconfirmed:
directly when its best person is within the threshold, else through similar faces (the
unconfirmed faces suggested directly, see ``support``), like ``recognition.suggest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import support
from .reference_set import References
from .top_persons import TopPersons, top_persons

if TYPE_CHECKING:
    from .stranger_estimate import StrangerEstimate


@dataclass(frozen=True)
class Evaluation:
    faces: int                 # confirmed faces that could be tested
    persons: int
    accuracy: float            # top-1, ignoring the threshold
    suggested: float           # share of faces that would get a suggestion at the threshold
    precision: float           # share of those suggestions that are right
    recall: float              # right suggestions / faces
    strangers: StrangerEstimate | None = None   # persons held out: their faces named wrongly

    def lines(self, threshold: float) -> list[str]:
        out = [f"{self.faces} confirmed faces of {self.persons} persons (leave-one-out)",
               f"top-1 accuracy          {100 * self.accuracy:.1f} %",
               f"at distance <= {threshold:.2f}:  {100 * self.suggested:.1f} % get a suggestion, "
               f"precision {100 * self.precision:.1f} %, recall {100 * self.recall:.1f} %"]
        if self.strangers is not None and self.strangers.of_persons >= 2:
            est = self.strangers
            held = (f"a random {est.persons} of the {est.of_persons} persons" if est.sampled
                    else f"each of the {est.persons} persons")
            out.append(f"as strangers ({held} held out in turn): {est.named} of {est.faces} "
                       f"faces ({100 * est.share:.1f} %) would get a wrong name")
        return out


@dataclass(frozen=True)
class Unconfirmed:
    """The unconfirmed faces' centred vectors and their best person by the references."""

    vectors: np.ndarray
    person: np.ndarray          # -1: no person (none left after rejections)
    distance: np.ndarray
    top: TopPersons | None = None   # their best persons, for names through similar faces


@dataclass(frozen=True)
class LeaveOneOut:
    """Each tested reference face's best other person, whatever the threshold."""

    rows: np.ndarray            # reference rows tested (persons with two faces or more)
    predicted: np.ndarray
    distance: np.ndarray
    truth: np.ndarray
    persons: int
    top: TopPersons             # each tested face's best other persons


def leave_one_out(refs: References, knn: int) -> LeaveOneOut:
    """Predict every reference face from all the others."""
    # A person with a single face cannot be recognised without it: test persons with >= 2.
    counts = np.diff(refs.starts)
    rows = np.flatnonzero(np.isin(refs.person_ids, refs.persons[counts >= 2]))
    top = top_persons(refs.vectors[rows], refs, knn, exclude=rows)
    predicted, distance = top.best(len(rows))
    return LeaveOneOut(rows, predicted, distance, refs.person_ids[rows],
                       int((counts >= 2).sum()), top)


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
            nearest=loo.distance[missing], top=loo.top.take(missing))
        through = missing[person >= 0]
        predicted[through], shown[through] = person[person >= 0], True
    right = predicted == loo.truth
    return Evaluation(
        faces=len(loo.rows), persons=loo.persons,
        accuracy=float((loo.predicted == loo.truth).mean()), suggested=float(shown.mean()),
        precision=float(right[shown].mean()) if shown.any() else 1.0,
        recall=float((right & shown).mean()))
