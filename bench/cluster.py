"""Scaling of a model job on a Dask cluster of `termkam worker` processes, in one run:

Rates are steady rates: photos written after the first 10 % over the time they took, so that
process start-up and model loading (once per job, or once per worker) count nowhere.

- local, one thread (the job process held to one core, one model thread);
- the cluster with 1 worker x 1 thread, then 2 workers x 1 thread (each worker held to a
  core of its own when there are enough; the job and the scheduler run where they may);
- the cluster path's cost per photo (pickling, sending the bytes, scheduling, the reply) as
  a round trip of an empty task carrying the photo, and as the 1x1 job's time per photo
  minus the local one's;
- the time 100,000 photos would take with W single-thread workers, from the 1x1 rate and
  the 2x1 efficiency.

Target: W single-thread workers reach at least 0.8 x W times the single-thread local rate.

    .venv/bin/python bench/cluster.py [--tool faces.detect] [--files 120] [--megapixels 6]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photos import build_tree  # noqa: E402
from engine import config  # noqa: E402

BIN = Path(sys.executable).parent
TOOLS = ("faces.detect", "tags.auto", "quality.sort")
PROJECTED = 100_000


def _pinned(core: int | None) -> Callable[[], None] | None:
    if core is None or not hasattr(os, "sched_setaffinity"):
        return None
    return lambda: os.sched_setaffinity(0, {core})


def _env() -> dict[str, str]:
    return {**os.environ, "TERMKAM_THREADS": "1"}


def _progress(library: Path, kind: str) -> tuple[int, float, int, int] | None:
    """The job's (photos done, time of its last batch, total, errors) as recorded."""
    try:
        with sqlite3.connect(f"file:{library / 'catalog.db'}?mode=ro", uri=True,
                             timeout=1) as con:
            return con.execute("SELECT done, updated_at, total, errors FROM job WHERE kind = ?"
                               " ORDER BY id DESC LIMIT 1", (kind,)).fetchone()
    except sqlite3.Error:
        return None


@dataclass
class Measured:
    rate: float             # steady photos/s
    job_ms: float           # CPU of the job process per photo (all of it, start-up too)
    cluster_ms: float       # CPU of the scheduler and the workers per photo


def _cpu_seconds(pids: list[int]) -> float:
    import psutil

    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


def _run_job(scanned: Path, tool: str, work: Path, cluster: str | None,
             core: int | None = None, helpers: tuple[int, ...] = ()) -> Measured:
    """The job's steady rate (photos/s) on a fresh copy of the scanned library: photos
    written from the batch that passed 10 % of the total to the last, over the time between
    them, so that starting the process and loading the models count nowhere; and the CPU
    the job and the cluster's processes (``helpers``) spent per photo."""
    library = work / f"library-{time.monotonic_ns()}"
    shutil.copytree(scanned, library)
    args = [str(BIN / "termkam"), "--library", str(library), "run", tool, "--cluster",
            cluster or "local"]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    helpers_cpu = _cpu_seconds(list(helpers))
    job = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, preexec_fn=_pinned(core))
    first = None
    while job.poll() is None:
        seen = _progress(library, tool)
        if first is None and seen is not None and seen[2] and seen[0] >= seen[2] / 10:
            first = seen
        time.sleep(0.05)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    job_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    helpers_cpu = _cpu_seconds(list(helpers)) - helpers_cpu
    assert job.stderr is not None
    if job.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {job.stderr.read()[-2000:]}")
    last = _progress(library, tool)
    assert last is not None and first is not None and last[0] > first[0]
    if last[3]:
        raise SystemExit(f"{tool}: {last[3]} item errors, see `termkam --library {library} "
                         "jobs show`")
    shutil.rmtree(library)
    return Measured((last[0] - first[0]) / (last[1] - first[1]), job_cpu / last[0] * 1000,
                    helpers_cpu / last[0] * 1000)


