"""Starting the TUI (the only CLI path that imports textual)."""

from __future__ import annotations

import argparse

from .common import open_engine


def run_tui(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    try:
        from tui.app import TermkamApp

        TermkamApp(engine).run()
    finally:
        engine.close()
    return 0
