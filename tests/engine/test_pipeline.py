"""The generic pipeline and job runner, with a real batched step over real photos."""

from __future__ import annotations

import threading

import numpy as np

from engine import decode
from engine.catalog import images, state
from engine.events import ItemFailed, JobFinished, JobStarted, Progress
from engine.jobs import JobKind, JobRunner
from engine.pipeline import Step, run_pipeline

STEP, MODEL, VERSION = "mean-colour", "numpy", "1"


def mean_colour_job(batches: list[int], gate: threading.Event | None = None) -> JobKind:
    """A job whose 'model' is a batched numpy reduction; it records processing state."""

    def run(ctx):
        todo = set(state.pending(STEP, MODEL, VERSION))
        records = [images.get_image(i) for i in ctx.options["ids"] if i in todo]
        ctx.total = len(records)

        def infer(pixels):
            batches.append(len(pixels))
            if gate is not None:
                gate.wait(10)
            return list(np.stack([p.mean(axis=(0, 1)) for p in pixels]))

        def write(outcomes):
            state.mark_done([o.item.id for o in outcomes if o.error is None], STEP, MODEL,
                            VERSION)

        step = Step(STEP, lambda r: decode.decode_file(r.path, max_side=64), write, infer,
                    describe=lambda r: r.path, image_id=lambda r: r.id, batch_size=4)
        run_pipeline(ctx, step, records)
        return f"{ctx.done} images"

    return JobKind(STEP, "Mean colour", run)


def start(engine, kind, events, **options):
    runner = JobRunner(engine.library, {kind.kind: kind}, events.append)
    return runner, runner.submit(kind.kind, options)


def test_batches_events_errors_and_one_transaction_per_batch(engine, photo_tree, monkeypatch):
    engine.scan([str(photo_tree)]).wait(60)
    records = engine.images()
    (photo_tree / "people" / "single_face.jpg").unlink()   # now an item error
    commits = []
    original = engine.library.writing
    monkeypatch.setattr(engine.library, "writing", lambda: commits.append(1) or original())
    batches, events = [], []
    runner, handle = start(engine, mean_colour_job(batches), events,
                           ids=[r.id for r in records])
    result = handle.wait(60)
    runner.shutdown()
    assert result.state == "done" and result.done == len(records) and result.errors == 1
    assert sum(batches) == len(records) - 1 and max(batches) <= 4
    batch_count = -(-len(records) // 4)
    # one per batch, plus the job's queued, running and finished records
    assert len(commits) == batch_count + 3
    assert isinstance(events[0], JobStarted) and isinstance(events[-1], JobFinished)
    failed = [e for e in events if isinstance(e, ItemFailed)]
    assert len(failed) == 1 and failed[0].path.endswith("single_face.jpg")
    assert "cannot read" in failed[0].reason
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].done == progress[-1].total == len(records)
    assert engine.job_errors(handle.job_id)[0].reason == failed[0].reason
    assert len(state.pending(STEP, MODEL, VERSION)) == 1   # the failed one stays to do


def test_cancel_stops_between_batches_and_a_rerun_resumes(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    records = engine.images()
    gate = threading.Event()
    batches, events = [], []
    runner, handle = start(engine, mean_colour_job(batches, gate), events,
                           ids=[r.id for r in records])
    while not batches:
        threading.Event().wait(0.01)
    handle.cancel()
    gate.set()
    result = handle.wait(30)
    assert result.state == "cancelled" and 0 < result.done < len(records)
    assert engine.job(handle.job_id).state == "cancelled"
    done_first = len(records) - len(state.pending(STEP, MODEL, VERSION))
    assert done_first == result.done
    handle2 = runner.submit(STEP, {"ids": [r.id for r in records]})
    second = handle2.wait(30)
    runner.shutdown()
    assert second.state == "done" and second.done == len(records) - done_first
    assert state.pending(STEP, MODEL, VERSION) == []


def test_a_model_version_change_marks_work_stale(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    ids = [r.id for r in engine.images()]
    with engine.library.writing():
        state.mark_done(ids, STEP, MODEL, VERSION)
    assert state.pending(STEP, MODEL, VERSION) == []
    assert state.pending(STEP, MODEL, "2") == sorted(ids)


def test_thumbnails_job_rebuilds_missing_thumbnails(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    victim = engine.images()[0]
    with engine.library.writing():
        state.clear([victim.id], "thumb")
    result = engine.start("thumbnails").wait(60)
    assert result.state == "done" and result.done == 1
    everything = engine.start("thumbnails", {"mode": "all"}).wait(60)
    assert everything.done == len(engine.images())
