"""`termkam faces|tags|quality settings [NAME [VALUE]]`: show a tool's settings or change one."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from engine.engine import Engine
from engine.printable import printable
from engine.setting_specs import GROUPS, shown

from .common import open_engine
from .json_output import print_json


def add_settings_parser(actions: argparse._SubParsersAction, common: argparse.ArgumentParser,
                        service: str, defaults: Any,
                        after: Callable[[Engine], None] | None = None) -> None:
    """A ``settings`` action for the engine service ``service`` (``faces``, ``tags`` ...),
    whose settings dataclass ``defaults`` gives the names; ``after`` prints what follows."""
    parser = actions.add_parser("settings", parents=[common],
                                help="show the settings, or change one: NAME VALUE")
    parser.add_argument("name", nargs="?", choices=[f.name for f in fields(defaults)],
                        metavar="NAME")
    parser.add_argument("value", nargs="?")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=lambda args: show_or_set(args, service, after))


def show_or_set(args: argparse.Namespace, service: str,
                after: Callable[[Engine], None] | None) -> int:
    """Change one setting or show them; an invalid stored value is shown, flagged, and
    explained on stderr (exit code 1) so that it can be set right."""
    changing = bool(args.name) and args.value is not None
    with open_engine(args, creates=changing) as engine:
        if changing:
            value = getattr(engine, service).set_setting(args.name, args.value)
            print(f"{args.name} = {printable(shown(value))}",
                  file=sys.stderr if args.json else None)
        stored = GROUPS[service].stored()
        if args.json:
            print_json("settings", {"values": stored.values, "invalid": stored.refused})
        for key, value in ({} if args.json else stored.values).items():
            if not changing and args.name in (None, key):
                text = (f"{json.dumps(stored.refused[key])}  (invalid)"
                        if key in stored.refused else shown(value))
                print(f"{key:<22} {printable(text)}")
        for problem in stored.problems.values():
            print(f"termkam: {printable(problem)}", file=sys.stderr)
        if stored.problems:
            return 1
        if after is not None and not args.json:
            after(engine)
        return 0
