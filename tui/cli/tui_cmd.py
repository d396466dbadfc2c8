"""Starting the TUI (the only CLI path that imports textual)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from engine.printable import printable

from .common import open_engine


def run_tui(args: argparse.Namespace, started: Callable[[Any], object] | None = None) -> int:
    """The TUI on the library; ``started(app)`` is called once it runs (demo: start tools)."""
    # Rich takes COLUMNS / LINES from the environment as the screen's fixed size, so a shell or
    # a tool that exported them froze the TUI at that size through every resize of the window
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    with open_engine(args) as engine:
        # textual-image asks the terminal what it can draw when first imported: do it before
        # Textual owns the terminal, or the terminal's answer arrives as key presses.
        import textual_image.widget  # noqa: F401

        from tui.app import TermkamApp

        app = TermkamApp(engine)
        if started is not None:
            app.call_later(started, app)
        app.run()
    if app.catalog_problem is not None:  # said on screen too, but it must outlive the screen
        print(f"termkam: {printable(app.catalog_problem)}", file=sys.stderr)
        return 1
    return 0
