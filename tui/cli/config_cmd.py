"""`termkam config`: the effective settings of a run and where each comes from."""

from __future__ import annotations

import argparse
import os
from typing import Any

from engine import config, user_config
from engine.memory_budget import DEFAULT_MB
from engine.printable import printable
from models.runtimes import default_threads

from .commands import summary
from .json_output import print_json

# settings of every library that the config file may give a default for, shown even unset
LIBRARY_DEFAULTS = {"ui.image_protocol": "auto", "metadata.write_back": "off"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("config", parents=[common],
                            help=summary("config"))
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def _environment(key: str, variable: str, default: Any) -> tuple[Any, str]:
    if variable in os.environ:
        return os.environ[variable], "file" if user_config.from_file(variable) else "env"
    return default, "default"


def effective(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Rows of key, value and source (default, file, env or flag)."""
    defaults = {"library": str(config.data_home() / "library"), "threads": default_threads(),
                "memory_mb": DEFAULT_MB, "log_level": "INFO"}
    rows = []
    for key, variable in user_config.ENVIRONMENT.items():
        value, source = _environment(key, variable, defaults[key])
        if key == "library" and getattr(args, "library", None):
            value, source = args.library, "flag"
        if key == "log_level" and getattr(args, "verbose", False):
            source = "flag"
        rows.append({"key": key, "value": value, "source": source})
    configured = user_config.values()
    for key in sorted({*LIBRARY_DEFAULTS, *(k for k in configured if "." in k)}):
        in_file = key in configured
        rows.append({"key": key, "value": configured.get(key, LIBRARY_DEFAULTS.get(key)),
                     "source": "file" if in_file else "default"})
    return rows


def run(args: argparse.Namespace) -> int:
    rows = effective(args)
    if args.json:
        print_json("config", {"file": str(user_config.config_path()), "values": rows})
        return 0
    width = max(len(row["key"]) for row in rows)
    for row in rows:
        print(f"{row['key']:<{width}}  {printable(row['value'])}  ({row['source']})")
    path = user_config.config_path()
    print(f"config file: {printable(path)}{'' if path.exists() else ' (none yet)'}; "
          "a library's own settings win over the file's [tables]")
    return 0
