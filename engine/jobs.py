"""Maintenance jobs: one queue, one job at a time in its own thread, with progress,
cancel, and a clean record in the catalog however the job ends.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from models.errors import ModelError

from .catalog import Library, joblog
from .errors import ClusterLost, OptionError, StorageError, TermkamError
from .events import Event, ItemFailed, ItemNoted, JobFinished, JobStarted, Progress
from .progress import RateMeter

log = logging.getLogger(__name__)

LOADING = "loading models"
_UNSET = object()
CLUSTER_OPTIONS = ("cluster", "path_map", "insecure")


class Loadable(Protocol):
    def load(self) -> None: ...


def resolved(function: Callable[..., Any] | str) -> Callable[..., Any]:
    """A function, or the one a "module:function" reference names (imported now)."""
    if callable(function):
        return function
    module, _, name = function.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class JobKind:
    """A maintenance tool: ``run(ctx)`` does the work and returns a one-line summary.

    Any job may carry a ``then`` option, a list of job kinds: when it ends done, the first
    is queued with the rest as its own ``then`` (so `run faces` detects, recognises and
    clusters, and a resumed detection still goes on to recognise and cluster).

    ``choices`` are the options a UI offers (option name -> values, the default first), and
    ``explain`` says in one line what each value does; ``scoped`` tools honour the ``albums``
    / ``images`` options, the others cover the whole collection. ``unit`` is what the job's
    progress counts (photos, faces ...).

    ``remote`` tools take the ``cluster``, ``path_map`` and ``insecure`` options.

    ``run`` and ``check_options`` may be "module:function" references: that module, and the
    models it needs, is imported only when a job of this kind is checked or run, so the list
    of tools costs nothing to load.
    """

    kind: str
    title: str
    run: Callable[[JobContext], str] | str
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scoped: bool = False
    check_options: Callable[[Mapping[str, Any]], Any] | str | None = None
    explain: Mapping[str, str] = field(default_factory=dict)
    unit: str = "photos"
    remote: bool = False       # its model stage can run on a cluster (``engine.cluster``)

    def execute(self, ctx: JobContext) -> str:
        """Do the work; the one-line summary."""
        return resolved(self.run)(ctx)

    def explanation(self, choice: str) -> str:
        """What choosing ``choice`` (a value of one of the options) does, in one line."""
        return self.explain.get(choice, "")

    def check(self, options: Mapping[str, Any]) -> None:
        """Refuse options this tool cannot take, before a job is recorded for them."""
        for name, allowed in self.choices.items():
            if name in options and options[name] not in allowed:
                raise OptionError(f"{self.kind}: {name} {options[name]!r} is not one of "
                                  f"{' | '.join(allowed)}")
        if "mode" in options and "mode" not in self.choices:
            raise OptionError(f"{self.kind} has no modes (--mode {options['mode']})")
        cluster = [name for name in CLUSTER_OPTIONS if options.get(name)
                   and not (name == "cluster" and options[name] == "local")]
        if cluster and not self.remote:
            raise OptionError(f"{self.kind} runs on this machine only (no --"
                              f"{cluster[0].replace('_', '-')}): the cluster runs the face "
                              "detection, auto-tag and quality models")
        if cluster:
            from .cluster.plan import check_options

            check_options(options)
        if not self.scoped and (options.get("albums") or options.get("images")):
            raise OptionError(f"{self.kind} works on the whole collection: no --album or "
                              "--image")
        if self.check_options is not None:
            try:
                resolved(self.check_options)(options)
            except OptionError:
                raise
            except TermkamError as error:
                raise OptionError(str(error)) from None


class JobContext:
    """What a running job sees: its options, counters, cancel flag and event emitter."""

    def __init__(self, library: Library, job_id: int, kind: str, options: Mapping[str, Any],
                 emit: Callable[[Event], None], cancel: threading.Event,
                 unit: str = "photos", remote: bool = False) -> None:
        self.library, self.job_id, self.kind, self.unit = library, job_id, kind, unit
        self.remote = remote
        self.options = dict(options)
        self.done = self.errors = self.total = 0
        self.summary_extra: dict[str, int] = {}
        self._emit, self._cancel = emit, cancel
        self._meter = RateMeter()
        self._cluster: Any = _UNSET

    @property
    def cluster(self) -> Any:
        """Where the job's model stage runs: a ``ClusterPlan``, or None for this machine
        (the ``cluster`` option, else the library's ``compute.cluster`` setting; always this
        machine for a tool that is not ``remote``)."""
        if not self.remote:
            return None
        if self._cluster is _UNSET:
            from .cluster.plan import cluster_plan

            self._cluster = cluster_plan(self.options)
        return self._cluster

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, phase: str) -> None:
        rate = self._meter.update(self.done)
        self._emit(Progress(self.job_id, self.kind, phase, self.done, self.total, self.errors,
                            rate, self._meter.eta(self.done, self.total), self.unit))

    def load_models(self, models: Iterable[Loadable], then: str) -> None:
        """Open the models' weights, saying "loading models" meanwhile (a first load can take
        seconds), then show the phase ``then`` that follows. On a cluster the workers open
        them."""
        if self.cluster is not None:
            self.progress(then)
            return
        self.progress(LOADING)
        for model in models:
            model.load()
        self.progress(then)

    def item_failed(self, path: str, reason: str) -> None:
        log.warning("job %d %s: %r: %s", self.job_id, self.kind, path, reason)
        self._emit(ItemFailed(self.job_id, path, reason))

    def item_noted(self, path: str, note: str) -> None:
        log.info("job %d %s: %r: %s", self.job_id, self.kind, path, note)
        self._emit(ItemNoted(self.job_id, path, note))


class JobHandle:
    """A queued or running job: cancel it, or wait for its JobFinished event."""

    def __init__(self, job_id: int, kind: str, options: Mapping[str, Any]) -> None:
        self.job_id, self.kind, self.options = job_id, kind, dict(options)
        self.cancel_event = threading.Event()
        self._finished = threading.Event()
        self.result: JobFinished | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    def wait(self, timeout: float | None = None) -> JobFinished | None:
        self._finished.wait(timeout)
        return self.result

    @property
    def finished(self) -> bool:
        return self._finished.is_set()


class JobRunner:
    """Runs queued jobs one after the other on a single worker thread (the one writer)."""

    def __init__(self, library: Library, kinds: Mapping[str, JobKind],
                 emit: Callable[[Event], None]) -> None:
        self.library, self.kinds, self._emit = library, kinds, emit
        self._queue: queue.Queue[JobHandle | None] = queue.Queue()
        self._handles: dict[int, JobHandle] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, kind: str, options: Mapping[str, Any]) -> JobHandle:
        if kind not in self.kinds:
            raise OptionError(f"unknown job {kind!r}; known: {', '.join(self.kinds)}")
        self.kinds[kind].check(options)
        with self.library.writing():
            job_id = joblog.create_job(kind, options)
        return self._enqueue(job_id, kind, options)

    def _enqueue(self, job_id: int, kind: str, options: Mapping[str, Any]) -> JobHandle:
        handle = JobHandle(job_id, kind, options)
        with self._lock:
            self._handles[job_id] = handle
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="termkam-jobs",
                                                daemon=True)
                self._thread.start()
        self._queue.put(handle)
        return handle

    def active(self) -> list[JobHandle]:
        with self._lock:
            return [h for h in self._handles.values() if not h.finished]

    def get(self, job_id: int) -> JobHandle | None:
        return self._handles.get(job_id)

    def shutdown(self, timeout: float | None = 10.0) -> None:
        """Cancel every job and wait for the worker to stop."""
        for handle in self.active():
            handle.cancel()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while (handle := self._queue.get()) is not None:
            try:
                self._run(handle)
            finally:
                self.library.db.close()  # this thread's connections
                self.library.thumbs_db.close()

    @staticmethod
    def _next(handle: JobHandle) -> tuple[str, dict[str, Any]] | None:
        """The job that follows ``handle`` (its ``then`` option), with its own options."""
        then = list(handle.options.get("then") or ())
        return (then[0], {"then": then[1:]} if then[1:] else {}) if then else None

    def _run(self, handle: JobHandle) -> None:
        options = handle.options
        kind = self.kinds[handle.kind]
        ctx = JobContext(self.library, handle.job_id, handle.kind, options, self._emit,
                         handle.cancel_event, kind.unit, kind.remote)
        started = time.monotonic()
        state, summary = "cancelled", "cancelled before it started"
        try:
            if not handle.cancel_event.is_set():
                with self.library.writing():
                    joblog.set_running(handle.job_id)
                self._emit(JobStarted(handle.job_id, handle.kind, options))
                summary = self.kinds[handle.kind].execute(ctx)
                finished = ctx.total > 0 and ctx.done >= ctx.total  # a cancel that came late
                state = "cancelled" if ctx.cancelled and not finished else "done"
        except (StorageError, ClusterLost) as error:  # the work so far is saved: resumable
            state, summary = "interrupted", str(error)
        except (TermkamError, ModelError) as error:
            state, summary = "failed", str(error)
        except Exception as error:
            log.exception("job %s (%s) failed", handle.job_id, handle.kind)
            state, summary = "failed", f"internal error: {type(error).__name__}: {error}"
        finally:
            follower = self._next(handle) if state == "done" else None
            follower_id = None
            try:  # the end and the follower in one transaction: a kill loses neither
                with self.library.writing():
                    joblog.update_progress(handle.job_id, ctx.done, ctx.total, ctx.errors)
                    joblog.finish_job(handle.job_id, state, summary)
                    if follower is not None:
                        follower_id = joblog.create_job(*follower)
            except Exception:
                log.exception("could not record the end of job %s", handle.job_id)
            if follower is not None and follower_id is not None:
                self._enqueue(follower_id, *follower)
            handle.result = JobFinished(handle.job_id, handle.kind, state, ctx.done, ctx.total,
                                        ctx.errors, time.monotonic() - started, summary,
                                        follower_id, ctx.unit)
            self._emit(handle.result)
            handle._finished.set()
