"""`termkam worker ADDRESS`: lend this machine's cores (or GPU) to a library's model jobs."""

from __future__ import annotations

import argparse
import os
import sys

from engine.errors import TermkamError
from engine.printable import counted, printable

from .commands import summary


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "worker", help=summary("worker"),
        description="Join the Dask scheduler at ADDRESS as a worker that runs termkam's face, "
        "tag and quality models for the jobs sent there (`termkam run faces --cluster "
        "ADDRESS`). Needs `pip install termkam[cluster]`. The catalog stays with the job.")
    parser.add_argument("address", metavar="ADDRESS",
                        help="the scheduler: tls://HOST:PORT, or tcp://127.0.0.1:PORT (an SSH "
                        "tunnel)")
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="photos worked on at once (default 1); each model call shares "
                        "the cores among them ($TERMKAM_THREADS sets its threads)")
    parser.add_argument("--providers", default="cpu", metavar="LIST",
                        help="onnxruntime execution providers in order of preference, e.g. "
                        "cuda,cpu (the first one this onnxruntime build has is used)")
    parser.add_argument("--models", metavar="LIST",
                        help="offer only these model ids (default: every model installed "
                        "here; see `termkam models`)")
    parser.add_argument("--name", help="the worker's name in jobs' messages (default: host)")
    parser.add_argument("--insecure", action="store_true",
                        help="allow a plain tcp:// scheduler on another machine (photos "
                        "travel unencrypted)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from models.runtimes import execution_providers, provider_preference

    if args.threads < 1:
        raise TermkamError("--threads must be 1 or more")
    try:
        provider_preference(args.providers)
    except ValueError as error:
        raise TermkamError(str(error)) from None
    os.environ["TERMKAM_PROVIDERS"] = args.providers
    from engine.cluster.plan import require_dask

    require_dask()
    from engine.cluster import worker
    from engine.cluster.address import checked_address, security
    from engine.cluster.remote import available_models
    from engine.cluster.settings import ComputeSettings
    from engine.user_config import setting_default

    address, warning = checked_address(args.address, args.insecure)
    if warning:
        print(f"termkam: warning: {warning}", file=sys.stderr)
    tls = ComputeSettings(**{name: setting_default(f"compute.{name}", "") for name in
                             ("tls_ca_file", "tls_cert_file", "tls_key_file")})
    secured = security(address, tls, role="worker")
    models = available_models()
    if args.models:
        wanted = [name.strip() for name in args.models.split(",") if name.strip()]
        absent = [name for name in wanted if name not in models]
        if absent:
            raise TermkamError(f"not installed here: {', '.join(absent)} (installed: "
                               f"{', '.join(models) or 'none'})")
        models = wanted
    providers = execution_providers()

    def ready(started: object) -> None:
        print(f"termkam worker {getattr(started, 'address', '')} joined {address}: "
              f"{counted(args.threads, 'photo')} at once; runtimes: onnxruntime "
              f"({', '.join(providers)}); models: "
              f"{', '.join(models) or 'none (see `termkam models`)'}", flush=True)

    try:
        code = worker.serve(address, secured, args.threads, models, args.name, ready)
    except worker.NotJoined as error:
        raise TermkamError(printable(str(error))) from None
    except OSError as error:
        raise TermkamError(f"cannot join {address}: {printable(str(error))}") from None
    print("termkam worker stopped" if code == 0 else
          f"termkam worker: the scheduler at {address} went away", file=sys.stderr)
    return code
