"""The one shape of every `--json` output: a JSON object ``{"schema": 1, NAME: DATA}``.

NAME says what DATA is (``faces``, ``people``, ``clusters``, ``jobs``, ``job``, ``status``,
``tags``, ``quality``, ``models``, ``settings``, ``import``, ``written``); a file is always
``path``. ``schema`` grows when a shape changes in a way a reader must know about.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA = 1


def print_json(name: str, data: Any) -> None:
    """Print ``{"schema": SCHEMA, name: data}`` (non-ASCII and undecodable names escaped)."""
    print(json.dumps({"schema": SCHEMA, name: data}, indent=2))
