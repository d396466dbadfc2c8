"""How many strangers' faces a recognition distance would name: leave-one-person-out.

Leave-one-out tests faces of people the library knows, so it never sees a stranger given a
name. Here each person is held out in turn, as if never named: their confirmed faces become a
stranger's faces and are judged the way ``recognition.plan_suggestions`` judges unconfirmed
faces, directly when another person is within the distance, else through similar faces
(``support.extend``) among the unconfirmed faces close to them, whose best persons are taken
without the held-out person. Any name given is a wrong one.

What does not depend on the distance (the held-out faces, the unconfirmed faces close to them,
their best persons) is found once by ``prepare``; ``estimate`` is then quick for each
distance. On a large library a random sample of persons is held out (``MAX_PERSONS``,
``MAX_FACES``), and each held-out face brings its ``NEIGHBOURS`` closest unconfirmed faces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import support
from .evaluation import Unconfirmed
from .reference_set import QUERY_CHUNK, References
from .top_persons import TOP, TopPersons, top_persons

MAX_PERSONS = 200    # persons held out (a random sample beyond)
MAX_FACES = 400      # held-out faces in all
MAX_HELD = 10        # held-out faces per person
NEIGHBOURS = 12      # close unconfirmed faces per held-out face
SEED = 13


@dataclass(frozen=True)
class _Trial:
    """One person held out: its rows (held-out faces first, then the close unconfirmed
    faces) and their best persons without that person."""

    held: int
    vectors: np.ndarray
    top: TopPersons
    best: np.ndarray
    distance: np.ndarray


@dataclass(frozen=True)
class StrangerEstimate:
    faces: int                  # held-out faces tested
    named: int                  # of them, given a name (a wrong one)
    persons: int                # persons held out
    of_persons: int             # persons with references

    @property
    def share(self) -> float:
        return self.named / self.faces if self.faces else 0.0

    @property
    def sampled(self) -> bool:
        return self.persons < self.of_persons


@dataclass(frozen=True)
class StrangerSample:
    """The held-out persons, ready to be judged at any distance."""

    trials: tuple[_Trial, ...]
    persons: int                # persons with references

    def estimate(self, refs: References, knn: int, threshold: float) -> StrangerEstimate:
        """Held-out faces that ``threshold`` would name, directly or through similar faces."""
        faces = named = 0
        for trial in self.trials:
            person, distance = support.direct(trial.best, trial.distance, threshold)
            person, _ = support.extend(trial.vectors, person, distance, refs, knn, threshold,
                                       [set()] * len(person), nearest=trial.distance,
                                       top=trial.top)
            faces += trial.held
            named += int((person[:trial.held] >= 0).sum())
        return StrangerEstimate(faces, named, len(self.trials), self.persons)


def prepare(refs: References, unconfirmed: Unconfirmed, rejected: Sequence[set[int]],
            knn: int) -> StrangerSample:
    """The held-out persons, each with their faces and the unconfirmed faces close to them,
    and the best persons of all those faces (any distance)."""
    held = _held_out(refs)
    flat = np.concatenate([np.zeros(0, np.int64), *held])
    close = _close(refs.vectors[flat], unconfirmed.vectors)
    near = [np.unique(np.concatenate([np.zeros(0, np.int64), *close[at - len(own):at]]))
            for own, at in zip(held, np.cumsum([len(own) for own in held]), strict=True)]
    shared = np.unique(np.concatenate([np.zeros(0, np.int64), *near]))
    vectors = np.concatenate([refs.vectors[flat], unconfirmed.vectors[shared]])
    scored = top_persons(vectors, refs, knn, keep=TOP + 1)   # one is the held-out person
    trials, at = [], 0
    for own, close_rows in zip(held, near, strict=True):
        person = int(refs.person_ids[own[0]])
        rows = np.concatenate([at + np.arange(len(own)),
                               len(flat) + np.searchsorted(shared, close_rows)])
        banned = [{person}] * len(own) + [set(rejected[int(u)]) | {person} for u in close_rows]
        top = scored.take(rows).without(banned)
        trials.append(_Trial(len(own), vectors[rows], top, *top.best(len(rows))))
        at += len(own)
    return StrangerSample(tuple(trials), len(refs.persons))


def _held_out(refs: References) -> list[np.ndarray]:
    """Reference rows of each held-out person: persons in a fixed random order, at most
    ``MAX_HELD`` faces each, up to ``MAX_PERSONS`` persons and ``MAX_FACES`` faces."""
    rng = np.random.default_rng(SEED)
    held: list[np.ndarray] = []
    total = 0
    for column in rng.permutation(len(refs.persons))[:MAX_PERSONS]:
        own = np.arange(refs.starts[column], refs.starts[column + 1])
        if len(own) > MAX_HELD:
            own = np.sort(rng.choice(own, MAX_HELD, replace=False))
        if held and total + len(own) > MAX_FACES:
            break
        held.append(own)
        total += len(own)
    return held


def _close(held: np.ndarray, others: np.ndarray) -> list[np.ndarray]:
    """Per held face, the rows of ``others`` within ``support.LINK`` of it (the faces that
    could vote for it), the ``NEIGHBOURS`` closest."""
    rows: list[list[np.ndarray]] = [[] for _ in held]
    sims: list[list[np.ndarray]] = [[] for _ in held]
    step = QUERY_CHUNK * 8
    for start in range(0, len(others), step):
        block = held @ others[start:start + step].T
        for at, row in enumerate(block):
            near = np.flatnonzero(row > 1.0 - support.LINK)
            rows[at].append(start + near)
            sims[at].append(row[near])
    found = []
    for own_rows, own_sims in zip(rows, sims, strict=True):
        order = np.argsort(-np.concatenate([np.zeros(0, np.float32), *own_sims]))
        found.append(np.concatenate([np.zeros(0, np.int64), *own_rows])[order[:NEIGHBOURS]])
    return found
