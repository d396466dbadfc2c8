"""Grouping unknown faces into clusters of the same person, without knowing how many people.

DBSCAN on cosine distance: faces within ``eps`` of each other link up, a cluster needs
``min_size`` faces, and faces that link to nothing stay unclustered. Neighbours are found in
chunks, so memory grows with the number of links, not with the square of the faces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.catalog import faces as face_db
from engine.catalog import persons as person_db

from .recognition import CACHE
from .settings import FaceSettings

CHUNK = 1024


def neighbours(vectors: np.ndarray, eps: float) -> list[np.ndarray]:
    """For each row, the rows within cosine distance ``eps`` (itself included)."""
    found: list[np.ndarray] = []
    for start in range(0, len(vectors), CHUNK):
        sims = vectors[start:start + CHUNK] @ vectors.T
        found += [np.flatnonzero(row >= 1.0 - eps) for row in sims]
    return found


def dbscan(vectors: np.ndarray, eps: float, min_size: int) -> np.ndarray:
    """Cluster label per row (-1: no cluster)."""
    links = neighbours(vectors, eps)
    core = np.array([len(n) >= min_size for n in links], bool)
    labels = np.full(len(vectors), -1, np.int64)
    label = 0
    for seed in np.flatnonzero(core):
        if labels[seed] != -1:
            continue
        labels[seed], stack = label, [int(seed)]
        while stack:
            point = stack.pop()
            if core[point]:
                for other in links[point]:
                    if labels[other] == -1:
                        labels[other] = label
                        stack.append(int(other))
        label += 1
    if label == 0:
        return labels
    sizes = np.bincount(labels[labels >= 0], minlength=label)
    labels[(labels >= 0) & (sizes[np.maximum(labels, 0)] < min_size)] = -1
    return labels


def stable_ids(groups: Mapping[int, list[int]], previous: Mapping[int, int | None]
               ) -> dict[int, int]:
    """Map new groups (label -> face ids) to cluster ids, keeping an old id for the group
    that holds most of its former members (largest groups choose first)."""
    taken: set[int] = set()
    used = [cid for cid in previous.values() if cid is not None]
    next_id = max(used, default=0) + 1
    result: dict[int, int] = {}
    for label, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        votes: dict[int, int] = {}
        for fid in members:
            old = previous.get(fid)
            if old is not None and old not in taken:
                votes[old] = votes.get(old, 0) + 1
        best = max(votes.items(), key=lambda kv: (kv[1], -kv[0]), default=None)
        if best is not None and best[1] * 2 > len(members):
            result[label] = best[0]
        else:
            result[label], next_id = next_id, next_id + 1
        taken.add(result[label])
    return result


@dataclass(frozen=True)
class ClusterStats:
    faces: int
    clustered: int
    clusters: int


@dataclass
class ClusterPlan:
    """Cluster ids of every face (None: none) from one reading, written by ``write_plan``."""

    assignment: dict[int, int | None]
    stats: ClusterStats

    @property
    def face_ids(self) -> list[int]:
        return list(self.assignment)


def write_plan(plan: ClusterPlan, face_ids: Sequence[int]) -> None:
    """Write the plan's cluster ids of ``face_ids`` (inside a write transaction)."""
    person_db.set_clusters({fid: plan.assignment[fid] for fid in face_ids})


def cluster_unknown(settings: FaceSettings, model_id: str, version: str) -> ClusterStats:
    """Recluster every unknown face (call inside a write transaction)."""
    plan = plan_clusters(settings, model_id, version)
    write_plan(plan, plan.face_ids)
    return plan.stats


def plan_clusters(settings: FaceSettings, model_id: str, version: str) -> ClusterPlan:
    """Clusters of every unknown face, read from the catalog, not yet written."""
    states = face_db.face_states()
    previous = {fid: cid for fid, *_, cid in states}
    unknown = [fid for fid, status, _, sp, _, _ in states if status == "unconfirmed" and sp is None]
    ids, vectors = CACHE.get(model_id, version, unknown)
    labels = dbscan(vectors, settings.cluster_eps, max(2, settings.cluster_min_size))
    groups: dict[int, list[int]] = {}
    for fid, label in zip(ids, labels, strict=True):
        if label >= 0:
            groups.setdefault(int(label), []).append(int(fid))
    mapping = stable_ids(groups, previous)
    assignment: dict[int, int | None] = {fid: None for fid in previous}
    for label, members in groups.items():
        for fid in members:
            assignment[fid] = mapping[label]
    clustered = sum(len(m) for m in groups.values())
    return ClusterPlan(assignment, ClusterStats(len(ids), clustered, len(groups)))
