"""The config file ($XDG_CONFIG_HOME/termkam/config.toml) and `termkam config`, through the
real command line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.helpers import termkam_cli


def config_file(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "termkam" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def shown(*args: str, env: dict[str, str] | None = None) -> dict[str, tuple]:
    run = termkam_cli(*args, "config", "--json", env=env)
    assert run.returncode == 0, run.stderr
    return {row["key"]: (row["value"], row["source"])
            for row in json.loads(run.stdout)["config"]["values"]}


def test_each_value_says_where_it_comes_from(tmp_path: Path) -> None:
    values = shown()
    assert values["threads"][1] == values["library"][1] == "default"
    assert values["metadata.write_back"] == ("off", "default")
    config_file(f'library = "{tmp_path / "lib"}"\nthreads = 1\n'
                '[metadata]\nwrite_back = "sidecar"\n')
    values = shown()
    assert values["library"] == (str(tmp_path / "lib"), "file")
    assert values["threads"] == ("1", "file")
    assert values["metadata.write_back"] == ("sidecar", "file")
    values = shown(env={**os.environ, "TERMKAM_THREADS": "2"})
    assert values["threads"] == ("2", "env")
    assert shown("--library", str(tmp_path / "other"))["library"] == (
        str(tmp_path / "other"), "flag")
    text = termkam_cli("config")
    assert "threads" in text.stdout and "(file)" in text.stdout


def test_the_file_gives_defaults_a_library_can_override(tmp_path: Path, faces_set) -> None:
    library = tmp_path / "from-config"
    config_file(f'library = "{library}"\n[metadata]\nwrite_back = "sidecar"\n'
                '[faces]\nface_size = "small"\n')
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy2(faces_set["feat/multi_face.jpg"], photos / "a.jpg")
    assert termkam_cli("scan", str(photos)).returncode == 0     # no --library: the file's
    assert (library / "catalog.db").is_file()
    listing = termkam_cli("metadata", "settings")
    assert "write_back             sidecar" in listing.stdout.splitlines()
    assert "face_size              small" in termkam_cli("faces", "settings").stdout
    changed = termkam_cli("faces", "settings", "face_size", "large")
    assert changed.returncode == 0
    assert "face_size              large" in termkam_cli("faces", "settings").stdout


def test_a_bad_config_file_is_one_line(tmp_path: Path) -> None:
    path = config_file("threads = [")
    run = termkam_cli("--library", str(tmp_path / "lib"), "config")
    assert run.returncode == 1 and run.stderr.count("\n") == 1
    assert f"{path} is not valid TOML" in run.stderr
    config_file('[faces]\nface_size = "huge"\n')
    made = termkam_cli("--library", str(tmp_path / "lib"), "faces", "settings", "knn", "4")
    assert made.stdout.strip() == "knn = 4"        # other settings can still be changed
    run = termkam_cli("--library", str(tmp_path / "lib"), "faces", "settings")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "faces.face_size in the config file = \"huge\" is invalid" in run.stderr
    assert f"fix it in {path}" in run.stderr
