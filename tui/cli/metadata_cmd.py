"""`termkam metadata ...`: write the decisions back to the photos' metadata (XMP sidecars by
default, or the files), see what a write would change, and the write-back settings."""

from __future__ import annotations

import argparse

from engine.job_kinds import WRITE_MODES, WRITE_TARGETS
from engine.printable import printable
from engine.writeback.settings import MetadataSettings

from .commands import summary
from .common import open_engine, run_foreground
from .jobs_cmd import scope_options
from .json_output import print_json
from .settings_cmd import add_settings_parser


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("metadata", parents=[common],
                            help=summary("metadata"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    write = actions.add_parser(
        "write", parents=[common], help="write decisions into XMP sidecars (or the files)",
        description="Write names (People/<name> and face regions), tags and pick labels in "
        "the keys digiKam, Lightroom and exiftool read. Sidecars are named photo.jpg.xmp; "
        "--to file writes into the photos themselves (atomically; RAW files always get a "
        "sidecar). Values termkam did not write are never changed.")
    write.add_argument("--to", choices=WRITE_TARGETS, help="sidecar (default) or file")
    write.add_argument("--mode", choices=WRITE_MODES, default="changed",
                       help="changed: photos never written or with decisions since (default); "
                       "all: every photo; pending: only those waiting for the write-back")
    write.add_argument("--album", action="append", metavar="DIR", help="only this album")
    write.add_argument("--image", action="append", metavar="FILE", help="only this photo")
    write.add_argument("--dry-run", action="store_true", help="print what would change")
    write.add_argument("--json", action="store_true", help="with --dry-run: as JSON")
    write.add_argument("-q", "--quiet", action="store_true")
    write.set_defaults(handler=run_write)
    add_settings_parser(actions, common, "metadata", MetadataSettings())


def run_write(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        options = {**scope_options(engine, args), "mode": args.mode}
        if args.to:
            options["to"] = args.to
        if args.dry_run:
            return _dry_run(engine.metadata.dry_run(options), args.json)
        return run_foreground(engine, engine.start("metadata.write", options), args.quiet)


def _dry_run(plans, as_json: bool) -> int:
    if as_json:
        print_json("written", [{"path": r.path, **({"error": c} if isinstance(c, str) else
                                                  {"changes": c})} for r, c in plans])
        return 0
    changing = 0
    for record, changes in plans:
        if isinstance(changes, str):
            print(f"{printable(record.path)}: cannot write: {printable(changes)}")
        elif changes:
            changing += 1
            print(f"{printable(record.path)}: {printable('; '.join(changes))}")
    print(f"{changing} of {len(plans)} photos would change (nothing was written)")
    return 0
