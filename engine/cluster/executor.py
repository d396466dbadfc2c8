"""The job's side of a cluster run: send each photo and the job's work to the workers that
have its models, collect the replies, check them against the catalog and write them in
batches, as the local pipeline does.

One task per photo. A photo's bytes are scattered to a worker through the scheduler (which
passes them on without unpickling them, about a fifth of the cost of bytes inside the task,
and needs no route from the job to the workers, so an SSH tunnel to the scheduler is
enough); the task runs where they landed, or Dask moves them to an idle worker. When a
worker dies, Dask reschedules its tasks; a photo whose bytes died with it is sent again. A
cancelled, failed or killed job leaves no task behind: the job cancels its futures, and the
scheduler drops those of a client that vanished.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import dask

from engine.analysis import Reply, guarded, one_line
from engine.catalog import joblog
from engine.errors import ClusterLost, TermkamError
from engine.pipeline import Outcome, Step, write_outcomes

from .address import security
from .plan import ClusterPlan
from .remote import TERMKAM, analyse_remote, needed_resources
from .transfer import mismatch, photo_to_send

if TYPE_CHECKING:
    from distributed import Client, Future

    from engine.jobs import JobContext

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 15          # seconds to reach the scheduler
SEND_TIMEOUT = 60             # seconds to hand one photo's bytes to a worker, or get a reply
SEND_PAUSES = (0.5, 1, 2, 4, 8)   # seconds between sends again when a worker went away
ATTEMPTS = 3                  # sends of one photo whose task or bytes a dying worker took
WORKER_WAIT = 30              # seconds to wait for a worker with the job's models at the start
NO_WORKER_LIMIT = 300         # seconds a running job waits for one to come back
PER_THREAD = 3                # photos in flight per worker thread (keeps every thread busy)
POLL = 0.5                    # seconds between looks at the cancel flag
WAITING = "waiting for a cluster worker"


def connect(plan: ClusterPlan, name: str) -> Client:
    """A client of the plan's scheduler; ClusterLost when it cannot be reached."""
    from distributed import Client

    secured = security(plan.address, plan.settings)
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s"}):
            return Client(str(plan.address), timeout=CONNECT_TIMEOUT, security=secured,
                          set_as_default=False, name=name)
    except Exception as error:  # refused, timed out, or something else answering there
        log.warning("cannot reach %s", plan.address, exc_info=True)
        raise ClusterLost(f"cannot reach the cluster at {plan.address}: {one_line(error)}"
                          ) from None


def workers(client: Client) -> dict[str, dict[str, Any]]:
    """The scheduler's workers by address (name, threads, resources)."""
    return dict(client.scheduler_info(n_workers=-1).get("workers", {}))


def lacking(info: dict[str, Any], needed: dict[str, float]) -> list[str]:
    """The resources (``termkam``, ``model:ID``) of ``needed`` a worker does not offer."""
    offered = info.get("resources") or {}
    return [name for name in needed if offered.get(name, 0) < needed[name]]


def refusal(address: str, info: dict[str, Any], missing: list[str]) -> str:
    name = info.get("name") or address
    if TERMKAM in missing:
        return f"{name} is not a termkam worker: it takes no photos"
    other = [need for need in missing if need.startswith(f"{TERMKAM}:")]
    if other:
        return (f"{name} runs another termkam version (this job's is "
                f"{other[0].partition(':')[2]}): it takes no photos until it runs the same")
    models = ", ".join(need.partition(":")[2] for need in missing)
    return (f"{info.get('name') or address} has no {models}: it takes none of this job's "
            "photos (install the model there: termkam models)")


