"""The user's config file, ``$XDG_CONFIG_HOME/termkam/config.toml``: defaults for every run.

Top-level keys stand for the environment variables (an environment variable set by the
user wins over the file, a command-line flag over both)::

    library = "/srv/photos/termkam"     # TERMKAM_LIBRARY
    threads = 2                         # TERMKAM_THREADS
    memory_mb = 384                     # TERMKAM_MEMORY_MB
    log_level = "INFO"                  # TERMKAM_LOG_LEVEL

Tables give the default of a library setting that the library itself has not set::

    [ui]
    image_protocol = "sixel"            # auto | halfcell | sixel | kitty | unicode
    [metadata]
    write_back = "sidecar"              # off | sidecar | file
    [faces]
    face_size = "small"

A value the library has set (Settings pane, ``termkam faces settings NAME VALUE``) wins.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import config
from engine.errors import TermkamError

ENVIRONMENT = {"library": "TERMKAM_LIBRARY", "threads": "TERMKAM_THREADS",
               "memory_mb": "TERMKAM_MEMORY_MB", "log_level": "TERMKAM_LOG_LEVEL"}
_from_file: set[str] = set()     # environment variables this process took from the file


def config_path() -> Path:
    return config.config_home() / "config.toml"


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> dict[str, Any]:
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise TermkamError(f"{path} is not valid TOML ({error}): fix or remove it") from None
    except OSError as error:
        raise TermkamError(f"cannot read {path}: {error.strerror}") from None
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{name}": item for name, item in value.items()})
        elif key in ENVIRONMENT:
            flat[key] = value
        else:
            raise TermkamError(f"{path}: unknown key {key!r} (known: "
                               f"{', '.join(ENVIRONMENT)}, or a [table] of settings)")
    return flat


def values() -> dict[str, Any]:
    """The file's values, flattened (``metadata.write_back``); empty without a file."""
    path = config_path()
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read(path, (stat.st_mtime_ns, stat.st_size))


def apply_environment() -> None:
    """Set the environment variables the file gives and the user has not set."""
    for key, variable in ENVIRONMENT.items():
        value = values().get(key)
        if value is not None and variable not in os.environ:
            os.environ[variable] = str(value)
            _from_file.add(variable)


def from_file(variable: str) -> bool:
    """True when ``variable`` was set by ``apply_environment`` from the file."""
    return variable in _from_file


def setting_default(key: str, fallback: Any) -> Any:
    """The file's default for the library setting ``key`` (``metadata.write_back``), else
    ``fallback``."""
    return values().get(key, fallback)
