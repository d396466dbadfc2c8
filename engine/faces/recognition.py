"""Name suggestions: vectorised cosine kNN with per-person voting over confirmed faces.

A face's score for a person is the mean similarity of its best ``knn`` matches among that
person's reference faces; the best person is suggested when its distance (1 - score) is under
the threshold and the user has not rejected that person for this face.

Vectors are compared centred on the library's mean embedding (see ``vectors``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db

from .settings import FaceSettings
from .vectors import CACHE

QUERY_CHUNK = 2048


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
    for column, (start, end) in enumerate(zip(refs.starts[:-1], refs.starts[1:], strict=True)):
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


def _best_pruned(sims: np.ndarray, refs: References, knn: int,
                 banned: set[int]) -> tuple[int, float]:
    """Exact best person for one query, scoring persons from the best single match down and
    stopping once no remaining person's best match can beat the best mean so far."""
    top1 = np.maximum.reduceat(sims, refs.starts[:-1])
    best_person, best_score = -1, -np.inf
    for column in np.argsort(-top1):
        if top1[column] <= best_score:
            break
        person = int(refs.persons[column])
        if person in banned:
            continue
        block = sims[refs.starts[column]:refs.starts[column + 1]]
        k = min(knn, len(block))
        score = float(np.partition(block, len(block) - k)[-k:].mean())
        if score > best_score:
            best_person, best_score = person, score
    return best_person, best_score


def best_persons(queries: np.ndarray, refs: References, knn: int,
                 rejected: Sequence[set[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(person id or -1, distance) per query, skipping persons rejected for that query."""
    persons = np.full(len(queries), -1, np.int64)
    distances = np.full(len(queries), np.inf, np.float32)
    if 0 < len(queries) <= 8 and len(refs):  # a few faces (a user decision): prune
        for row, sims in enumerate(queries @ refs.vectors.T):
            person, score = _best_pruned(sims, refs, knn, rejected[row])
            if person >= 0:
                persons[row], distances[row] = person, 1.0 - score
        return persons, distances
    for start in range(0, len(queries), QUERY_CHUNK):
        scores = person_scores(queries[start:start + QUERY_CHUNK], refs, knn)
        for row, banned in enumerate(rejected[start:start + QUERY_CHUNK]):
            if banned:
                scores[row, np.isin(refs.persons, list(banned))] = -np.inf
        if scores.shape[1]:
            best = scores.argmax(axis=1)
            top = scores[np.arange(len(best)), best]
            ok = np.isfinite(top)
            persons[start:start + len(best)][ok] = refs.persons[best[ok]]
            distances[start:start + len(best)][ok] = 1.0 - top[ok]
    return persons, distances




def references(settings: FaceSettings, model_id: str, version: str) -> References:
    """Confirmed faces good enough to recognise others by (the quality cut applies)."""
    quality = face_db.qualities()
    confirmed = [(fid, pid) for fid, status, pid, *_ in face_db.face_states()
                 if status == "confirmed" and pid is not None
                 and _good_enough(quality.get(fid), settings)]
    owner = dict(confirmed)
    ids, vectors = CACHE.get(model_id, version, [fid for fid, _ in confirmed], centred=True)
    return References.build(ids, [owner[int(f)] for f in ids], vectors)


def _good_enough(quality: float | None, settings: FaceSettings) -> bool:
    # Faces without a quality (imported from metadata) are trusted as the user's choice.
    return quality is None or quality >= settings.quality_cut


@dataclass(frozen=True)
class SuggestStats:
    faces: int
    suggested: int
    changed: int


def suggest(settings: FaceSettings, model_id: str, version: str,
            persons_changed: set[int] | None = None,
            recompute: set[int] | None = None) -> SuggestStats:
    """Refresh suggestions of unconfirmed faces (call inside a write transaction).

    With ``persons_changed``, only what those persons' references can change is recomputed:
    faces suggested as one of them (or listed in ``recompute``) get a full recompute, the
    others are compared with the changed persons alone, so confirming a face stays cheap on a
    large collection.
    """
    refs = references(settings, model_id, version)
    states = {fid: (sp, dist) for fid, status, _, sp, dist, _ in face_db.face_states()
              if status == "unconfirmed"}
    ids, queries = CACHE.get(model_id, version, list(states), centred=True)
    rejected_map = person_db.rejections()
    rejected = [rejected_map.get(int(fid), set()) for fid in ids]
    updates: dict[int, tuple[int | None, float | None]] = {}
    if persons_changed is None:
        persons, dist = best_persons(queries, refs, settings.knn, rejected)
        for fid, pid, d in zip(ids, persons, dist, strict=True):
            updates[int(fid)] = _decide(pid, d, settings)
    else:
        again = recompute or set()
        full = np.array([states[int(f)][0] in persons_changed or int(f) in again for f in ids],
                        bool)
        persons, dist = best_persons(queries[full], refs, settings.knn,
                                     [r for r, f in zip(rejected, full, strict=True) if f])
        for fid, pid, d in zip(ids[full], persons, dist, strict=True):
            updates[int(fid)] = _decide(pid, d, settings)
        partial = refs.only(persons_changed)
        rest = ~full
        persons, dist = best_persons(queries[rest], partial, settings.knn,
                                     [r for r, f in zip(rejected, rest, strict=True) if f])
        for fid, pid, d in zip(ids[rest], persons, dist, strict=True):
            current = states[int(fid)][1]
            new_pid, new_distance = _decide(pid, d, settings)
            if new_pid is not None and new_distance is not None and (
                    current is None or new_distance < current):
                updates[int(fid)] = (new_pid, new_distance)
    changed = _write(updates, states)
    suggested = sum(1 for fid, (sp, _) in states.items()
                    if (updates.get(fid, (sp,))[0]) is not None)
    return SuggestStats(len(states), suggested, changed)


def _decide(pid: int, distance: float, settings: FaceSettings) -> tuple[int | None, float | None]:
    if pid < 0 or distance > settings.recognition_distance:
        return None, None
    return int(pid), round(float(distance), 4)


def _write(updates: Mapping[int, tuple[int | None, float | None]],
           states: Mapping[int, tuple[int | None, float | None]]) -> int:
    changed = 0
    for fid, (pid, distance) in updates.items():
        if states[fid] != (pid, distance):
            face_db.update_faces([fid], suggested_person=pid, suggested_distance=distance)
            changed += 1
    return changed
