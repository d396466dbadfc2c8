"""Starting the TUI (the only CLI path that imports textual)."""

from __future__ import annotations

import argparse
import sys

from engine.printable import printable

from .common import open_engine


def run_tui(args: argparse.Namespace) -> int:
    with open_engine(args) as engine:
        # textual-image asks the terminal what it can draw when first imported: do it before
        # Textual owns the terminal, or the terminal's answer arrives as key presses.
        import textual_image.widget  # noqa: F401

        from tui.app import TermkamApp

        app = TermkamApp(engine)
        app.run()
    if app.catalog_problem is not None:  # said on screen too, but it must outlive the screen
        print(f"termkam: {printable(app.catalog_problem)}", file=sys.stderr)
        return 1
    return 0
