"""The agreed layers: engine and models never import textual; models never import engine."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO

ENGINE_AND_MODELS = ["engine.engine", "engine.scanner", "engine.pipeline", "engine.jobs",
                     "engine.metadata", "engine.samples", "models.registry", "models.base",
                     "models.install"]


def _modules_after_import(*modules: str) -> set[str]:
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print('\\n'.join(sorted(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         check=True)
    return set(run.stdout.split())


def test_engine_and_models_do_not_import_textual():
    loaded = _modules_after_import(*ENGINE_AND_MODELS)
    assert "engine.engine" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_models_import_neither_engine_nor_peewee():
    loaded = _modules_after_import("models.registry", "models.base", "models.install")
    assert "models.registry" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("engine", "peewee", "textual")}


def test_headless_cli_commands_do_not_import_textual():
    loaded = _modules_after_import("tui.cli")
    assert "tui.cli.scan_cmd" in loaded and "textual" not in loaded
