"""The engine facade: what the TUI and the CLI use. Opens a library, runs jobs, answers
queries. Never imports a UI toolkit; listeners receive the events of ``engine.events``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import config, user_config
from .browse import BrowseService
from .catalog import Library, images, joblog, settings, stats, tags, thumbs
from .catalog.records import (
    AlbumRecord,
    CatalogCounts,
    CollectionRecord,
    ImageRecord,
    ItemErrorRecord,
    JobRecord,
    TagRecord,
)
from .cluster.settings import ComputeService
from .errors import StorageError, TermkamError
from .events import Event, Listener
from .faces.service import FaceService
from .job_kinds import JOB_KINDS
from .jobs import JobHandle, JobKind, JobRunner
from .quality.service import QualityService
from .tagging.service import TagService
from .tuning import TuningService
from .walk import resolve_roots
from .writeback.background import BackgroundWriter
from .writeback.service import MetadataService

log = logging.getLogger(__name__)
RESUME_OPTIONS = ("since", "resume_of")  # what resume adds to a job's own options



class Engine:
    """One open library and its job runner."""

    def __init__(self, library_dir: Path | str | None = None) -> None:
        self.library = Library(Path(library_dir) if library_dir else config.default_library())
        self.interrupted_jobs: list[int] = []
        # a read-only library (or a full disk) still answers queries
        with contextlib.suppress(StorageError), self.library.writing():
            self.interrupted_jobs = joblog.mark_interrupted()
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self.runner = JobRunner(self.library, JOB_KINDS, self._emit)
        self.writeback = BackgroundWriter(self.start, self.runner.active)
        self.metadata = MetadataService(self.library)
        self.faces = FaceService(self.library, self.writeback.poke)
        self.browse = BrowseService(self.library, self.writeback.poke)
        self.tuning = TuningService(self.library)
        self.tags = TagService(self.library, self.writeback.poke)
        self.quality = QualityService(self.library)
        self.compute = ComputeService(self.library)

    # -- events -----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` (from the job thread) for every event; returns an unsubscribe."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def _emit(self, event: Event) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("event listener failed on %r", event)

    # -- jobs ---------------------------------------------------------------------------------
    def start(self, kind: str, options: Mapping[str, Any] | None = None) -> JobHandle:
        """Queue a maintenance job; it runs after the ones before it."""
        return self.runner.submit(kind, options or {})

    def scan(self, paths: Iterable[str] = (), **options: Any) -> JobHandle:
        """Scan these folders (adding them as collections), or every collection."""
        roots = resolve_roots(list(paths))
        return self.start("scan", {**options, "paths": roots})

    def resume(self, job_id: int | None = None) -> list[JobHandle]:
        """Start again the interrupted or cancelled jobs (or one of them) with their options;
        work already recorded in the catalog is skipped, and so is what an "all" run redid
        before it stopped. The jobs resumed are marked so, never to be resumed twice."""
        candidates = [j for j in joblog.recent_jobs(500)
                      if j.state in joblog.RESUMABLE_STATES and (job_id is None or j.id == job_id)]
        if job_id is not None and not candidates:
            raise TermkamError(f"job {job_id} is not interrupted or cancelled")
        groups: dict[tuple[str, str], list[JobRecord]] = {}
        for job in reversed(candidates):  # oldest first: the tools run in the order given
            options = {k: v for k, v in job.options.items() if k not in RESUME_OPTIONS}
            groups.setdefault((job.kind, repr(sorted(options.items()))), []).append(job)
        handles = []
        for jobs in groups.values():
            latest = jobs[-1]
            since = float(latest.options.get("since", latest.started_at))
            handle = self.start(latest.kind, {**latest.options, "since": since,
                                              "resume_of": latest.id})
            with self.library.writing():
                joblog.mark_resumed([j.id for j in jobs], handle.job_id)
            handles.append(handle)
        return handles

    def cancel(self, job_id: int) -> bool:
        handle = self.runner.get(job_id)
        if handle is None or handle.finished:
            return False
        handle.cancel()
        return True

    def active_jobs(self) -> list[JobHandle]:
        return self.runner.active()

    @staticmethod
    def job_kinds() -> list[JobKind]:
        return list(JOB_KINDS.values())

    # -- queries ------------------------------------------------------------------------------
    def counts(self) -> CatalogCounts:
        return stats.counts()

    def collections(self) -> list[CollectionRecord]:
        return images.collections()

    def albums(self) -> list[AlbumRecord]:
        return images.albums()

    def images(self, album_id: int | None = None, status: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[ImageRecord]:
        return images.list_images(album_id, status, limit, offset)

    def image(self, image_id: int) -> ImageRecord | None:
        return images.get_image(image_id)

    def find_image(self, path: str) -> ImageRecord | None:
        return images.find_image(path)

    def thumbnail(self, image_id: int) -> bytes | None:
        """The JPEG thumbnail bytes of an image (never the original)."""
        return thumbs.get_thumb(image_id)

    def image_tags(self, image_id: int) -> list[TagRecord]:
        return tags.image_tags(image_id)

    def tag_counts(self) -> list[tuple[TagRecord, int]]:
        return tags.tag_counts()

    def jobs(self, limit: int = 20) -> list[JobRecord]:
        return joblog.recent_jobs(limit)

    def job(self, job_id: int) -> JobRecord | None:
        return joblog.get_job(job_id)

    def job_errors(self, job_id: int, limit: int | None = None) -> list[ItemErrorRecord]:
        return joblog.job_errors(job_id, limit)

    def setting(self, key: str, default: Any = None) -> Any:
        """A library setting; not set: the config file's default for it, else ``default``."""
        return settings.get_setting(key, user_config.setting_default(key, default))

    def set_setting(self, key: str, value: Any) -> None:
        with self.library.writing():
            settings.set_setting(key, value)

    # -- lifetime ------------------------------------------------------------------------------
    def write_pending(self) -> JobHandle | None:
        """Start the write-back of the decisions waiting for it now (when it is on)."""
        target = self.metadata.settings().write_back
        if target == "off" or not self.metadata.pending():
            return None
        self.writeback.stop()
        return self.start("metadata.write", {"mode": "pending", "to": target})

    def close(self, timeout: float | None = 10.0) -> None:
        """Cancel running jobs, wait for them to record their state, close the catalog."""
        self.writeback.stop()
        self.runner.shutdown(timeout)
        self.library.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
