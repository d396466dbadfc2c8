"""What runs on a ``termkam worker``: each job's analysis, opened once per worker thread and
kept while jobs with the same work come, and the report of what the worker can run."""

from __future__ import annotations

import os
import platform
import threading
from collections import OrderedDict
from typing import Any

from engine.analysis import PROTOCOL, Analysis, Photo, Reply, Work, analyse, one_line

PLUGIN_NAME = "termkam"
TERMKAM = "termkam"                  # the resource every termkam worker offers
KEPT = 2                             # analyses kept per thread (a job's and the one before)
_local = threading.local()


def model_resource(model_id: str) -> str:
    """The Dask resource a worker offers for each model it has."""
    return f"model:{model_id}"


def version_resource() -> str:
    """The resource of this termkam version and analysis protocol: a job's work is
    understood by workers of the same ones only."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("termkam")
    except PackageNotFoundError:  # run from a source tree
        installed = "source"
    return f"{TERMKAM}:{installed}/{PROTOCOL}"


def needed_resources(work: Work) -> dict[str, float]:
    return {TERMKAM: 1, version_resource(): 1, **{model_resource(m): 1 for m in work.models}}


class ModelHost:
    """This worker's analyses: opened on the first task of a work, per thread (OpenCV's
    networks are not safe to share between threads), and kept."""

    def __init__(self, model_threads: int) -> None:
        self.model_threads = model_threads

    def analysis(self, work: Work) -> Analysis:
        """The work's analysis for this thread; a work whose models failed to open fails
        again at once, with the same reason (no second try per photo)."""
        kept: OrderedDict[Work, Analysis | Exception] = getattr(_local, "kept", None) or \
            OrderedDict()
        _local.kept = kept
        if work in kept:
            kept.move_to_end(work)
        else:
            try:
                kept[work] = work.open(self.model_threads)
            except Exception as error:
                kept[work] = error
        while len(kept) > KEPT:
            kept.popitem(last=False)
        found = kept[work]
        if isinstance(found, Exception):
            raise found
        return found


_host: ModelHost | None = None


def install(host: ModelHost) -> None:
    global _host
    _host = host


def analyse_remote(work: Work, photo: Photo) -> Reply:
    """The task: analyse one photo with this worker's models."""
    host = _host or ModelHost(1)
    try:
        analysis = host.analysis(work)
    except Exception as error:  # a model this worker cannot open: the photo says why
        return Reply(photo.image_id, None, f"worker {platform.node()}: {_reason(error)}")
    return analyse(analysis, [photo])[0]


def _reason(error: BaseException) -> str:
    from engine.errors import TermkamError
    from models.errors import ModelError

    return str(error) if isinstance(error, TermkamError | ModelError) else one_line(error)


def available_models() -> list[str]:
    """The ids of the models whose weights and runtime are on this machine."""
    from engine import config
    from models import registry
    from models.runtimes import runtime_missing

    models_dir = config.models_dir()
    return [spec.id for spec in registry.MODELS
            if runtime_missing(spec) is None and registry.status(spec, models_dir).present]


def report() -> dict[str, Any]:
    """What this worker runs with (for ``termkam cluster check`` and the worker's banner)."""
    from importlib.metadata import version

    from models.runtimes import execution_providers

    return {"host": platform.node(), "pid": os.getpid(), "termkam": version("termkam"),
            "models": available_models(), "providers": execution_providers()}
