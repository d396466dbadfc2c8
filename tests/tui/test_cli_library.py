"""A safe --library and the exit codes, through the real command line."""

from __future__ import annotations

import json
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
    assert "scan done: 1 new, 2 errors" in scan.stdout  # the unreadable ones are not "new"
    assert "2 items failed (the reasons: termkam jobs show 1)" in scan.stderr
    log = (Path(library) / "termkam.log").read_text()
    assert "empty.jpg': empty file" in log and "notes.jpg': not an image" in log
    for wrong in (("run", "tags", "--batch", "7"), ("run", "tags", "--mode", "bogus"),
                  ("run", "bogus")):
        run = termkam_cli("--library", library, *wrong)
        assert run.returncode == 2 and run.stderr.count("\n") == 1, (wrong, run.stderr)
    with sqlite3.connect(Path(library) / "catalog.db") as con:
        assert [kind for (kind,) in con.execute("SELECT kind FROM job")] == ["scan"]
    version = termkam_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("termkam 0.")


def test_every_json_output_carries_its_schema(tmp_path: Path, faces_set) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy2(faces_set["feat/multi_face.jpg"], photos / "group.jpg")
    (photos / "notes.jpg").write_text("not a photo")
    lib = ("--library", str(tmp_path / "library"))
    scan = termkam_cli(*lib, "scan", "--json", str(photos))
    assert scan.returncode == 3
    (job,) = json.loads(scan.stdout)["jobs"]                 # stdout holds only the JSON
    assert job["kind"] == "scan" and job["errors"] == 1
    assert job["failed"] == [{"path": str(photos / "notes.jpg"),
                              "reason": "not an image file (unknown or damaged header)"}]
    assert "scan done" in scan.stderr
    ran = termkam_cli(*lib, "run", "faces", "--json")
    assert ran.returncode == 0, ran.stderr
    assert [j["kind"] for j in json.loads(ran.stdout)["jobs"]] == [
        "faces.detect", "faces.recognize", "faces.cluster"]
    outputs = {
        "faces": ("faces", "list"), "people": ("faces", "people"),
        "clusters": ("faces", "clusters"), "jobs": ("jobs",), "job": ("jobs", "show", "1"),
        "status": ("status",), "tags": ("tags", "list"), "quality": ("quality", "list"),
        "settings": ("faces", "settings")}
    for name, command in outputs.items():
        run = termkam_cli(*lib, *command, "--json")
        assert run.returncode == 0, (command, run.stderr)
        data = json.loads(run.stdout)
        assert set(data) == {"schema", name} and data["schema"] == 1, command
    faces = json.loads(termkam_cli(*lib, "faces", "list", "--json").stdout)["faces"]
    assert len(faces) == 5 and {f["path"] for f in faces} == {str(photos / "group.jpg")}
    settings = json.loads(termkam_cli(*lib, "faces", "settings", "--json").stdout)
    assert settings["settings"]["values"]["face_size"] == "medium"
