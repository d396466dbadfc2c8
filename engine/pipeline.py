"""The generic job loop: decode pool -> bounded queue -> batched model call -> one write
transaction per batch.

A job plugs in a ``Step``: ``load`` (runs in the pool: read, decode, crop; raises ItemError
for a bad item), ``infer`` (optional, batched, runs in the job thread: the model call) and
``write`` (runs inside the batch's IMMEDIATE transaction). Bad items never stop the job:
they reach ``write`` as outcomes with an error, are logged in the job's error list and are
announced as ItemFailed events.

A step that also gives its ``work`` (``engine.analysis``: the same load and infer as a
picklable value) runs that middle on a Dask cluster when the job has one
(``engine.cluster``); the writing stays here.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .analysis import Work, guarded
from .catalog import joblog

if TYPE_CHECKING:
    from .jobs import JobContext

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Loaded = TypeVar("Loaded")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Outcome(Generic[Item, Result]):
    """One item after the pipeline: a result, or the one-line reason it failed."""

    item: Item
    result: Result | None
    error: str | None = None


@dataclass
class Step(Generic[Item, Loaded, Result]):
    name: str
    load: Callable[[Item], Loaded]
    write: Callable[[list[Outcome[Item, Result]]], None]
    infer: Callable[[list[Loaded]], list[Result]] | None = None
    describe: Callable[[Item], str] = str
    image_id: Callable[[Item], int | None] = field(default=lambda item: None)
    after_write: Callable[[list[Outcome[Item, Result]]], None] | None = None
    batch_size: int = 16
    workers: int = 2
    work: Work | None = None


def run_pipeline(ctx: JobContext, step: Step, items: Iterable[Any],
                 phase: str = "processing") -> bool:
    """Run ``step`` over ``items``, counting into ``ctx``; False when it stopped on cancel.

    ``ctx.total`` should already count these items so progress shows a real ETA.
    """
    if step.work is not None and ctx.cluster is not None:
        from .cluster.plan import require_dask

        require_dask()
        from .cluster.executor import run_on_cluster

        return run_on_cluster(ctx, step, items, phase, ctx.cluster)
    source = iter(items)
    in_flight: deque[tuple[Any, Future]] = deque()
    ahead = step.workers * 2 + step.batch_size  # the bounded queue between pool and batcher
    with ThreadPoolExecutor(step.workers, thread_name_prefix=f"{step.name}-load") as pool:

        def fill() -> None:
            while len(in_flight) < ahead and not ctx.cancelled:
                item = next(source, _END)
                if item is _END:
                    return
                in_flight.append((item, pool.submit(guarded, step.load, item, step.describe)))

        fill()
        batch: list[tuple[Any, Any, str | None]] = []
        while in_flight:
            item, future = in_flight.popleft()
            loaded, error = future.result()
            batch.append((item, loaded, error))
            fill()
            if len(batch) >= step.batch_size or not in_flight:
                _flush(ctx, step, batch, phase)
                batch = []
            if ctx.cancelled:
                break
        for _, future in in_flight:
            future.cancel()
    return not ctx.cancelled


_END = object()


def _flush(ctx: JobContext, step: Step, batch: Sequence[tuple[Any, Any, str | None]],
           phase: str) -> None:
    good = [(item, loaded) for item, loaded, error in batch if error is None]
    results = step.infer([loaded for _, loaded in good]) if step.infer else [
        loaded for _, loaded in good]
    by_item = {id(item): result for (item, _), result in zip(good, results, strict=True)}
    write_outcomes(ctx, step, [Outcome(item, by_item.get(id(item)), error)
                               for item, _, error in batch], phase)


def write_outcomes(ctx: JobContext, step: Step, outcomes: list[Outcome], phase: str) -> None:
    """Write one batch in one transaction with its errors and the job's progress, then
    announce it."""
    failures = [o for o in outcomes if o.error is not None]
    with ctx.library.writing():
        step.write(outcomes)
        joblog.add_item_errors(ctx.job_id, [(step.image_id(o.item), step.describe(o.item),
                                             o.error or "") for o in failures])
        joblog.update_progress(ctx.job_id, ctx.done + len(outcomes), ctx.total,
                               ctx.errors + len(failures))
    ctx.done += len(outcomes)
    ctx.errors += len(failures)
    if step.after_write:
        step.after_write(outcomes)
    for failure in failures:
        ctx.item_failed(step.describe(failure.item), failure.error or "")
    ctx.progress(phase)
