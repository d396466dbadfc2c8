"""A safe --library and the exit codes, through the real command line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.helpers import termkam_cli


def test_a_folder_of_photos_is_not_made_a_library(tmp_path: Path, faces_set) -> None:
    photos = tmp_path / "Pictures"
    photos.mkdir()
    shutil.copy2(faces_set["feat/multi_face.jpg"], photos / "a.jpg")
    for command in (("status",), ("faces", "list"), ("jobs",), ("scan", str(photos)),
                    ("faces", "settings", "knn", "4")):
        run = termkam_cli("--library", str(photos), *command)
        assert run.returncode == 1 and run.stdout == "", (command, run.stdout)
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
        assert sorted(p.name for p in photos.iterdir()) == ["a.jpg"], command  # nothing made
    assert "is not a termkam library and holds other files" in run.stderr
    made = termkam_cli("--library", str(photos), "--create", "scan", str(photos))
    assert made.returncode == 0, made.stderr
    assert (photos / "catalog.db").is_file()


def test_read_only_commands_never_create_a_library(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    for command in (("status",), ("status", "--json"), ("tags", "list"), ("quality", "list"),
                    ("faces", "people"), ("faces", "settings")):
        run = termkam_cli("--library", str(missing), *command)
        assert run.returncode == 1 and f"no termkam library at {missing}" in run.stderr
    assert not missing.exists()
    # a command that records something makes a library in a new folder
    assert termkam_cli("--library", str(missing), "faces", "settings", "knn", "4"
                       ).returncode == 0
    assert (missing / "catalog.db").is_file()


def test_exit_codes(tmp_path: Path, faces_set) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy2(faces_set["feat/multi_face.jpg"], photos / "good.jpg")
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "notes.jpg").write_text("not a photo")
    library = str(tmp_path / "library")
    scan = termkam_cli("--library", library, "scan", str(photos))
    assert scan.returncode == 3, scan.stderr           # done, two files could not be read
    assert "2 files could not be read" in scan.stderr
    for wrong in (("run", "tags", "--batch", "7"), ("run", "tags", "--mode", "bogus"),
                  ("run", "bogus")):
        run = termkam_cli("--library", library, *wrong)
        assert run.returncode == 2 and run.stderr.count("\n") == 1, (wrong, run.stderr)
    with sqlite3.connect(Path(library) / "catalog.db") as con:
        assert [kind for (kind,) in con.execute("SELECT kind FROM job")] == ["scan"]
    version = termkam_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("termkam 0.")
