"""`termkam scan PATH...`: add folders to the library and bring the catalog up to date."""

from __future__ import annotations

import argparse

from engine.errors import OptionError

from .arguments import positive_int
from .commands import summary
from .common import open_engine, run_foreground


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("scan", parents=[common], help=summary("scan"),
                            description="Add folders as collections (if new) and scan them: "
                            "new, changed, moved and deleted files. Without PATH, rescans "
                            "every collection.")
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("--workers", type=positive_int, default=2,
                        help="decode threads (default 2)")
    parser.add_argument("--batch-size", type=positive_int, default=32,
                        help="files per transaction")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    parser.add_argument("--json", action="store_true",
                        help="the result as JSON on stdout (progress stays on stderr)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        if not args.paths and not engine.collections():
            raise OptionError("nothing to scan yet: give a folder, e.g. termkam scan "
                              "~/Pictures")
        handle = engine.scan(args.paths, workers=args.workers, batch_size=args.batch_size)
        return run_foreground(engine, handle, args.quiet, as_json=args.json)
