"""Name suggestions: vectorised cosine kNN with per-person voting over confirmed faces.

A face's score for a person is the mean similarity of its best ``knn`` matches among that
person's reference faces; the best person is suggested when its distance (1 - score) is under
the threshold and the user has not rejected that person for this face. A face left without a
name can still get one through similar faces suggested directly (``support``).

Vectors are compared centred on the library's mean embedding (see ``vectors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db

from . import support
from .evaluation import Unconfirmed
from .reference_set import QUERY_CHUNK, References, person_scores
from .settings import FaceSettings
from .top_persons import top_persons
from .vectors import CACHE


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


def unconfirmed_faces(settings: FaceSettings, model_id: str, version: str,
                      refs: References) -> tuple[np.ndarray, list[set[int]], Unconfirmed]:
    """The unconfirmed faces with a vector: ids, persons rejected for each, and their vectors
    with their best persons by ``refs`` (any distance)."""
    unconfirmed = [fid for fid, status, *_ in face_db.face_states() if status == "unconfirmed"]
    ids, queries = CACHE.get(model_id, version, unconfirmed, centred=True)
    rejected_map = person_db.rejections()
    rejected = [rejected_map.get(int(fid), set()) for fid in ids]
    top = top_persons(queries, refs, settings.knn, rejected)
    return ids, rejected, Unconfirmed(queries, *top.best(len(queries)), top)


def _good_enough(quality: float | None, settings: FaceSettings) -> bool:
    # Faces without a quality (imported from metadata) are trusted as the user's choice.
    return quality is None or quality >= settings.quality_cut


@dataclass(frozen=True)
class SuggestStats:
    faces: int
    suggested: int
    changed: int


@dataclass
class SuggestPlan:
    """Suggestions computed from one reading of the catalog, written by ``write_plan``."""

    updates: dict[int, tuple[int | None, float | None]]  # face -> (person, distance)
    states: dict[int, tuple[int | None, float | None]]   # face -> what it had when read
    changed: int = 0

    @property
    def face_ids(self) -> list[int]:
        return list(self.updates)

    @property
    def stats(self) -> SuggestStats:
        suggested = sum(1 for fid, (sp, _) in self.states.items()
                        if self.updates.get(fid, (sp,))[0] is not None)
        return SuggestStats(len(self.states), suggested, self.changed)


def write_plan(plan: SuggestPlan, face_ids: Sequence[int]) -> None:
    """Write the plan's suggestions of ``face_ids`` (inside a write transaction)."""
    plan.changed += _write({fid: plan.updates[fid] for fid in face_ids}, plan.states)


def suggest(settings: FaceSettings, model_id: str, version: str,
            persons_changed: set[int] | None = None,
            recompute: set[int] | None = None) -> SuggestStats:
    """Refresh suggestions of unconfirmed faces (call inside a write transaction)."""
    plan = plan_suggestions(settings, model_id, version, persons_changed, recompute)
    write_plan(plan, plan.face_ids)
    return plan.stats


def plan_suggestions(settings: FaceSettings, model_id: str, version: str,
                     persons_changed: set[int] | None = None,
                     recompute: set[int] | None = None) -> SuggestPlan:
    """The suggestions of unconfirmed faces, read from the catalog, not yet written.

    A face is suggested the person whose references are within the threshold, else the
    person it is linked to through faces suggested directly (see ``support``).

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
    nearest = None
    if persons_changed is None:
        best, nearest = best_persons(queries, refs, settings.knn, rejected)
        person, distance = support.direct(best, nearest, settings.recognition_distance)
    else:
        person, distance = _refresh_direct(ids, queries, states, refs, settings, rejected,
                                           persons_changed, recompute or set())
    person, distance = support.extend(queries, person, distance, refs, settings.knn,
                                      settings.recognition_distance, rejected,
                                      only=persons_changed, nearest=nearest)
    updates = {int(fid): (None, None) if pid < 0 else (int(pid), round(float(d), 4))
               for fid, pid, d in zip(ids, person, distance, strict=True)}
    return SuggestPlan(updates, states)


def direct_suggestions(queries: np.ndarray, refs: References, settings: FaceSettings,
                       rejected: Sequence[set[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(person id or -1, distance or inf) per query: its best person within the threshold."""
    return support.direct(*best_persons(queries, refs, settings.knn, rejected),
                          settings.recognition_distance)


def _refresh_direct(ids: np.ndarray, queries: np.ndarray,
                    states: Mapping[int, tuple[int | None, float | None]], refs: References,
                    settings: FaceSettings, rejected: Sequence[set[int]],
                    changed: set[int], again: set[int]) -> tuple[np.ndarray, np.ndarray]:
    """Direct suggestions after decisions about ``changed`` persons, from the stored ones.

    A face suggested as a changed person (or in ``again``) is recomputed in full; the others
    only compare with the changed persons and keep their suggestion unless one is closer.
    Suggestions through neighbours of changed persons are dropped: ``support`` redoes them.
    """
    old_person = np.array([states[int(f)][0] or -1 for f in ids], np.int64)
    old_distance = np.array([states[int(f)][1] if states[int(f)][1] is not None else np.inf
                             for f in ids], np.float32)
    person, distance = old_person.copy(), old_distance.copy()
    full = np.isin(old_person, np.fromiter(changed, np.int64, len(changed))) | np.isin(
        ids, np.fromiter(again, np.int64, len(again)))
    person[full], distance[full] = direct_suggestions(
        queries[full], refs, settings, [r for r, f in zip(rejected, full, strict=True) if f])
    rest = np.flatnonzero(~full)
    new_person, new_distance = direct_suggestions(
        queries[rest], refs.only(changed), settings, [rejected[i] for i in rest])
    closer = (new_person >= 0) & (new_distance < distance[rest])
    person[rest[closer]], distance[rest[closer]] = new_person[closer], new_distance[closer]
    return person, distance


def _write(updates: Mapping[int, tuple[int | None, float | None]],
           states: Mapping[int, tuple[int | None, float | None]]) -> int:
    changed = 0
    for fid, (pid, distance) in updates.items():
        if states[fid] != (pid, distance):
            face_db.update_faces([fid], suggested_person=pid, suggested_distance=distance)
            changed += 1
    return changed
