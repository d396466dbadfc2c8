"""`termkam demo`: a demo library of real photos, scanned and opened in the TUI, where the face,
tag and quality tools then run as jobs (Maintenance shows them), so People has clusters of
unknown faces to name and Albums has tags and pick labels to filter by."""

from __future__ import annotations

import argparse
from typing import Any

from engine import config, samples
from engine.engine import Engine
from engine.jobs import JobHandle

from .commands import summary
from .common import PARTIAL, open_engine, run_foreground
from .jobs_cmd import AFTER_SCAN


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("demo", parents=[common], help=summary("demo"),
                            description="Fetch a small collection of freely licensed photos, "
                            "scan it into a demo library, start the TUI on it and run the face, "
                            "tag and quality tools there.")
    parser.add_argument("--no-tui", action="store_true",
                        help="prepare the library only (the tools run here, with progress)")
    parser.set_defaults(handler=run)


def tools_pending(engine: Engine) -> bool:
    """Whether the tools have photos left to do: quality, the last of them, labels every photo
    it scores, so a photo without a pick label has not been through them all."""
    return sum(engine.browse.pick_counts().values()) < engine.counts().ok


def start_tools(engine: Engine) -> JobHandle:
    """Queue the tools, one after the other (each goes on where a killed run stopped)."""
    first, *rest = AFTER_SCAN
    return engine.start(first, {"then": rest})


def run(args: argparse.Namespace) -> int:
    home = config.data_home() / "demo"
    args.library = getattr(args, "library", None) or str(home / "library")
    photos = samples.make_demo_collection(home / "photos", log=print)
    with open_engine(args) as engine:
        code = run_foreground(engine, engine.scan([str(photos)]))
        if code in (0, PARTIAL) and args.no_tui and tools_pending(engine):
            code = run_foreground(engine, start_tools(engine))
    if code not in (0, PARTIAL) or args.no_tui:
        return code
    from .tui_cmd import run_tui

    return run_tui(args, start_in_tui)


def start_in_tui(app: Any) -> None:
    """Once the TUI runs: the tools, if photos are left for them, as jobs it shows."""
    if tools_pending(app.engine):
        start_tools(app.engine)
        app.notify("Finding faces, tags and quality in the demo photos: Maintenance (2) "
                   "shows the progress, People (3) the faces to name.", timeout=10)
