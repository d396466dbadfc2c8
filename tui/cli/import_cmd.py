"""`termkam import digikam DB [--map OLD=NEW ...] [--dry-run] [--json]`: a digiKam library's
persons, confirmed and ignored faces, tags, pick and colour labels and ratings, for the photos
termkam has catalogued. digiKam's database is only read."""

from __future__ import annotations

import argparse
import time

from engine.errors import TermkamError
from engine.events import JobFinished, Progress
from engine.importers.digikam_import import import_digikam
from engine.importers.digikam_paths import parse_map
from engine.importers.report import ImportReport
from engine.printable import printable

from .commands import summary
from .common import ProgressPrinter, open_engine
from .json_output import print_json

KIND = "import digikam"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("import", parents=[common],
                            help=summary("import"))
    sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    digikam = sources.add_parser(
        "digikam", parents=[common], help="a digiKam library (its digikam4.db)",
        description="Bring persons, confirmed and ignored faces, tags, pick and colour labels "
        "and ratings over from digiKam's database, for the photos termkam has catalogued "
        "(scan them first). digiKam's database is only read; running it again changes nothing.")
    digikam.add_argument("database", metavar="PATH/TO/digikam4.db")
    digikam.add_argument("--map", action="append", default=[], type=_path_map,
                         metavar="OLD_ROOT=NEW_ROOT",
                         help="digiKam's photos under OLD_ROOT are under NEW_ROOT here "
                         "(repeatable)")
    digikam.add_argument("--dry-run", action="store_true",
                         help="write nothing; print what would come in")
    digikam.add_argument("--json", action="store_true")
    digikam.set_defaults(handler=run)


def _path_map(text: str) -> tuple[str, str]:
    try:
        return parse_map(text)
    except TermkamError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    printer, started = ProgressPrinter(), time.monotonic()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-6)
        printer(Progress(0, KIND, "importing", done, total, 0, rate, (total - done) / rate))

    with open_engine(args) as engine:
        report = import_digikam(engine.library, args.database, args.map, args.dry_run, progress)
    printer(JobFinished(0, KIND, "done", 0, 0, 0, time.monotonic() - started, ""))
    if args.json:
        print_json("import", report.as_dict())
    else:
        print("\n".join(report_lines(report)))
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def report_lines(report: ImportReport) -> list[str]:
    """The report as the terminal shows it (names and paths escaped)."""
    lines = [f"digiKam database {printable(report.source)} "
             f"(schema version {report.schema_version or '?'})"]
    lines += [f"  album root {r.id}: {printable(r.digikam)}"
              + (f" -> {printable(r.here)}" if r.here != r.digikam else "") for r in report.roots]
    matched = report.matched_by_path + report.matched_by_content
    lines.append(f"photos: {report.photos} in digiKam, {matched} found in termkam "
                 f"({report.matched_by_path} by path, {report.matched_by_content} by content), "
                 f"{len(report.unmatched)} not")
    lines.append(f"{'would bring in' if report.dry_run else 'brought in'}: "
                 f"{_counts(report.new())}")
    if report.new_persons:
        lines.append(f"  new persons: {', '.join(printable(p) for p in report.new_persons)}")
    if report.faces_added:
        lines.append(f"  {report.faces_added} confirmed faces had no face detected under them "
                     "and are kept as region faces (`termkam faces rebuild` embeds them)")
    if report.already:
        lines.append(f"already in termkam: {_counts(dict(sorted(report.already.items())))}")
    if report.skipped:
        lines.append(f"left out: {_counts(dict(sorted(report.skipped.items())))}")
    if report.unmatched:
        lines.append("not in termkam's catalog:")
        lines += [f"  {printable(u.digikam_path)} (looked for {printable(u.looked_for)}: "
                  f"{u.reason})" for u in report.unmatched]
    if report.unplaced:
        lines.append("face regions that could not be placed:")
        lines += [f"  {printable(u.path)}: {printable(u.person or 'ignored face')} "
                  f"{printable(u.region)}: {u.reason}" for u in report.unplaced]
    if report.conflicts:
        lines.append("kept as termkam has them (your decisions there come first):")
        lines += [f"  {printable(c.path)}: {c.what}: termkam: {printable(c.termkam)}; "
                  f"digiKam: {printable(c.digikam)}" for c in report.conflicts]
    if report.dry_run:
        lines.append("dry run: nothing was written")
    return lines
