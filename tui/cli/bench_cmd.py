"""`termkam bench faces --orl`: recognition accuracy on the ORL faces, engine code path."""

from __future__ import annotations

import argparse
import sys
import tempfile

from engine import config
from engine.faces import orl

from .commands import summary
from .common import open_engine, run_foreground


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("bench", help=summary("bench"))
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    faces = what.add_parser("faces", help="face recognition on the ORL faces (DATA.md)")
    faces.add_argument("--orl", action="store_true", required=True,
                       help="the ORL protocol: k = 1, 2, 5 and the open set")
    faces.add_argument("--seeds", type=int, default=5)
    faces.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="a face setting for this run, e.g. recognition_distance=0.5")
    faces.set_defaults(handler=bench_faces)


def bench_faces(args: argparse.Namespace) -> int:
    photos = config.cache_home() / f"orl-collection-b{orl.BORDER}-x{orl.UPSCALE}"
    truth = orl.build_collection(photos)
    with (tempfile.TemporaryDirectory(prefix="termkam-orl-") as library,
          open_engine(argparse.Namespace(library=library)) as engine):
        for assignment in args.set:
            name, _, value = assignment.partition("=")
            engine.faces.set_setting(name.strip(), value.strip())
        for handle in (engine.scan([str(photos)]), engine.start("faces.detect")):
            if run_foreground(engine, handle, quiet=True):
                return 1
        report = orl.run_protocol(engine, truth, seeds=args.seeds,
                                  log=lambda line: print(line, file=sys.stderr))
    print("\n".join(report.lines()))
    return 0
