"""A real Dask cluster on 127.0.0.1 for the cluster tests: `dask scheduler` and `termkam
worker` processes, as a user starts them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent
START_TIMEOUT = 120


class Cluster:
    """A scheduler and its workers; ``address`` is where jobs send their photos."""

    def __init__(self, folder: Path, env: dict[str, str], scheduler_args: tuple[str, ...] = (),
                 security: Any = None) -> None:
        self.folder, self.env, self.security = folder, env, security
        self.workers: dict[str, subprocess.Popen] = {}
        info = folder / "scheduler.json"
        with open(folder / "scheduler.log", "wb") as log:  # the child keeps its own copy
            self.scheduler = subprocess.Popen(
                [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(info), *scheduler_args],
                env=env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT
        while not info.exists() or not info.read_text().strip():
            assert self.scheduler.poll() is None, (folder / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole before the scheduler listens
        self.address: str = json.loads(info.read_text())["address"]

    def start_worker(self, name: str, *extra: str, env: dict[str, str] | None = None
                     ) -> subprocess.Popen:
        """A `termkam worker`, returned once it has joined (its banner printed)."""
        log = self.folder / f"{name}.log"
        with open(log, "wb") as errors:
            worker = subprocess.Popen(
                [str(BIN / "termkam"), "worker", self.address, "--threads", "1", "--name",
                 name, *extra], env={**self.env, **(env or {})},
                stdout=subprocess.PIPE, stderr=errors, text=True)
        assert worker.stdout is not None
        banner = worker.stdout.readline()
        assert "joined" in banner, f"worker {name} did not join: {log.read_text()[-2000:]}"
        self.workers[name] = worker
        return worker

    def kill_worker(self, name: str) -> None:
        worker = self.workers.pop(name)
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    def client(self) -> Any:
        from distributed import Client

        return Client(self.address, timeout=30, set_as_default=False, security=self.security)

    def executed(self) -> dict[str, int]:
        """Tasks each live worker has run."""
        def count(dask_worker: Any) -> int:
            return int(dask_worker.state.executed_count)

        with self.client() as client:
            by_address = client.run(count)
            names = {a: w.get("name") for a, w in client.scheduler_info(n_workers=-1)[
                "workers"].items()}
        return {str(names.get(a, a)): n for a, n in by_address.items()}

    def tasks_left(self) -> tuple[int, int]:
        """(tasks the scheduler holds, tasks the workers are running)."""
        def executing(dask_worker: Any) -> int:
            return int(dask_worker.state.executing_count)

        with self.client() as client:
            held = client.run_on_scheduler(
                lambda dask_scheduler: sum(1 for key in dask_scheduler.tasks
                                           if str(key).startswith("termkam-")))
            running = sum(client.run(executing).values())
        return held, running

    def close(self) -> None:
        for worker in self.workers.values():
            worker.terminate()
        for worker in self.workers.values():
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.scheduler.terminate()
        try:
            self.scheduler.wait(10)
        except subprocess.TimeoutExpired:
            self.scheduler.kill()


def cluster_env(folder: Path, models_dir: Path) -> dict[str, str]:
    """The processes' environment: one model thread each, this session's models."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMKAM_")}
    env.update(TERMKAM_THREADS="1", TERMKAM_MODELS_DIR=str(models_dir),
               XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"),
               XDG_CACHE_HOME=str(folder / "cache"))
    return env


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, _shared_models_dir: Path
            ) -> Iterator[Cluster]:
    """A scheduler and two single-thread termkam workers on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("cluster")
    running = Cluster(folder, cluster_env(folder, _shared_models_dir))
    try:
        for name in ("w1", "w2"):
            running.start_worker(name)
        yield running
    finally:
        running.close()
