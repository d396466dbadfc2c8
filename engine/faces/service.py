"""The faces part of the engine facade: queries for the UI and the user's decisions.

Each decision is one write transaction: the change, its journal entry, and the incremental
refresh of the suggestions it can affect.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from engine.catalog import Library
from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.catalog import writeback as writeback_db
from engine.catalog.records import ClusterRecord, FaceRecord, JournalRecord, PersonRecord

from . import decisions, evaluation, rebuild, recognition, similar, stranger_estimate
from . import settings as face_settings
from .loaders import embedder_key


class FaceService:
    def __init__(self, library: Library, changed: Callable[[], None] = lambda: None) -> None:
        self.library, self._changed = library, changed

    # -- queries --------------------------------------------------------------------------
    def find(self, **filters: Any) -> list[FaceRecord]:
        """Faces; filters of ``catalog.faces.list_faces`` (status, person_id, unknown ...)."""
        return face_db.list_faces(**filters)

    def get(self, face_id: int) -> FaceRecord | None:
        return face_db.get_face(face_id)

    def thumbnail(self, face_id: int) -> bytes | None:
        """A small JPEG of the face, from the thumbnail store."""
        return face_db.get_face_thumb(face_id)

    def persons(self) -> list[PersonRecord]:
        return person_db.persons()

    def clusters(self) -> list[ClusterRecord]:
        return person_db.clusters()

    def counts(self) -> dict[str, int]:
        return face_db.face_counts()

    def best_faces(self) -> dict[int, int]:
        """person id -> the confirmed face that shows them best (highest face quality)."""
        return person_db.best_faces()

    def history(self, limit: int = 20) -> list[JournalRecord]:
        """The latest decisions, newest first; those undone are marked."""
        return person_db.journal_recent(limit)

    def similar_person(self, name: str) -> str | None:
        """The existing person a new ``name`` is close to ("Carl" for "Karl"), else None."""
        return similar.closest(name, (p.name for p in person_db.persons()))

    def settings(self) -> face_settings.FaceSettings:
        return face_settings.load()

    def set_setting(self, name: str, value: Any) -> Any:
        """Store one setting (checked); the value as stored."""
        return face_settings.GROUP.update(self.library, name, value)

    def evaluate(self) -> evaluation.Evaluation:
        """Leave-one-out accuracy, precision and recall on the confirmed faces, and the
        wrong names persons held out as strangers would get (``stranger_estimate``)."""
        settings = face_settings.load()
        key, knn, threshold = embedder_key(settings), settings.knn, settings.recognition_distance
        refs = recognition.references(settings, *key)
        _, rejected, unconfirmed = recognition.unconfirmed_faces(settings, *key, refs)
        strangers = stranger_estimate.prepare(refs, unconfirmed, rejected, knn)
        return replace(evaluation.at_threshold(evaluation.leave_one_out(refs, knn), refs, knn,
                                               threshold, unconfirmed),
                       strangers=strangers.estimate(refs, knn, threshold))

    def report(self) -> rebuild.RebuildReport:
        """Reference faces used by recognition and those left out, with reasons."""
        return rebuild.reference_report(face_settings.load())

    # -- decisions ------------------------------------------------------------------------
    def _decide(self, action: Callable[[], tuple[str, set[int]]],
                named: Callable[[], set[int]] = set, recompute: Iterable[int] = ()) -> str:
        """Run a decision, queue the photos it touched for the write-back, refresh the
        suggestions it can change; ``named`` gives persons whose every photo is touched,
        ``recompute`` faces whose suggestion is worked out afresh."""
        settings = face_settings.load()
        with self.library.writing():
            started = time.time()
            summary, persons = action()
            writeback_db.queue(writeback_db.images_changed_since(started)
                               | writeback_db.images_of_persons(named()))
            recognition.suggest(settings, *embedder_key(settings), persons_changed=persons,
                                recompute=set(recompute))
        self._changed()
        return summary

    def confirm(self, face_ids: Iterable[int]) -> str:
        return self._decide(lambda: decisions.confirm(face_ids))

    def name(self, face_ids: Iterable[int], person: str) -> str:
        return self._decide(lambda: decisions.name(face_ids, person))

    def name_cluster(self, cluster_id: int, person: str) -> str:
        return self._decide(lambda: decisions.name_cluster(cluster_id, person))

    def reject(self, face_ids: Iterable[int]) -> str:
        return self._decide(lambda: decisions.reject(face_ids))

    def ignore(self, face_ids: Iterable[int]) -> str:
        return self._decide(lambda: decisions.ignore(face_ids))

    def not_a_face(self, face_ids: Iterable[int]) -> str:
        return self._decide(lambda: decisions.not_a_face(face_ids))

    def restore(self, face_ids: Iterable[int]) -> str:
        """Ignored faces and faces marked as not a face become unknown faces again."""
        face_ids = list(face_ids)
        return self._decide(lambda: decisions.restore(face_ids), recompute=face_ids)

    def rename(self, old: str, new: str) -> str:
        return self._decide(lambda: decisions.rename(old, new), lambda: _person_ids(new))

    def merge(self, source: str, target: str) -> str:
        return self._decide(lambda: decisions.merge(source, target))

    def undo(self, steps: int = 1) -> list[str]:
        settings = face_settings.load()
        with self.library.writing():
            started = time.time()
            summaries, persons, orphaned = decisions.undo(steps)
            writeback_db.queue(writeback_db.images_changed_since(started)
                               | writeback_db.images_of_persons(persons))
            recognition.suggest(settings, *embedder_key(settings), persons_changed=persons,
                                recompute=orphaned)
        self._changed()
        return summaries


def _person_ids(name: str) -> set[int]:
    found = person_db.find_person(name)
    return {found.id} if found is not None else set()
