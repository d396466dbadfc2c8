"""The ``termkam worker`` process: a Dask worker that offers termkam's models.

Each model whose weights and runtime are on this machine becomes a Dask resource
(``model:ID``), so the scheduler gives a job's photos only to workers that can run them.
The models are opened on a worker thread's first photo of a job and kept (``remote``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable
from typing import Any

import dask
from distributed import Worker, WorkerPlugin

from .address import Address
from .remote import TERMKAM, ModelHost, install, model_resource, version_resource

JOIN_TIMEOUT = 60        # seconds a worker tries to reach its scheduler


class NotJoined(Exception):
    """The scheduler could not be reached."""


class TermkamPlugin(WorkerPlugin):
    """Installs the worker's model host when the worker starts."""

    name = "termkam"

    def __init__(self, model_threads: int) -> None:
        self.model_threads = model_threads

    def setup(self, worker: Worker) -> None:
        import cv2

        # OpenCV's filters share the cores as the models do: N photos at once, each with its
        # share (on one core, filter threads only take turns; quality scoring gets ~1.4x)
        cv2.setNumThreads(self.model_threads)
        install(ModelHost(self.model_threads))


def model_threads(tasks: int) -> int:
    """Threads each model call uses: $TERMKAM_THREADS, else the cores shared by the tasks."""
    value = os.environ.get("TERMKAM_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, (os.cpu_count() or 1) // tasks)


def resources(tasks: int, models: list[str]) -> dict[str, float]:
    return {TERMKAM: tasks, version_resource(): tasks,
            **{model_resource(m): tasks for m in models}}


def serve(address: Address, security: Any, tasks: int, models: list[str], name: str | None,
          ready: Callable[[Worker], None]) -> int:
    """Run the worker until the scheduler goes away or a signal stops it; the exit code."""
    logging.getLogger("distributed").setLevel(logging.ERROR)  # its notices are not the user's
    # Dask samples every worker thread's stack each 10 ms for its dashboard's profile:
    # termkam shows no dashboard, and the photos want that CPU
    dask.config.set({"distributed.worker.profile.enabled": False})

    async def main() -> int:
        worker = Worker(str(address), nthreads=tasks, resources=resources(tasks, models),
                        plugins={TermkamPlugin(model_threads(tasks))}, security=security,
                        name=name, protocol=address.scheme, dashboard=False,
                        death_timeout=JOIN_TIMEOUT)
        loop = asyncio.get_running_loop()
        joining = asyncio.ensure_future(worker.start())
        stopped = False

        def stop() -> None:
            nonlocal stopped
            stopped = True
            if joining.done():
                asyncio.ensure_future(worker.close())
            else:
                joining.cancel()

        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        try:
            await joining
        except asyncio.CancelledError:
            return 0
        except (OSError, TimeoutError) as error:
            raise NotJoined(f"cannot join {address} within {JOIN_TIMEOUT} s: is `dask "
                            f"scheduler` running there? ({error})") from None
        ready(worker)
        await worker.finished()
        return 0 if stopped else 1

    return asyncio.run(main())
