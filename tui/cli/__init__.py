"""The termkam command line: every job the TUI can start also runs headless from here.

Each command group lives in its own module exposing ``register(subparsers, common)``;
``common`` is the parent parser that carries ``--library``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from engine import user_config
from engine.errors import OptionError, TermkamError
from engine.printable import printable
from models.errors import ModelError

from . import (
    bench_cmd,
    config_cmd,
    demo_cmd,
    faces_cmd,
    import_cmd,
    jobs_cmd,
    metadata_cmd,
    models_cmd,
    quality_cmd,
    samples_cmd,
    scan_cmd,
    status_cmd,
    tags_cmd,
)

COMMANDS = (scan_cmd, status_cmd, jobs_cmd, faces_cmd, tags_cmd, quality_cmd, metadata_cmd,
            import_cmd, models_cmd, config_cmd,
            samples_cmd, bench_cmd, demo_cmd)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("termkam")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (the TUI starts when no command is given)."""
    library = argparse.ArgumentParser(add_help=False)
    library.add_argument(
        "--library", metavar="DIR", default=argparse.SUPPRESS,
        help="library folder holding catalog.db and thumbs.db (default: XDG data dir)",
    )
    library.add_argument(
        "--create", action="store_true", default=argparse.SUPPRESS,
        help="make a new library in a --library folder that already holds other files",
    )
    parser = argparse.ArgumentParser(
        prog="termkam", parents=[library],
        description="Terminal photo manager with a local AI engine. "
        "Without a command, starts the TUI on the library.",
    )
    parser.add_argument("--version", action="version", version=f"termkam {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log everything (DEBUG) to <library>/termkam.log; "
                        "same as TERMKAM_LOG_LEVEL=DEBUG")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub, library)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``termkam`` console script."""
    args = build_parser().parse_args(argv)
    if args.verbose:
        os.environ["TERMKAM_LOG_LEVEL"] = "DEBUG"
    try:
        user_config.apply_environment()
        if args.command is None:
            from .tui_cmd import run_tui  # imports textual only when the TUI is wanted

            return run_tui(args)
        return int(args.handler(args) or 0)
    except OptionError as error:  # a usage error, refused before anything was recorded
        print(f"termkam: {printable(error)}", file=sys.stderr)
        return 2
    except (TermkamError, ModelError) as error:
        print(f"termkam: {printable(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("termkam: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `termkam faces list | head`: the reader left, that's fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
