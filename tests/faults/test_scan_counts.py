"""What a rescan says after folders move and files vanish: the counts a user reads."""

from __future__ import annotations

import shutil

from tests.helpers import termkam_cli


def test_a_moved_album_is_counted_as_moved_and_only_vanished_files_as_missing(
        tmp_path, faces_set):
    photos = tmp_path / "photos"
    source = faces_set["feat/single_face.jpg"].read_bytes()
    for album in ("a", "b", "c"):
        (photos / album).mkdir(parents=True)
        for number in range(10):  # distinct contents: a move is found by content
            (photos / album / f"{number}.jpg").write_bytes(source + f"{album}{number}".encode())
    library = str(tmp_path / "library")
    assert termkam_cli("--library", library, "scan", str(photos)).returncode == 0
    shutil.move(photos / "a", photos / "a-renamed")
    for number in range(3):
        (photos / "b" / f"{number}.jpg").unlink()
    rescan = termkam_cli("--library", library, "scan")
    assert rescan.returncode == 0, rescan.stderr
    summary = rescan.stdout.split(": ", 1)[1]
    assert summary.startswith("10 moved, 17 unchanged, 3 missing"), summary
    status = termkam_cli("--library", library, "status")
    assert "27 ok" in status.stdout and "; 3 missing" in status.stdout
