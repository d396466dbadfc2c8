"""`termkam quality ...`: each photo's detector scores, quality figure and pick label; the
sorter's settings with a preview of their effect; pick labels set by hand."""

from __future__ import annotations

import argparse
import os

from engine.engine import Engine
from engine.errors import TermkamError
from engine.printable import printable
from engine.quality.scoring import LABELS, QualitySettings

from .commands import summary
from .common import open_engine
from .json_output import print_json
from .settings_cmd import add_settings_parser

SHOWN = ("blur", "noise", "exposure", "compression", "brisque", "learned")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("quality", parents=[common], help=summary("quality"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common],
                                 help="each photo's scores, quality figure and pick label")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--label", choices=LABELS)
    listing.set_defaults(handler=list_quality)
    add_settings_parser(actions, common, "quality", QualitySettings(), print_preview)
    label = actions.add_parser("label", parents=[common],
                               help="set a photo's pick label by hand (`none` removes it)")
    label.add_argument("label", choices=(*LABELS, "none"))
    label.add_argument("files", nargs="+", metavar="FILE")
    label.set_defaults(handler=set_label)


def list_quality(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        rows = [r for r in engine.quality.rows() if args.label in (None, r.label)]
        if args.json:
            print_json("quality", [{"path": r.record.path, "quality": r.figure,
                                    "label": r.label, "label_source": r.label_source,
                                    "scores": r.scores} for r in rows])
            return 0
        for row in rows:
            scores = "  ".join(f"{name} {row.scores[name]:.2f}" for name in SHOWN
                               if row.scores.get(name) is not None)
            label = f"{row.label}{' (yours)' if row.label_source == 'user' else ''}"
            print(f"{printable(row.record.path)}  {row.figure:5.1f}  {label:<17} {scores}")
        print(f"{len(rows)} photos scored")
        return 0


def print_preview(engine: Engine) -> None:
    preview = engine.quality.preview()
    counts = ", ".join(f"{n} {label}" for label, n in preview.counts.items())
    print(f"with these settings: {counts} ({preview.scored} photos scored, "
          f"{preview.by_user} labelled by you, {preview.changed} labels would change at the "
          "next run)")


def set_label(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        ids = []
        for path in args.files:
            record = engine.find_image(os.path.realpath(path))
            if record is None:
                raise TermkamError(f"not in the catalog: {path}")
            ids.append(record.id)
        label = None if args.label == "none" else args.label
        engine.browse.set_pick(ids, label)
        print(f"{len(ids)} photo{'s' if len(ids) != 1 else ''}: pick label {args.label}")
        return 0
