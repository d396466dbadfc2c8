"""The command line as a user runs it: scan, status, jobs, run, and clear errors."""

from __future__ import annotations

import json

from tests.helpers import termkam_cli


def test_scan_status_jobs_round_trip(tmp_path, photo_tree):
    lib = str(tmp_path / "lib")
    first = termkam_cli("--library", lib, "scan", str(photo_tree))
    files = len([p for p in photo_tree.rglob("*") if p.is_file()])
    assert first.returncode == 0, first.stderr
    assert f"scan done: {files} new" in first.stdout
    status = json.loads(termkam_cli("--library", lib, "status", "--json").stdout)
    assert status["schema"] == 1
    status = status["status"]
    assert status["counts"]["images"] == files and status["counts"]["thumbnails"] == files
    assert status["collections"] == [str(photo_tree)]
    again = termkam_cli("scan", "--library", lib)   # --library after the command works too
    assert f"{files} unchanged" in again.stdout
    history = termkam_cli("--library", lib, "jobs")
    assert history.stdout.count("scan") == 2 and "done" in history.stdout
    shown = termkam_cli("--library", lib, "jobs", "show", "1")
    assert shown.returncode == 0 and f"{files}/{files}" in shown.stdout
    rebuilt = termkam_cli("--library", lib, "run", "thumbnails", "--mode", "all")
    assert rebuilt.returncode == 0 and f"{files} thumbnails made" in rebuilt.stdout


def test_user_mistakes_get_one_line_and_no_traceback(tmp_path):
    lib = str(tmp_path / "lib")
    for args, expected in [
        (("scan", str(tmp_path / "nope")), "not a folder"),
        (("run", "nonsense"), "invalid choice: 'nonsense'"),
        (("jobs", "show", "42"), "no job #42"),
        (("jobs", "resume", "7"), "not interrupted or cancelled"),
    ]:
        run = termkam_cli("--library", lib, *args)
        output = run.stdout + run.stderr
        assert run.returncode != 0 and expected in output and "Traceback" not in output, args
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "catalog.db").write_text("garbage" * 1000)
    run = termkam_cli("--library", str(tmp_path / "broken"), "status")
    assert run.returncode == 1 and "cannot be opened" in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


def test_scan_without_any_collection_says_how_to_start(tmp_path):
    run = termkam_cli("--library", str(tmp_path / "lib"), "scan")
    assert run.returncode == 2 and "termkam scan ~/Pictures" in run.stderr and not run.stdout
