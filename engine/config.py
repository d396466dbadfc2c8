"""Where termkam keeps its files: XDG data and cache dirs, overridable for tests and users."""

from __future__ import annotations

import os
from pathlib import Path

APP = "termkam"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / APP


def data_home() -> Path:
    """The user's termkam data dir ($XDG_DATA_HOME/termkam)."""
    return _xdg("XDG_DATA_HOME", ".local/share")


def config_home() -> Path:
    """The user's termkam config dir ($XDG_CONFIG_HOME/termkam)."""
    return _xdg("XDG_CONFIG_HOME", ".config")


def cache_home() -> Path:
    """The user's termkam cache dir ($XDG_CACHE_HOME/termkam)."""
    return _xdg("XDG_CACHE_HOME", ".cache")


def default_library() -> Path:
    """The library used when no --library is given ($TERMKAM_LIBRARY overrides)."""
    override = os.environ.get("TERMKAM_LIBRARY")
    return Path(override) if override else data_home() / "library"


def models_dir() -> Path:
    """Where optional models are installed ($TERMKAM_MODELS_DIR overrides)."""
    override = os.environ.get("TERMKAM_MODELS_DIR")
    return Path(override) if override else data_home() / "models"
