"""`termkam demo`: a demo library of real photos, scanned and opened in the TUI."""

from __future__ import annotations

import argparse

from engine import config, samples

from .common import open_engine, run_foreground


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("demo", parents=[common], help="open a demo library of sample photos",
                            description="Fetch a small collection of freely licensed photos, "
                            "scan it into a demo library and start the TUI on it.")
    parser.add_argument("--no-tui", action="store_true", help="prepare the library only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    home = config.data_home() / "demo"
    args.library = getattr(args, "library", None) or str(home / "library")
    photos = samples.make_demo_collection(home / "photos", log=print)
    with open_engine(args) as engine:
        code = run_foreground(engine, engine.scan([str(photos)]))
    if code or args.no_tui:
        return code
    from .tui_cmd import run_tui

    return run_tui(args)