class Collector:
    """The photos in flight on the cluster, in submission order."""

    def __init__(self, ctx: JobContext, step: Step, plan: ClusterPlan, client: Client) -> None:
        assert step.work is not None
        self.ctx, self.step, self.plan, self.client = ctx, step, plan, client
        self.needed = needed_resources(step.work)
        self.uses_sidecar = bool(getattr(step.work, "uses_sidecar", False))
        self.pending: dict[Future, tuple[Any, int]] = {}   # -> (item, attempt)
        self.told: set[str] = set()
        self.threads = 0
        self.capable: list[str] = []
        self.without_workers: float | None = None   # since when no worker can take photos
        self._work: Future | None = None
        self.tag = f"termkam-{ctx.kind}-{ctx.job_id}-{uuid.uuid4().hex[:8]}"

    def look_at_workers(self) -> int:
        """Threads of the workers able to run the job; a job error line, once, for each
        worker that cannot."""
        threads = 0
        capable = []
        for address, info in workers(self.client).items():
            missing = lacking(info, self.needed)
            if not missing:
                threads += int(info.get("nthreads") or 1)
                capable.append(address)
            elif address not in self.told:
                self.told.add(address)
                reason = refusal(address, info, missing)
                with self.ctx.library.writing():
                    joblog.add_item_errors(self.ctx.job_id, [(None, f"worker {address}",
                                                              reason)])
                self.ctx.item_noted(f"worker {address}", reason)
        self.threads, self.capable = threads, capable
        if threads:
            self.without_workers = None
        elif self.without_workers is None:
            self.without_workers = time.monotonic()
        elif time.monotonic() - self.without_workers > NO_WORKER_LIMIT:
            raise ClusterLost(f"no worker able to run this job has been at {self.plan.address} "
                              f"for {NO_WORKER_LIMIT // 60} minutes; the photos done so far are "
                              "saved: resume the job when one is back")
        return threads

    def work(self) -> Future:
        """The job's work, handed once to every worker (a learned model inside it can weigh
        megabytes), handed again if the workers holding it are gone."""
        if self._work is None or self._work.status != "finished":
            self._work = self.client.scatter(self.step.work, workers=self.capable or None,
                                             broadcast=True, hash=False, direct=False,
                                             timeout=SEND_TIMEOUT)
        return self._work

    def wait_for_workers(self) -> None:
        deadline = time.monotonic() + WORKER_WAIT
        while not self.look_at_workers():
            if self.ctx.cancelled:
                return
            if time.monotonic() > deadline:
                models = ", ".join(self.step.work.models) if self.step.work else ""
                raise ClusterLost(
                    f"no termkam worker{' with ' + models if models else ''} at "
                    f"{self.plan.address}: start one with `termkam worker {self.plan.address}`")
            self.ctx.progress(WAITING)
            time.sleep(1)

    def submit(self, item: Any, attempt: int = 1) -> Outcome | None:
        """Send one photo; its outcome now if it cannot be sent (unreadable here)."""
        photo, error = guarded(lambda record: photo_to_send(record, self.plan.path_map,
                                                            self.uses_sidecar),
                               item, self.step.describe)
        if error is not None:
            return Outcome(item, None, error)
        sent = self.scattered(photo) if photo.data is not None else photo
        future = self.client.submit(analyse_remote, self.work(), sent, pure=False,
                                    key=f"{self.tag}-{item.id}-{attempt}",
                                    resources=self.needed)
        self.pending[future] = (item, attempt)
        return None

    def scattered(self, photo: Any) -> Future:
        """The photo handed to a capable worker through the scheduler."""
        pauses = iter(SEND_PAUSES)
        while True:
            try:
                return self.client.scatter(photo, workers=self.capable or None, hash=False,
                                           direct=False, timeout=SEND_TIMEOUT)
            except Exception as error:  # a worker chosen just died: choose among the living
                pause = next(pauses, None)
                if pause is None or self.client.status != "running" or self.ctx.cancelled:
                    raise ClusterLost(f"cannot send photos to the cluster at "
                                      f"{self.plan.address}: {one_line(error)}") from None
                log.info("sending a photo failed, again in %s s", pause, exc_info=True)
                time.sleep(pause)
                self.look_at_workers()

    def collect(self, batch: deque[Outcome]) -> None:
        """Add to ``batch`` the outcomes of the photos done (waits up to POLL seconds)."""
        from distributed import wait

        if not self.pending:
            return
        try:
            with self.client.as_current():
                wait(list(self.pending), timeout=POLL, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return
        except Exception:  # cancelled futures (bytes lost with a worker): sorted out below
            log.debug("waiting for the cluster", exc_info=True)
        for future in [future for future in self.pending if future.done()]:
            outcome = self.outcome(*self.pending.pop(future), future)
            if outcome is not None:
                batch.append(outcome)

    def outcome(self, item: Any, attempt: int, future: Future) -> Outcome | None:
        """The photo's outcome; None when it was sent again (a worker died with it)."""
        from distributed import KilledWorker

        reply = self.reply(future)
        if reply is not None:
            problem = mismatch(item, reply)
            if problem is not None:
                return Outcome(item, None, problem)
            return Outcome(item, reply.result, reply.error)
        if self.client.status != "running":  # the scheduler went away with our tasks
            raise ClusterLost(f"lost the cluster at {self.plan.address}; the photos done so "
                              "far are saved: resume the job when it is back")
        error = future.exception() if future.status == "error" else None
        if attempt < ATTEMPTS and not isinstance(error, KilledWorker):
            self.look_at_workers()
            return self.submit(item, attempt + 1)
        reason = (one_line(error) if error is not None else
                  f"the worker holding it went away, {ATTEMPTS} times")
        return Outcome(item, None, f"the cluster could not run it: {reason}")

    def reply(self, future: Future) -> Reply | None:
        """A finished task's reply; None if it is not finished, or was lost with the worker
        that held it before it reached the job."""
        if future.status != "finished":
            return None
        try:
            return future.result(timeout=SEND_TIMEOUT)
        except Exception:  # lost with its worker, or the cluster: the caller sorts out which
            log.info("a reply was lost with its worker", exc_info=True)
            return None

    def cancel(self) -> None:
        """Take the photos in flight off the cluster (best effort: a cluster gone already
        dropped them)."""
        try:
            if self.pending:
                self.client.cancel(list(self.pending), force=True)
        except Exception:
            log.info("cancelling the job's tasks", exc_info=True)
        self.pending.clear()


def run_on_cluster(ctx: JobContext, step: Step, items: Iterable[Any], phase: str,
                   plan: ClusterPlan) -> bool:
    """``run_pipeline`` with the step's work done on the cluster; False when cancelled."""
    if ctx.total == 0:
        return True  # nothing to send: the cluster is not needed
    if plan.warning:
        ctx.item_noted("cluster", plan.warning)
    client = connect(plan, f"termkam job {ctx.job_id}")
    collector = Collector(ctx, step, plan, client)
    try:
        collector.wait_for_workers()
        _collect(ctx, step, collector, iter(items), phase)
    except TermkamError:
        raise
    except Exception as error:
        if client.status == "running":
            raise
        raise ClusterLost(f"lost the cluster at {plan.address} ({one_line(error)}); the photos "
                          "done so far are saved: resume the job when it is back") from None
    finally:
        collector.cancel()
        try:
            client.close(timeout=5)
        except Exception:
            log.info("closing the cluster client", exc_info=True)
    return not ctx.cancelled


def _collect(ctx: JobContext, step: Step, collector: Collector, source: Iterator[Any],
             phase: str) -> None:
    batch: deque[Outcome] = deque()
    try:
        _send_and_gather(ctx, step, collector, source, phase, batch)
    finally:  # what came back is written, whatever stopped the job
        if batch:
            write_outcomes(ctx, step, list(batch), phase)


def _send_and_gather(ctx: JobContext, step: Step, collector: Collector,
                     source: Iterator[Any], phase: str, batch: deque[Outcome]) -> None:
    exhausted = False
    looked = time.monotonic()
    ctx.progress(phase)
    while not ctx.cancelled:
        if time.monotonic() - looked > 5:       # workers come and go: size the window again
            if not collector.look_at_workers():
                ctx.progress(WAITING)
            looked = time.monotonic()
        window = max(2, PER_THREAD * collector.threads)
        while not exhausted and len(collector.pending) < window and not ctx.cancelled:
            item = next(source, None)
            if item is None:
                exhausted = True
            elif (refused := collector.submit(item)) is not None:
                batch.append(refused)
        if exhausted and not collector.pending:
            break
        collector.collect(batch)
        if len(batch) >= step.batch_size:
            write_outcomes(ctx, step, list(batch), phase)
            batch.clear()
