"""The reference faces recognition compares with (confirmed faces grouped by person), and the
score of a face for each person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

QUERY_CHUNK = 2048   # query rows scored at once: a (chunk x references) matrix


@dataclass(frozen=True)
class References:
    """Reference faces grouped by person: rows of ``vectors`` sorted by person id."""

    face_ids: np.ndarray
    person_ids: np.ndarray          # per row
    vectors: np.ndarray             # (n, d) unit rows
    persons: np.ndarray             # distinct person ids, ascending
    starts: np.ndarray              # row where each person's block starts (len persons + 1)

    @classmethod
    def build(cls, face_ids: Sequence[int] | np.ndarray, person_ids: Sequence[int] | np.ndarray,
              vectors: np.ndarray) -> References:
        order = np.argsort(np.asarray(person_ids, np.int64), kind="stable")
        pids = np.asarray(person_ids, np.int64)[order]
        persons, starts = np.unique(pids, return_index=True)
        return cls(np.asarray(face_ids, np.int64)[order], pids,
                   np.ascontiguousarray(vectors[order], np.float32), persons,
                   np.append(starts, len(pids)))

    def __len__(self) -> int:
        return len(self.face_ids)

    def only(self, keep: Iterable[int]) -> References:
        mask = np.isin(self.person_ids, np.fromiter(keep, np.int64))
        return References.build(self.face_ids[mask], self.person_ids[mask], self.vectors[mask])


def person_scores(queries: np.ndarray, refs: References, knn: int,
                  exclude: np.ndarray | None = None) -> np.ndarray:
    """(m, persons) mean of each person's best ``knn`` similarities for each query row.

    ``exclude`` gives, per query, a reference row to ignore (-1: none): leave-one-out.
    """
    scores = np.full((len(queries), len(refs.persons)), -1.0, np.float32)
    if not len(refs) or not len(queries):
        return scores
    sims = queries @ refs.vectors.T
    if exclude is not None:
        rows = np.flatnonzero(exclude >= 0)
        sims[rows, exclude[rows]] = -np.inf
    sizes = np.diff(refs.starts)
    if exclude is None and (small := sizes <= knn).any():
        # persons with at most knn references: every one votes, one reduceat for them all
        sums = np.add.reduceat(sims, refs.starts[:-1], axis=1)
        scores[:, small] = sums[:, small] / sizes[small]
        columns = np.flatnonzero(~small)
    else:
        columns = np.arange(len(refs.persons))
    for column in columns:
        start, end = refs.starts[column], refs.starts[column + 1]
        block = sims[:, start:end]
        k = min(knn, end - start)
        if k < end - start:
            block = np.partition(block, end - start - k, axis=1)[:, -k:]
        if exclude is None:
            scores[:, column] = block.mean(axis=1)
        else:  # an excluded row is -inf: average only the finite best matches
            finite = np.isfinite(block)
            total = np.where(finite, block, 0.0).sum(axis=1)
            count = finite.sum(axis=1)
            scores[:, column] = np.where(count > 0, total / np.maximum(count, 1), -1.0)
    return scores
