"""What a recognition distance or a cluster eps would do on the user's own catalog: the
numbers the Settings pane shows under those settings as the user edits them.

Both sides of a value are shown, so that loosening it visibly costs something: the faces a
distance would name and how well it names known people (leave-one-out), but also how many
strangers' faces it would give a wrong name (leave-one-person-out, ``stranger_estimate``) and
how many faces of the unknown clusters it would name; the clusters an eps would make, but also
how many of them would mix people (``cluster_purity``).

Whatever does not depend on the value (best persons of every face, leave-one-out distances,
the held-out persons, the confirmed faces to cluster) is computed once and cached until the
catalog changes; each value then only redoes what depends on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import peewee as pw

from engine.catalog import faces as face_db
from engine.catalog.schema import Face, FaceRejection, Person

from . import cluster_purity, clustering, evaluation, rebuild, recognition, support
from . import settings as face_settings
from .loaders import embedder_key
from .stranger_estimate import StrangerEstimate, StrangerSample, prepare


@dataclass(frozen=True)
class RecognitionPreview:
    threshold: float
    unconfirmed: int            # unconfirmed faces with an embedding
    would_suggest: int          # of them, with a suggestion at the threshold
    through_similar: int        # of would_suggest, named through similar faces (``support``)
    in_clusters: int            # unconfirmed faces in unknown clusters (no suggestion now)
    clusters_named: int         # of them, with a suggestion at the threshold
    tested: int                 # confirmed faces tested by leave-one-out
    persons: int
    precision: float
    recall: float
    strangers: StrangerEstimate  # each person held out as a stranger: faces named wrongly
    stale: int = 0              # faces embedded by another model version: run Rebuild


@dataclass(frozen=True)
class ClusterPreview:
    eps: float
    min_size: int
    unknown: int
    clustered: int
    clusters: int
    purity: cluster_purity.Purity   # the confirmed faces clustered at this eps


@dataclass(frozen=True)
class _RecognitionData:
    loo: evaluation.LeaveOneOut             # the confirmed faces, each from the others
    unconfirmed: evaluation.Unconfirmed     # and the unconfirmed faces' best persons
    refs: recognition.References
    rejected: list[set[int]]
    in_cluster: np.ndarray                  # per unconfirmed face: in an unknown cluster
    strangers: StrangerSample
    knn: int
    stale: int                  # faces whose embedding is missing or from another version


def catalog_stamp() -> tuple[Any, ...]:
    """Changes whenever faces, decisions or persons change (cheap aggregate queries)."""
    faces = Face.select(pw.fn.COUNT(Face.id), pw.fn.MAX(Face.id),
                        pw.fn.MAX(Face.updated_at)).tuples().first()
    return (*faces, FaceRejection.select().count(), Person.select().count())


class FacePreviews:
    """The recognition and cluster previews, with their caches; safe from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[Any, ...], Any]] = {}

    def _cached(self, name: str, stamp: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self._cache or self._cache[name][0] != stamp:
                self._cache[name] = (stamp, build())
            return self._cache[name][1]

    @staticmethod
    def _stamp(settings: face_settings.FaceSettings) -> tuple[Any, ...]:
        key = embedder_key(settings)
        return (*catalog_stamp(), *face_db.embedding_stamp(*key), key)

    def _recognition_data(self) -> _RecognitionData:
        settings = face_settings.load()
        key = embedder_key(settings)

        def build() -> _RecognitionData:
            refs = recognition.references(settings, *key)
            ids, rejected, unconfirmed = recognition.unconfirmed_faces(settings, *key, refs)
            clustered = {fid for fid, _, _, suggested, _, cluster in face_db.face_states()
                         if cluster is not None and suggested is None}
            return _RecognitionData(
                evaluation.leave_one_out(refs, settings.knn), unconfirmed, refs, rejected,
                np.isin(ids, np.fromiter(clustered, np.int64, len(clustered))),
                prepare(refs, unconfirmed, rejected, settings.knn), settings.knn,
                len(rebuild.stale_face_ids(*key)))

        return self._cached("recognition", (*self._stamp(settings), settings.knn,
                                            settings.quality_cut), build)

    def recognition(self, threshold: float) -> RecognitionPreview:
        """What a recognition distance would do: unconfirmed faces that would get a
        suggestion (those of unknown clusters apart), leave-one-out precision / recall on
        the confirmed faces, and the faces of persons held out as strangers it would name."""
        data = self._recognition_data()
        found = data.unconfirmed
        person, distance = support.direct(found.person, found.distance, threshold)
        direct = int((person >= 0).sum())
        person, _ = support.extend(found.vectors, person, distance, data.refs, data.knn,
                                   threshold, data.rejected, nearest=found.distance,
                                   top=found.top)
        named = person >= 0
        loo = evaluation.at_threshold(data.loo, data.refs, data.knn, threshold, found)
        return RecognitionPreview(
            threshold, len(found.distance), int(named.sum()), int(named.sum()) - direct,
            int(data.in_cluster.sum()), int((named & data.in_cluster).sum()), loo.faces,
            loo.persons, loo.precision, loo.recall,
            data.strangers.estimate(data.refs, data.knn, threshold), data.stale)

    def _confirmed(self) -> cluster_purity.ConfirmedSample:
        settings = face_settings.load()

        def build() -> cluster_purity.ConfirmedSample:
            owner = {fid: pid for fid, status, pid, *_ in face_db.face_states()
                     if status == "confirmed" and pid is not None}
            ids, vectors = recognition.CACHE.get(*embedder_key(settings), list(owner))
            return cluster_purity.sample(vectors, [owner[int(fid)] for fid in ids])

        return self._cached("confirmed", self._stamp(settings), build)

    def cluster(self, eps: float, min_size: int) -> ClusterPreview:
        """Unknown faces (no confirmation, no suggestion) that DBSCAN would cluster, and the
        clusters it would make of the confirmed faces that mix persons."""
        settings = face_settings.load()
        unknown = [fid for fid, status, _, suggested, *_ in face_db.face_states()
                   if status == "unconfirmed" and suggested is None]
        _, vectors = recognition.CACHE.get(*embedder_key(settings), unknown)
        labels = clustering.dbscan(vectors, eps, max(2, min_size))
        kept = labels[labels >= 0]
        return ClusterPreview(eps, min_size, len(vectors), len(kept), len(np.unique(kept)),
                              cluster_purity.purity(self._confirmed(), eps, min_size))
