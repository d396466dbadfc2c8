"""`termkam tags ...`: each image's tags with source and confidence, and the user's verdicts
on auto tags (confirm, remove, add)."""

from __future__ import annotations

import argparse
import os

from engine.catalog.records import ImageRecord
from engine.engine import Engine
from engine.errors import TermkamError
from engine.printable import counted, display_width, padded, printable
from engine.tagging.settings import TagSettings
from engine.validation import parse_tag

from .commands import summary
from .common import open_engine
from .json_output import print_json
from .settings_cmd import add_settings_parser


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("tags", parents=[common], help=summary("tags"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common],
                                 help="each image's tags with source and confidence")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--source", choices=["user", "auto", "metadata"])
    listing.add_argument("--all", action="store_true", help="also list images without tags")
    listing.set_defaults(handler=list_tags)
    vocab = actions.add_parser("classes", parents=[common],
                               help="the tag groups and tags the models can give")
    vocab.add_argument("--model", help="one model's tags only")
    vocab.set_defaults(handler=list_classes)
    evaluate = actions.add_parser(
        "eval", parents=[common], help="precision per tag from the tags you confirmed and "
        "removed", description="Per tag: the auto tags you confirmed (right), removed "
        "(wrong) and not judged yet, the precision that makes, and the minimum a removal "
        "taught (the `learn` setting).")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate.set_defaults(handler=evaluate_tags)
    add_settings_parser(actions, common, "tags", TagSettings())
    for verb, text in (("confirm", "make an auto tag yours"),
                       ("remove", "remove a tag (an auto tag never comes back)"),
                       ("add", "tag a photo by hand")):
        action = actions.add_parser(verb, parents=[common], help=text)
        action.add_argument("image", metavar="FILE")
        action.add_argument("tag", metavar="TAG", help="a tag path, e.g. Animals/Cat")
        action.set_defaults(handler=decide, verb=verb)


def list_tags(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        rows = [(record, tags) for record, tags in engine.tags.tagged_images(args.source)
                if tags or args.all]
        if args.json:
            print_json("tags", [{"path": record.path, "tags": [
                {"tag": "/".join(t.path), "source": t.source, "confidence": t.confidence}
                for t in tags]} for record, tags in rows])
            return 0
        for record, tags in rows:
            shown = ", ".join(f"{printable('/'.join(t.path))} ({t.source}"
                              + (f" {t.confidence:.2f})" if t.confidence is not None else ")")
                              for t in tags)
            print(f"{printable(record.path)}  {shown or '-'}")
        print(f"{counted(sum(1 for _, tags in rows if tags), 'image')} with tags")
        return 0


def evaluate_tags(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        rows = engine.tags.evaluation()
        if args.json:
            print_json("tag_eval", [{
                "tag": v.tag, "confirmed": v.confirmed, "removed": v.removed,
                "pending": v.pending, "precision": v.precision,
                "lowest_confirmed": v.lowest_confirmed, "highest_removed": v.highest_removed,
                "learnt_minimum": learnt} for v, learnt in rows])
            return 0
        judged = [v for v, _ in rows if v.precision is not None]
        if not judged:
            print("no auto tag confirmed or removed yet: `termkam tags confirm|remove FILE TAG`")
        else:
            width = max(display_width(v.tag) for v, _ in rows)
            print(f"{padded('TAG', width)}  CONFIRMED  REMOVED  PENDING  PRECISION  LEARNT MIN")
            for verdict, learnt in rows:
                precision = "-" if verdict.precision is None else f"{verdict.precision:.0%}"
                minimum = "-" if learnt is None else f"{learnt:.2f}"
                print(f"{padded(printable(verdict.tag), width)}  {verdict.confirmed:>9}  "
                      f"{verdict.removed:>7}  {verdict.pending:>7}  {precision:>9}  "
                      f"{minimum:>10}")
            right = sum(v.confirmed for v in judged)
            wrong = sum(v.removed for v in judged)
            print(f"{right} confirmed, {wrong} removed: precision {right / (right + wrong):.1%}"
                  f" on the auto tags you judged")
        return 0


def list_classes(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        for group, tags in engine.tags.vocabulary(args.model).items():
            print(f"{group}: {', '.join(tag.split('/', 1)[1] for tag in tags)}")
        return 0


def decide(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        record = _image(engine, args.image)
        path = parse_tag(args.tag)
        if args.verb == "add":
            engine.tags.add(record.id, path)
            print(f"tagged {printable(record.path)} with {printable(args.tag)}")
            return 0
        changed = getattr(engine.tags, args.verb)(record.id, path)
        if not changed:
            raise TermkamError(f"{printable(record.path)} has no "
                               f"{'auto ' if args.verb == 'confirm' else ''}tag "
                               f"{printable(args.tag)}")
        print(f"{'confirmed' if args.verb == 'confirm' else 'removed'} {printable(args.tag)} "
              f"on {printable(record.path)}")
        return 0


def _image(engine: Engine, path: str) -> ImageRecord:
    record = engine.find_image(os.path.realpath(path))
    if record is None:
        raise TermkamError(f"not in the catalog: {path}")
    return record
