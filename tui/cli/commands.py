"""Every command: the module that builds its arguments and runs it, and its one-line help.

The top-level parser lists the commands from this table alone; only the module of the command
being run is imported, so ``termkam --help`` loads neither numpy, OpenCV nor the catalog.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("scan_cmd", "scan folders into the catalog"),
    "status": ("status_cmd", "counts, last jobs, errors"),
    "jobs": ("jobs_cmd", "job history, errors, resume"),
    "run": ("jobs_cmd", "run a maintenance tool headless"),
    "faces": ("faces_cmd", "faces, persons and decisions"),
    "tags": ("tags_cmd", "image tags and auto tags"),
    "quality": ("quality_cmd", "image quality and pick labels"),
    "metadata": ("metadata_cmd", "write names, tags and labels back to the photos"),
    "import": ("import_cmd", "bring your work over from another photo manager"),
    "models": ("models_cmd", "list, install and check the AI models"),
    "config": ("config_cmd", "effective settings and where each comes from"),
    "samples": ("samples_cmd", "fetch the sample photo sets"),
    "bench": ("bench_cmd", "accuracy benchmarks (speed: see bench/)"),
    "worker": ("worker_cmd", "run the AI models for another machine's jobs (Dask)"),
    "compute": ("compute_cmd", "where the AI jobs run: check a cluster, its settings"),
    "demo": ("demo_cmd", "open a demo library of sample photos"),
    "completion": ("completion_cmd", "print a shell completion script (bash, zsh or fish)"),
}


def summary(name: str) -> str:
    """The one-line help of command ``name``."""
    return COMMANDS[name][1]