@contextmanager
def _cluster(work: Path, workers: int, cores: int) -> Iterator[tuple[str, list[int]]]:
    """A scheduler on 127.0.0.1 and ``workers`` single-thread termkam workers."""
    info = work / f"scheduler-{workers}.json"
    processes = [subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(info)], env=_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        while not info.exists() or not info.read_text().strip():
            time.sleep(0.1)
        time.sleep(0.3)
        address = json.loads(info.read_text())["address"]
        for number in range(workers):
            worker = subprocess.Popen(
                [str(BIN / "termkam"), "worker", address, "--threads", "1", "--name",
                 f"bench-{number}"], env=_env(), stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True,
                preexec_fn=_pinned(number if workers <= cores else None))
            processes.append(worker)
            assert worker.stdout is not None
            if "joined" not in worker.stdout.readline():
                raise SystemExit("a worker did not start")
        yield address, [process.pid for process in processes]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(30)


def _round_trip_ms(address: str, scanned: Path, count: int) -> float:
    """ms per photo for an empty task on a photo sent as a job sends it (its bytes
    scattered through the scheduler), there and back."""
    from distributed import Client

    from engine.cluster.transfer import photo_to_send
    from engine.engine import Engine

    with Engine(scanned) as engine:
        records = engine.images()[:count]
    with Client(address, set_as_default=False) as client:
        client.submit(len, b"warm up", pure=False).result()
        start = time.perf_counter()
        for record in records:
            sent = client.scatter(photo_to_send(record, None, False), hash=False,
                                  direct=False)
            client.submit(lambda photo: len(photo.data), sent, pure=False).result()
        return (time.perf_counter() - start) / len(records) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", choices=TOOLS, default="faces.detect")
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument("--tree", type=Path, default=config.cache_home() / "bench-cluster-tree")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    build_tree(args.tree, args.files, args.megapixels)
    work = Path(tempfile.mkdtemp(prefix="termkam-bench-cluster-"))
    try:
        scanned = work / "scanned"
        subprocess.run([str(BIN / "termkam"), "--library", str(scanned), "scan",
                        str(args.tree)], check=True, capture_output=True, env=_env())
        # a first run makes FaceNet's translation and warms the page cache for everyone
        _run_job(scanned, args.tool, work, None)
        print(f"{args.tool} on {args.files} photos of {args.megapixels:g} MP, "
              f"{cores} cores, one model thread per process")
        local = _run_job(scanned, args.tool, work, None, core=0)
        print(f"  local, 1 thread            {local.rate:6.2f} photos/s   CPU a photo: "
              f"{local.job_ms:5.1f} ms")
        with _cluster(work, 1, cores) as (address, pids):
            one = _run_job(scanned, args.tool, work, address, helpers=tuple(pids))
            trip = _round_trip_ms(address, scanned, min(args.files, 30))
        print(f"  cluster 1 worker x 1       {one.rate:6.2f} photos/s   CPU a photo: "
              f"{one.job_ms:5.1f} ms job, {one.cluster_ms:5.1f} ms scheduler + worker "
              f"({one.rate / local.rate:.2f} x local)")
        with _cluster(work, 2, cores) as (address, pids):
            two = _run_job(scanned, args.tool, work, address, helpers=tuple(pids))
        print(f"  cluster 2 workers x 1      {two.rate:6.2f} photos/s   CPU a photo: "
              f"{two.job_ms:5.1f} ms job, {two.cluster_ms:5.1f} ms scheduler + workers "
              f"({two.rate / local.rate:.2f} x local, target >= 1.60: "
              f"{'met' if two.rate >= 1.6 * local.rate else 'MISSED'})")
        print(f"  cluster path per photo     {trip:6.1f} ms round trip of an empty task "
              "on a photo sent as a job sends it")
        print(f"  per-photo overhead         {(1 / one.rate - 1 / local.rate) * 1000:6.1f} ms "
              "(1x1 job minus local, per photo); CPU: "
              f"{one.job_ms + one.cluster_ms - local.job_ms:5.1f} ms")
        efficiency = two.rate / (2 * one.rate)
        print(f"  projected for {PROJECTED:,} photos (1x1 rate, 2x1 efficiency "
              f"{efficiency:.2f} per worker):")
        for workers in (1, 2, 4, 8):
            rate = one.rate * (1 if workers == 1 else workers * efficiency)
            print(f"    {workers} worker{'s' if workers > 1 else ' '} x 1   "
                  f"{PROJECTED / rate / 3600:6.1f} h")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
