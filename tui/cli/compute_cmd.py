"""`termkam compute`: where a library's AI jobs run (`check` a cluster, its `settings`)."""

from __future__ import annotations

import argparse
from typing import Any

from engine.cluster.settings import ComputeSettings
from engine.errors import TermkamError
from engine.printable import counted, printable

from .commands import summary
from .common import open_engine
from .json_output import print_json
from .settings_cmd import add_settings_parser


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("compute", parents=[common], help=summary("compute"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", parents=[common],
                               help="reach a cluster and list its workers, their models and "
                               "runtimes")
    check.add_argument("address", nargs="?", metavar="ADDRESS",
                       help="the scheduler (default: the compute.cluster setting)")
    check.add_argument("--insecure", action="store_true",
                       help="allow plain tcp:// to another machine")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(handler=check_cluster)
    add_settings_parser(actions, common, "compute", ComputeSettings())


def check_cluster(args: argparse.Namespace) -> int:
    from engine.cluster.plan import cluster_plan, require_dask

    with open_engine(args, creates=False):
        options = {"cluster": args.address, "insecure": args.insecure or None}
        plan = cluster_plan(options)
        if plan is None:
            raise TermkamError("no cluster set: give its ADDRESS, or set one with "
                               "`termkam compute settings cluster tls://HOST:PORT`")
        require_dask()
        from engine.cluster.executor import connect, workers
        from engine.cluster.remote import report

        client = connect(plan, "termkam compute check")
        try:
            found = workers(client)
            answers = client.run(report, on_error="return") if found else {}
        finally:
            client.close()
    reports: dict[str, Any] = {address: answer for address, answer in answers.items()
                               if isinstance(answer, dict)}  # others are not termkam's
    rows = [{"address": address, "name": info.get("name"), "threads": info.get("nthreads"),
             **reports.get(address, {})} for address, info in sorted(found.items())]
    if args.json:
        print_json("cluster", {"address": str(plan.address), "workers": rows})
        return 0
    if plan.warning:
        print(f"termkam: warning: {plan.warning}")
    print(f"{plan.address}: {counted(len(rows), 'worker')}")
    for row in rows:
        print(f"  {printable(str(row['name']))} {row['address']}: "
              f"{counted(row['threads'] or 1, 'photo')} at once, "
              f"termkam {row.get('termkam', '?')}, onnxruntime "
              f"({', '.join(row.get('providers', []))}); models: "
              f"{', '.join(row.get('models', [])) or 'none'}")
    return 0 if rows else 1
