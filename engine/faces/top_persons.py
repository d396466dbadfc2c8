"""Each face's few best persons with their scores, kept so that names through similar faces
(``support``) can be worked out again at another distance without scoring the faces again:
what makes a threshold preview quick on a large library.

Only the ``TOP`` best persons of a face are kept. A face can then be named through similar
faces only as one of its ``TOP`` best persons; with as many persons as that or fewer (and in
practice beyond) this is exactly what scoring every person gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .reference_set import QUERY_CHUNK, References, person_scores

TOP = 8


@dataclass(frozen=True)
class TopPersons:
    """(row, person, score) triples sorted by row (``top_persons``: best score first)."""

    rows: np.ndarray
    persons: np.ndarray
    scores: np.ndarray

    def subset(self, keep: np.ndarray) -> TopPersons:
        return TopPersons(self.rows[keep], self.persons[keep], self.scores[keep])

    def take(self, rows: np.ndarray) -> TopPersons:
        """The triples of ``rows``, renumbered by their position in ``rows``."""
        size = max(int(self.rows.max(initial=-1)), int(rows.max(initial=-1))) + 1
        position = np.full(size, -1, np.int64)
        position[rows] = np.arange(len(rows))
        moved = self.subset(position[self.rows] >= 0)
        new = position[moved.rows]
        order = np.argsort(new, kind="stable")
        return TopPersons(new[order], moved.persons[order], moved.scores[order])

    def without(self, banned: Sequence[set[int]]) -> TopPersons:
        """The triples whose person is not banned for their row."""
        keep = np.fromiter((int(p) not in banned[r] for r, p in zip(self.rows, self.persons,
                                                                     strict=True)),
                           bool, len(self.rows))
        return self.subset(keep)

    def best(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(best person or -1, its distance or inf) for rows 0 .. count - 1."""
        person = np.full(count, -1, np.int64)
        distance = np.full(count, np.inf, np.float32)
        first = np.r_[True, self.rows[1:] != self.rows[:-1]][:len(self.rows)]
        person[self.rows[first]] = self.persons[first]
        distance[self.rows[first]] = 1.0 - self.scores[first]
        return person, distance


def top_persons(queries: np.ndarray, refs: References, knn: int,
                banned: Sequence[set[int]] | None = None, exclude: np.ndarray | None = None,
                keep: int = TOP) -> TopPersons:
    """The ``keep`` best persons of each query, leaving out its ``banned`` persons;
    ``exclude`` as in ``person_scores`` (leave-one-out)."""
    rows, persons, scores = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [
        np.zeros(0, np.float32)]
    k = min(keep, len(refs.persons))
    for start in range(0, len(queries) if k else 0, QUERY_CHUNK):
        score = person_scores(queries[start:start + QUERY_CHUNK], refs, knn,
                              None if exclude is None else exclude[start:start + QUERY_CHUNK])
        for row, out in enumerate((banned or [])[start:start + QUERY_CHUNK]):
            if out:
                score[row, np.isin(refs.persons, list(out))] = -np.inf
        columns = np.argpartition(-score, k - 1, axis=1)[:, :k]
        picked = np.take_along_axis(score, columns, axis=1)
        order = np.lexsort((columns, -picked), axis=1)      # best first, ties: lowest person
        columns = np.take_along_axis(columns, order, axis=1)
        picked = np.take_along_axis(picked, order, axis=1)
        found = np.isfinite(picked)
        rows.append(start + np.nonzero(found)[0])
        persons.append(refs.persons[columns[found]])
        scores.append(picked[found])
    return TopPersons(np.concatenate(rows), np.concatenate(persons), np.concatenate(scores))
