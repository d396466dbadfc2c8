"""Names through similar faces: an unconfirmed face too far from a person's references is
still suggested as that person when at least two faces already suggested as that person
(directly) are very close to it, and it is not far beyond the threshold from the references.

With two confirmed faces per person the references cover few poses and lights; a person's
other photos bridge the gap. On the ORL open set (30 known people, k = 2, 20 seeds) a plain
threshold gives at best about 98.5 % of known faces named right with 98.5 % of strangers
unnamed; the direct threshold at 0.44 plus this step gives 99.4 % and 100 %, and stays at
100 % for strangers that have a single photo in the library. (Those figures are for
embeddings averaged with the mirror image; with single embeddings, the default since they
halve the embedding time, the threshold 0.46 gives 98.9 % and 99.6 % over 5 seeds.)

The link between two faces is at most ``LINK`` whatever the recognition distance: the
strangers' side collapses when it grows (0.47: 97 %, 0.5: 87 %) while the direct rule only
moves a little, so a user loosening the threshold loosens the direct rule alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .reference_set import QUERY_CHUNK, References, person_scores
from .top_persons import TopPersons

SUPPORT = 2        # close faces, all suggested as the same person, needed to name a face
LINK = 0.44        # centred cosine distance that makes two faces "close"
REACH = 0.25       # how far beyond the threshold the person's references may be
ROUNDS = 2         # faces named in round 1 may support others in round 2



def direct(person: np.ndarray, distance: np.ndarray,
           threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """The best persons within ``threshold`` (the others -1 / inf): the direct suggestions."""
    far = (person < 0) | (distance > threshold)
    return np.where(far, -1, person), np.where(far, np.inf, distance).astype(np.float32)


def extend(queries: np.ndarray, person: np.ndarray, distance: np.ndarray, refs: References,
           knn: int, threshold: float, rejected: Sequence[set[int]],
           only: set[int] | None = None, nearest: np.ndarray | None = None,
           top: TopPersons | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``person`` / ``distance`` per query row (-1 / inf: no suggestion) with faces named
    through their neighbours added; rows suggested directly (distance within ``threshold``)
    are the support. ``only`` restricts the support and the names to those persons (an
    incremental refresh after decisions about them). ``nearest``, each row's distance to its
    best person whatever the threshold, lets rows out of every person's reach be skipped
    without scoring them again; ``top``, the rows' best persons already scored, spares
    scoring them at all."""
    person, distance = person.copy(), distance.copy()
    if not len(refs) or not len(queries):
        return person, distance
    if only is not None:
        refs = refs.only(only)
        top = None if top is None else top.subset(np.isin(top.persons, refs.persons))
    support = np.flatnonzero((person >= 0) & (distance <= threshold)
                             & np.isin(person, refs.persons))
    open_rows = np.flatnonzero((person < 0) if nearest is None else
                               (person < 0) & (nearest < threshold + REACH))
    pairs = _Pairs.within_reach(queries[open_rows], refs, knn, threshold + REACH,
                                [rejected[row] for row in open_rows],
                                top=None if top is None else top.take(open_rows))
    for _ in range(ROUNDS):
        if not len(support) or not len(pairs.rows):
            break
        pairs.add_votes(queries[open_rows], queries[support], person[support],
                        min(threshold, LINK))
        named = pairs.decide()
        support = open_rows[pairs.rows[named]]
        person[support], distance[support] = pairs.persons[named], 1.0 - pairs.scores[named]
        pairs = pairs.subset(~np.isin(pairs.rows, pairs.rows[named]))
    return person, distance


