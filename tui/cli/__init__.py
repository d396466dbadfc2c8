"""The termkam command line: every job the TUI can start also runs headless from here.

Each command group lives in its own module exposing ``register(subparsers, common)``;
``common`` is the parent parser that carries ``--library``. Only the module of the command
being run is imported (see ``commands``): the others appear in the help as names alone.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from engine import user_config
from engine.errors import OptionError, TermkamError
from engine.printable import printable
from models.errors import ModelError

from .commands import COMMANDS

LIBRARY_VALUE_OPTIONS = ("--library",)   # the top-level options that take a value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("termkam")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class Parser(argparse.ArgumentParser):
    """Usage errors in one line, the way every other error is printed."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def requested_command(argv: Sequence[str]) -> str | None:
    """The command named on this command line (the first word that is not an option or an
    option's value), or None."""
    words = iter(argv)
    for word in words:
        if word in LIBRARY_VALUE_OPTIONS:
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = "*") -> argparse.ArgumentParser:
    """The argument parser (the TUI starts when no command is given). Only ``command``'s
    module is imported and registered in full, every command's when it is "*"; the others
    are listed by name and help."""
    library = Parser(add_help=False)
    library.add_argument(
        "--library", metavar="DIR", default=argparse.SUPPRESS,
        help="library folder holding catalog.db and thumbs.db (default: XDG data dir)",
    )
    library.add_argument(
        "--create", action="store_true", default=argparse.SUPPRESS,
        help="make a new library in a --library folder that already holds other files",
    )
    parser = Parser(
        prog="termkam", parents=[library],
        description="Terminal photo manager with a local AI engine. "
        "Without a command, starts the TUI on the library.",
    )
    parser.add_argument("--version", action="version", version=f"termkam {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log everything (DEBUG) to <library>/termkam.log; "
                        "same as TERMKAM_LOG_LEVEL=DEBUG")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMANDS[command][0] if command in COMMANDS else command
    for name, (module, text) in COMMANDS.items():
        if name in sub.choices:  # registered with another command of its module
            continue
        if wanted in ("*", module):
            importlib.import_module(f"{__name__}.{module}").register(sub, library)
        else:
            sub.add_parser(name, help=text)
    return parser


def _log_unraisable(unraisable: Any) -> None:
    """An error a library raised while cleaning up (a ``__del__``) goes to the log, not to
    the user's terminal as a traceback."""
    logging.getLogger("termkam").warning(
        "ignored in %r: %s", unraisable.object, unraisable.exc_value,
        exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``termkam`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(requested_command(argv)).parse_args(argv)
    if args.verbose:
        os.environ["TERMKAM_LOG_LEVEL"] = "DEBUG"
    sys.unraisablehook = _log_unraisable
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
