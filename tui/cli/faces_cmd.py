"""`termkam faces ...`: list faces and persons, and every decision the People pane offers."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces.settings import FaceSettings
from engine.printable import counted, padded, printable

from .arguments import positive_int, row_id
from .commands import summary
from .common import open_engine, run_foreground
from .json_output import print_json
from .settings_cmd import add_settings_parser

DECISIONS = {
    "confirm": ("accept the suggested name of faces", "confirm"),
    "reject": ("say faces are not their suggested/confirmed person", "reject"),
    "ignore": ("keep faces but never suggest or cluster them", "ignore"),
    "not-face": ("mark false detections (hidden, not detected again)", "not_a_face"),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("faces", parents=[common], help=summary("faces"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="every face, scriptable")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", choices=["unconfirmed", "confirmed", "ignored", "not_face"])
    listing.add_argument("--person", help="faces confirmed as this person")
    listing.add_argument("--unknown", action="store_true", help="no name and no suggestion")
    listing.add_argument("--cluster", type=row_id)
    listing.set_defaults(handler=list_faces)
    people = actions.add_parser("people", parents=[common], help="persons with face counts")
    people.add_argument("--json", action="store_true")
    people.set_defaults(handler=list_people)
    clusters = actions.add_parser("clusters", parents=[common], help="unknown-face clusters")
    clusters.add_argument("--json", action="store_true", help="machine-readable output")
    clusters.set_defaults(handler=list_clusters)
    for verb, (text, method) in DECISIONS.items():
        action = actions.add_parser(verb, parents=[common], help=text)
        action.add_argument("face_ids", type=row_id, nargs="+", metavar="FACE_ID")
        action.set_defaults(handler=decide, method=method)
    name = actions.add_parser("name", parents=[common],
                              help="name faces (creates the person; also moves faces)")
    name.add_argument("person")
    name.add_argument("face_ids", type=row_id, nargs="+", metavar="FACE_ID")
    name.set_defaults(handler=name_faces)
    cluster = actions.add_parser("name-cluster", parents=[common], help="name a whole cluster")
    cluster.add_argument("cluster_id", type=row_id)
    cluster.add_argument("person")
    cluster.set_defaults(handler=name_cluster)
    rename = actions.add_parser("rename", parents=[common], help="rename a person")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=lambda a: _say(a, lambda e: e.faces.rename(a.old, a.new)))
    merge = actions.add_parser("merge", parents=[common], help="merge SOURCE into TARGET")
    merge.add_argument("source")
    merge.add_argument("target")
    merge.set_defaults(handler=lambda a: _say(a, lambda e: e.faces.merge(a.source, a.target)))
    undo = actions.add_parser("undo", parents=[common], help="undo the last decisions")
    undo.add_argument("steps", type=positive_int, nargs="?", default=1,
                      help="how many decisions to undo, newest first (default 1)")
    undo.set_defaults(handler=lambda a: _say(a, lambda e: "; ".join(
        f"undone: {s}" for s in e.faces.undo(a.steps))))
    rebuild = actions.add_parser("rebuild", parents=[common],
                                 help="rebuild recognition data from confirmed faces")
    rebuild.set_defaults(handler=run_rebuild)
    evaluate = actions.add_parser("eval", parents=[common],
                                  help="leave-one-out accuracy on your confirmed faces")
    evaluate.set_defaults(handler=run_eval)
    add_settings_parser(actions, common, "faces", FaceSettings())


def _say(args: argparse.Namespace, action) -> int:
    with open_engine(args) as engine:
        print(printable(action(engine)))
    return 0


def decide(args: argparse.Namespace) -> int:
    return _say(args, lambda e: getattr(e.faces, args.method)(args.face_ids))


def name_faces(args: argparse.Namespace) -> int:
    return _say(args, lambda e: e.faces.name(args.face_ids, args.person))


def name_cluster(args: argparse.Namespace) -> int:
    return _say(args, lambda e: e.faces.name_cluster(args.cluster_id, args.person))


def _face_row(face) -> dict:
    row = asdict(face)
    row["box"] = [round(v, 1) for v in face.box]
    row["path"] = row.pop("image_path")
    row.pop("landmarks")
    return row


def list_faces(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        filters: dict = {"status": args.status, "cluster_id": args.cluster,
                         "unknown": args.unknown}
        if args.person:
            person = next((p for p in engine.faces.persons()
                           if p.name.lower() == args.person.lower()), None)
            if person is None:
                raise TermkamError(f"no person named {args.person!r}")
            filters.update(person_id=person.id, status="confirmed")
        faces = engine.faces.find(**filters)
        if args.json:
            print_json("faces", [_face_row(f) for f in faces])
            return 0
        threshold = engine.faces.settings().recognition_distance
        for face in faces:
            x, y, w, h = (int(v) for v in face.box)
            via = (", via similar faces" if (face.suggested_distance or 0) > threshold else "")
            who = (face.person if face.status == "confirmed" else
                   f"{face.suggested}? ({face.suggested_distance:.2f}{via})" if face.suggested else
                   f"cluster {face.cluster_id}" if face.cluster_id else
                   "unknown" if face.status == "unconfirmed" else "")
            print(f"#{face.id:<6} {printable(face.image_path)}  [{x},{y} {w}x{h}]  "
                  f"det {face.det_score or 0:.2f}  q {face.quality or 0:.2f}  "
                  f"{face.status:<11} {printable(who)}"
                  f"{'  (on the picture this file held before)' if face.superseded else ''}")
        print(counted(len(faces), "face"))
        return 0


def list_people(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        people = engine.faces.persons()
        if args.json:
            print_json("people", [asdict(p) for p in people])
            return 0
        for person in people:
            print(f"{padded(printable(person.name), 30)} {person.confirmed:>5} confirmed  "
                  f"{person.suggested:>5} suggested")
        counts = engine.faces.counts()
        unknown = len(engine.faces.find(unknown=True))
        print(f"{counted(len(people), 'person')}; {counted(unknown, 'unknown face')} in "
              f"{counted(len(engine.faces.clusters()), 'cluster')}; "
              f"{counts.get('ignored', 0)} ignored")
        return 0


def list_clusters(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        if args.json:
            print_json("clusters", [asdict(c) for c in engine.faces.clusters()])
            return 0
        for cluster in engine.faces.clusters():
            print(f"cluster {cluster.id:<5} {cluster.size:>4} faces  "
                  f"{' '.join(f'#{f}' for f in cluster.face_ids[:12])}")
        return 0


def run_rebuild(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        code = run_foreground(engine, engine.start("faces.rebuild"))
        _print_report(engine)
        return code


def _print_report(engine: Engine) -> None:
    report = engine.faces.report()
    for face_id, person, why in report.left_out:
        print(f"  left out #{face_id} ({printable(person)}): {printable(why)}")


def run_eval(args: argparse.Namespace) -> int:
    with open_engine(args, creates=False) as engine:
        result = engine.faces.evaluate()
        if not result.faces:
            print("no person has two confirmed faces yet: name some faces first")
            return 0
        print("\n".join(result.lines(engine.faces.settings().recognition_distance)))
        return 0
        for key, value in asdict(engine.faces.settings()).items():
            if args.name in (None, key):
                print(f"{key:<22} {value}")
        return 0
