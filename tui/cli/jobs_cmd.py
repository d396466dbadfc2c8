"""`termkam jobs`: job history, a job's failed items, resuming, and running a tool."""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict

from engine.engine import Engine
from engine.errors import TermkamError
from engine.job_kinds import JOB_KINDS
from engine.printable import counted, printable

from .arguments import positive_int, row_id
from .commands import summary
from .common import PARTIAL, duration, open_engine, run_foreground
from .json_output import print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("jobs", parents=[common], help=summary("jobs"))
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="the recent jobs as JSON")
    parser.set_defaults(handler=history, limit=20, json=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="recent jobs (default)")
    listing.add_argument("-n", "--limit", type=positive_int, default=20)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=history)
    show = actions.add_parser("show", parents=[common], help="a job and its failed items")
    show.add_argument("job_id", type=row_id)
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=show_job)
    resume = actions.add_parser("resume", parents=[common],
                                help="run interrupted or cancelled jobs again")
    resume.add_argument("job_id", type=row_id, nargs="?")
    resume.set_defaults(handler=resume_jobs)

    run = sub.add_parser("run", parents=[common], help=summary("run"),
                         description="Run maintenance tools. `termkam run faces` runs face "
                         "detection, recognition and clustering one after the other.")
    run.add_argument("kind", nargs="?", metavar="TOOL", choices=(*TOOL_GROUPS, *JOB_KINDS),
                     help="a tool (see `termkam run --list`), `faces` for all face tools, "
                     "`tags` or `quality`")
    run.add_argument("--list", action="store_true", help="list the tools in their order")
    moded = {kind.kind: kind.choices["mode"] for kind in JOB_KINDS.values()
             if "mode" in kind.choices}
    run.add_argument("--mode", metavar="MODE",
                     choices=sorted({mode for modes in moded.values() for mode in modes}),
                     help="; ".join(f"{kind}: {' | '.join(modes)}"
                                    for kind, modes in moded.items()) + " (first: default)")
    run.add_argument("--model", help="tags: detector | classifier | both, or model ids "
                     "(e.g. yolox_nano,efficientnet_lite3)")
    run.add_argument("--classes", help="tags: groups or tags to keep, e.g. 'Animals, Food & "
                     "drink/Coffee' (see `termkam tags classes`)")
    run.add_argument("--threshold", type=float, help="tags: minimum model confidence")
    run.add_argument("--album", action="append", metavar="DIR",
                     help="limit to this album folder (repeatable)")
    run.add_argument("--image", action="append", metavar="FILE",
                     help="limit to this photo (repeatable)")
    run.add_argument("--batch", "--batch-size", dest="batch_size", type=positive_int,
                     help="images per model batch (tags: 1, 8 or 16)")
    run.add_argument("--cluster", metavar="ADDRESS",
                     help="run the models on the Dask cluster at ADDRESS (tls://HOST:PORT; "
                     "`local`: this machine); default: the compute.cluster setting")
    run.add_argument("--path-map", metavar="SERVER=WORKER",
                     help="cluster workers read the photos from their own mount of the "
                     "share (default: the photos' bytes are sent)")
    run.add_argument("--insecure", action="store_true", default=None,
                     help="allow a plain tcp:// cluster on another machine (unencrypted)")
    run.add_argument("-q", "--quiet", action="store_true")
    run.add_argument("--json", action="store_true",
                     help="the results as JSON on stdout (progress stays on stderr)")
    run.set_defaults(handler=run_tool)


def history(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        jobs = engine.jobs(args.limit)
        if args.json:
            print_json("jobs", [asdict(j) for j in jobs])
            return 0
        if not jobs:
            print("no jobs yet")
        for job in jobs:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(job.started_at))
            took = duration((job.finished_at or time.time()) - job.started_at)
            print(f"#{job.id:<5} {when}  {job.kind:<15} {job.state:<11} {job.done:>7}/"
                  f"{job.total:<7} {job.errors:>4} errors  {took:>7}  "
                  f"{printable(job.message or '')}")
        return 0


def show_job(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        job = engine.job(args.job_id)
        if job is None:
            raise TermkamError(f"no job #{args.job_id}")
        if args.json:
            print_json("job", {**asdict(job), "failed": [
                {"path": e.path, "reason": e.reason} for e in engine.job_errors(job.id)]})
            return 0
        print(f"#{job.id} {job.kind} {job.state}: {job.done}/{job.total}, "
              f"{counted(job.errors, 'error')}")
        print(f"options  {json.dumps(job.options)}")
        if job.message:
            print(f"result   {printable(job.message)}")
        for error in engine.job_errors(job.id):
            print(f"  {printable(error.path)}: {printable(error.reason)}")
        return 0


def resume_jobs(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        handles = engine.resume(args.job_id)
        if not handles:
            print("nothing to resume")
            return 0
        worst = 0
        for number, handle in enumerate(handles):
            code = run_foreground(engine, handle)
            if code not in (0, PARTIAL):  # later ones would run on an unfinished base
                for later in handles[number + 1:]:
                    later.cancel()
                return code
            worst = max(worst, code)
        return worst


TOOL_GROUPS = {"faces": ("faces.detect", "faces.recognize", "faces.cluster"),
               "tags": ("tags.auto",), "quality": ("quality.sort",)}
# what new photos go through after their scan (the demo, "Add folder" in the TUI)
AFTER_SCAN = (*TOOL_GROUPS["faces"], *TOOL_GROUPS["tags"], *TOOL_GROUPS["quality"])


def scope_options(engine: Engine, args: argparse.Namespace) -> dict:
    """The ``albums`` / ``images`` options of ``--album`` / ``--image``."""
    options: dict = {}
    if args.album:
        wanted = {os.path.realpath(a) for a in args.album}
        albums = [a.id for a in engine.albums() if a.path in wanted]
        if len(albums) < len(wanted):
            raise TermkamError(f"not an album of this library: {', '.join(sorted(wanted))}")
        options["albums"] = albums
    if args.image:
        found = [engine.find_image(os.path.realpath(i)) for i in args.image]
        missing = [i for i, f in zip(args.image, found, strict=True) if f is None]
        if missing:
            raise TermkamError(f"not in the catalog: {', '.join(missing)}")
        options["images"] = [f.id for f in found if f is not None]
    return options


def run_tool(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        if args.list or not args.kind:
            for number, kind in enumerate(engine.job_kinds(), 1):
                print(f"{number}. {kind.kind:<16} {kind.title}")
            return 0
        options = scope_options(engine, args)
        if args.mode:
            options["mode"] = args.mode
        for name in ("batch_size", "model", "classes", "threshold", "cluster", "path_map",
                     "insecure"):
            if getattr(args, name) is not None:
                options[name] = getattr(args, name)
        first, *rest = TOOL_GROUPS.get(args.kind, (args.kind,))
        if rest:
            options["then"] = rest
        return run_foreground(engine, engine.start(first, options), args.quiet,
                              as_json=args.json)