def name_through(candidates: np.ndarray, support: np.ndarray, support_persons: np.ndarray,
                 refs: References, knn: int, threshold: float,
                 exclude: np.ndarray, nearest: np.ndarray,
                 top: TopPersons | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One round for faces outside the library's suggestions (leave-one-out evaluation):
    (person or -1, distance to its references) per candidate row, ``support`` being faces
    suggested directly as ``support_persons``; ``exclude`` as in ``person_scores``,
    ``nearest`` and ``top`` as in ``extend``."""
    person = np.full(len(candidates), -1, np.int64)
    distance = np.full(len(candidates), np.inf, np.float32)
    rows = np.flatnonzero(nearest < threshold + REACH)
    if not len(refs) or not len(rows) or not len(support):
        return person, distance
    pairs = _Pairs.within_reach(candidates[rows], refs, knn, threshold + REACH,
                                [set()] * len(rows), exclude[rows],
                                None if top is None else top.take(rows))
    pairs.add_votes(candidates[rows], support, support_persons, min(threshold, LINK))
    named = pairs.decide()
    person[rows[pairs.rows[named]]] = pairs.persons[named]
    distance[rows[pairs.rows[named]]] = 1.0 - pairs.scores[named]
    return person, distance


class _Pairs:
    """(candidate row, person within reach of it) pairs, with the person's score for the
    candidate and the votes of that person's suggested faces close to it."""

    def __init__(self, rows: np.ndarray, persons: np.ndarray, scores: np.ndarray,
                 votes: np.ndarray | None = None) -> None:
        self.rows, self.persons, self.scores = rows, persons, scores
        self.votes = np.zeros(len(rows), np.int32) if votes is None else votes

    @classmethod
    def within_reach(cls, candidates: np.ndarray, refs: References, knn: int, reach: float,
                     rejected: Sequence[set[int]], exclude: np.ndarray | None = None,
                     top: TopPersons | None = None) -> _Pairs:
        if top is not None:
            return cls.from_top(top, reach, rejected)
        rows, persons, scores = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [
            np.zeros(0, np.float32)]
        for start in range(0, len(candidates), QUERY_CHUNK):
            score = person_scores(candidates[start:start + QUERY_CHUNK], refs, knn,
                                  None if exclude is None else exclude[start:start + QUERY_CHUNK])
            r, c = np.nonzero(score > 1.0 - reach)
            rows.append(start + r)
            persons.append(refs.persons[c])
            scores.append(score[r, c])
        return cls.from_top(TopPersons(np.concatenate(rows), np.concatenate(persons),
                                       np.concatenate(scores)), reach, rejected)

    @classmethod
    def from_top(cls, top: TopPersons, reach: float, rejected: Sequence[set[int]]) -> _Pairs:
        """The pairs of ``top`` within ``reach``, leaving out persons rejected for a row."""
        top = top.subset(top.scores > 1.0 - reach)
        top = top.without(rejected) if any(rejected) else top
        return cls(top.rows, top.persons, top.scores)

    def subset(self, keep: np.ndarray) -> _Pairs:
        return _Pairs(self.rows[keep], self.persons[keep], self.scores[keep], self.votes[keep])

    def add_votes(self, candidates: np.ndarray, support: np.ndarray,
                  support_persons: np.ndarray, link: float) -> None:
        """Add, per pair, the ``support`` faces suggested as its person within ``link``."""
        if not len(support_persons):
            return
        order = np.argsort(self.persons, kind="stable")
        ordered = self.persons[order]
        by_person = np.argsort(support_persons, kind="stable")
        owners, starts = np.unique(support_persons[by_person], return_index=True)
        for pid, own in zip(owners, np.split(by_person, starts[1:]), strict=True):
            index = order[np.searchsorted(ordered, pid):np.searchsorted(ordered, pid, "right")]
            if len(index):
                near = candidates[self.rows[index]] @ support[own].T > 1.0 - link
                self.votes[index] += near.sum(axis=1, dtype=np.int32)

    def decide(self) -> np.ndarray:
        """Indices of the pairs whose person has, alone, the most votes among the face's
        pairs, and at least ``SUPPORT``."""
        order = np.lexsort((-self.votes, self.rows))
        rows, votes = self.rows[order], self.votes[order]
        first = np.r_[True, rows[1:] != rows[:-1]]
        last = np.r_[first[1:], True]
        runner_up = np.where(last, 0, np.r_[votes[1:], 0])
        return order[first & (votes >= SUPPORT) & (votes > runner_up)]
