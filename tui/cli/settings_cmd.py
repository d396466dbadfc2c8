"""`termkam faces|tags|quality settings [NAME [VALUE]]`: show a tool's settings or change one."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any

from engine.engine import Engine

from .common import open_engine


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
    parser.set_defaults(handler=lambda args: show_or_set(args, service, after))


def show_or_set(args: argparse.Namespace, service: str,
                after: Callable[[Engine], None] | None) -> int:
    with open_engine(args) as engine:
        tool = getattr(engine, service)
        if args.name and args.value is not None:
            print(f"{args.name} = {tool.set_setting(args.name, args.value)}")
        else:
            for key, value in asdict(tool.settings()).items():
                if args.name in (None, key):
                    print(f"{key:<22} {value}")
        if after is not None:
            after(engine)
        return 0
