"""Starting the TUI (the only CLI path that imports textual)."""

from __future__ import annotations

import argparse

from .common import open_engine


def run_tui(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    try:
        # textual-image asks the terminal what it can draw when first imported: do it before
        # Textual owns the terminal, or the terminal's answer arrives as key presses.
        import textual_image.widget  # noqa: F401

        from tui.app import TermkamApp
        from tui.terminal import native_output_to

        with native_output_to(engine.library.folder / "termkam.log"):
            TermkamApp(engine).run()
    finally:
        engine.close()
    return 0
