"""`termkam status`: what the library holds, its last jobs and its errors."""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict

from engine.printable import counted, printable

from .commands import summary
from .common import open_engine
from .json_output import print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("status", parents=[common], help=summary("status"))
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        counts = engine.counts()
        jobs = engine.jobs(5)
        errors = engine.images(status="error", limit=10)
        if args.json:
            print_json("status", {
                "library": str(engine.library.folder), "read_only": engine.library.read_only,
                "counts": asdict(counts),
                "faces": engine.faces.counts(),
                "collections": [c.path for c in engine.collections()],
                "jobs": [asdict(j) for j in jobs],
                "errors": [{"path": e.path, "reason": e.error} for e in errors]})
            return 0
        print(f"library      {printable(engine.library.folder)}")
        if engine.library.read_only is not None:
            print(f"             {engine.library.read_only}: the lists work, nothing can be "
                  "changed")
        for collection in engine.collections():
            print(f"collection   {printable(collection.path)}")
        print(f"images       {counts.images} ({counts.ok} ok, {counts.errors} with errors, "
              f"{counts.raw} RAW) in {counts.albums} albums; {counts.missing} missing")
        print(f"tags         {counts.tags}")
        faces = engine.faces.counts()
        if faces:
            people = engine.faces.persons()
            unknown = len(engine.faces.find(unknown=True))
            print(f"faces        {sum(faces.values()) - faces.get('not_face', 0)} "
                  f"({faces.get('confirmed', 0)} named, {unknown} unknown, "
                  f"{faces.get('ignored', 0)} ignored) of {counted(len(people), 'person')}")
        print(f"thumbnails   {counts.thumbnails}")
        if jobs:
            print("last jobs")
            for job in jobs:
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(job.started_at))
                print(f"  #{job.id:<4} {when}  {job.kind:<15} {job.state:<11} "
                      f"{job.done}/{job.total}, {counted(job.errors, 'error')}  "
                      f"{printable(job.message or '')}")
        if errors:
            print(f"files with errors ({counts.errors})")
            for image in errors:
                print(f"  {printable(image.path)}: {printable(image.error)}")
            if counts.errors > len(errors):
                print(f"  ... and {counts.errors - len(errors)} more")
        return 0
