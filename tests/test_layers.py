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
    code = ("import sys\nfrom tui.cli import build_parser\nbuild_parser('*')\n"
            "print('\\n'.join(sorted(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         check=True)
    loaded = set(run.stdout.split())
    assert {"tui.cli.scan_cmd", "tui.cli.faces_cmd", "tui.cli.completion_cmd"} <= loaded
    assert "textual" not in loaded


def _heavy_modules_after(*argv: str) -> list[str]:
    """Which of numpy, OpenCV, onnxruntime and peewee `termkam ARGV` loaded."""
    code = ("import contextlib, io, sys\nfrom tui.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        code = main(sys.argv[1:])\n"
            "    except SystemExit as exit:\n        code = exit.code\n"
            "print(code, *[m for m in ('numpy', 'cv2', 'onnxruntime', 'peewee') "
            "if m in sys.modules])")
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         cwd=REPO, check=True)
    code, *heavy = run.stdout.split()
    assert code == "0", run.stderr
    return heavy


def test_help_and_version_load_nothing_heavy():
    assert _heavy_modules_after("--help") == []
    assert _heavy_modules_after("--version") == []


def test_read_only_commands_load_neither_opencv_nor_onnxruntime(tmp_path):
    from engine.engine import Engine

    with Engine(tmp_path):   # a real, empty library
        pass
    for command in (("status",), ("jobs",), ("faces", "people"), ("tags", "list"),
                    ("quality", "list"), ("faces", "settings")):
        heavy = _heavy_modules_after("--library", str(tmp_path), *command)
        assert "peewee" in heavy, command          # it did read the catalog
        assert "cv2" not in heavy and "onnxruntime" not in heavy, command
