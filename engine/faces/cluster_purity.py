"""How often clusters at an eps would mix people, estimated on the confirmed faces.

The cluster preview counts the clusters of unknown faces, but cannot say whether they hold
one person each. Confirmed faces can: they are clustered as if they were unknown (the same
``clustering.dbscan`` on the same vectors), and a cluster holding faces of two persons or
more is one a user would have to split. On a large library a random sample of the confirmed
faces is clustered (``MAX_FACES``), which keeps each preview quick.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clustering import dbscan

MAX_FACES = 3000
SEED = 13


@dataclass(frozen=True)
class ConfirmedSample:
    """Confirmed faces (their stored vectors) and their persons."""

    vectors: np.ndarray
    persons: np.ndarray
    of_faces: int               # confirmed faces with a vector (sampled when more)


@dataclass(frozen=True)
class Purity:
    faces: int                  # confirmed faces clustered
    of_faces: int
    clusters: int
    mixed: int                  # clusters holding faces of two persons or more
    strays: int                 # faces in a cluster whose majority is another person

    @property
    def sampled(self) -> bool:
        return self.faces < self.of_faces


def sample(vectors: np.ndarray, persons: np.ndarray) -> ConfirmedSample:
    """At most ``MAX_FACES`` of the confirmed faces, chosen at random (always the same)."""
    keep = np.arange(len(vectors))
    if len(keep) > MAX_FACES:
        keep = np.sort(np.random.default_rng(SEED).choice(keep, MAX_FACES, replace=False))
    return ConfirmedSample(vectors[keep], np.asarray(persons, np.int64)[keep], len(vectors))


def purity(confirmed: ConfirmedSample, eps: float, min_size: int) -> Purity:
    """Clusters ``dbscan`` makes of the confirmed faces, and how many mix persons."""
    labels = dbscan(confirmed.vectors, eps, max(2, min_size))
    clustered = labels >= 0
    pairs = np.unique(np.stack([labels[clustered], confirmed.persons[clustered]]), axis=1)
    persons_in = np.bincount(pairs[0], minlength=labels.max() + 1 if len(labels) else 0)
    strays = 0
    for label in np.flatnonzero(persons_in > 1):
        _, counts = np.unique(confirmed.persons[labels == label], return_counts=True)
        strays += int(counts.sum() - counts.max())
    return Purity(len(confirmed.vectors), confirmed.of_faces, int((persons_in > 0).sum()),
                  int((persons_in > 1).sum()), strays)
