"""What termkam prints stays termkam's: names and reasons from the user's files are shown with
their control characters escaped, and native decoders' warnings (libjpeg, libpng) go to the
library's log instead of the terminal."""

from __future__ import annotations

import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.printable import printable
from tests.helpers import REPO, termkam_cli

EVIL = "\x1b[2J evil\nerror: fake.jpg"
UNDECODABLE = b"bad \xff\x1b.jpg"


def test_printable_escapes_control_characters():
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("1\n2\t3\r4") == "1\\n2\\t3\\r4"
    assert printable("\x00\x07\x7f\x85\x9b") == "\\x00\\x07\\x7f\\x85\\x9b"


def test_printable_shows_undecodable_bytes_as_hex():
    assert printable(os.fsdecode(b"caf\xe9 \xff.jpg")) == "caf\\xe9 \\xff.jpg"
    assert printable("\ud800") == "\\ud800"


def test_printable_leaves_other_text_alone():
    for text in ("Zoë", "北京 2024", "[bold]x[/bold] \\x1b", "", "emoji 📷", "\xa0\xe9"):
        assert printable(text) == text
    assert printable(Path("/photos/a b.jpg")) == "/photos/a b.jpg"
    assert printable(ValueError("bad\nthing")) == "bad\\nthing"


@pytest.fixture
def evil_tree(tmp_path: Path, faces_set: dict[str, Path]) -> Path:
    """A good photo beside two broken files with hostile names."""
    root = tmp_path / "photos"
    root.mkdir()
    shutil.copy(faces_set["feat/single_face.jpg"], root / "good.jpg")
    (root / EVIL).write_text("not a photo\n")
    with open(os.path.join(os.fsencode(root), UNDECODABLE), "wb") as handle:
        handle.write(b"not a photo either\n")
    return root


def _assert_clean(output: str) -> None:
    assert "\x1b" not in output
    assert not any(line.startswith("error: fake.jpg") for line in output.splitlines())
    assert "Traceback" not in output


def test_hostile_file_names_are_printed_escaped(tmp_path, evil_tree):
    lib = str(tmp_path / "lib")
    evil = printable(str(evil_tree / EVIL))
    undecodable = printable(os.path.join(str(evil_tree), os.fsdecode(UNDECODABLE)))
    assert evil.endswith("\\x1b[2J evil\\nerror: fake.jpg")
    assert undecodable.endswith("bad \\xff\\x1b.jpg")

    scan = termkam_cli("--library", lib, "scan", str(evil_tree))
    assert scan.returncode == 3, scan.stderr   # done, two files are not images
    _assert_clean(scan.stdout + scan.stderr)
    assert f"error: {evil}: not an image" in scan.stderr
    assert f"error: {undecodable}: not an image" in scan.stderr

    for args in (("status",), ("jobs", "show", "1")):
        shown = termkam_cli("--library", lib, *args)
        assert shown.returncode == 0, shown.stderr
        _assert_clean(shown.stdout + shown.stderr)
        assert f"{evil}: not an image" in shown.stdout
        assert f"{undecodable}: not an image" in shown.stdout

    raw = termkam_cli("--library", lib, "status", "--json")
    assert raw.returncode == 0, raw.stderr
    _assert_clean(raw.stdout)
    paths = {error["path"] for error in json.loads(raw.stdout)["status"]["errors"]}
    assert paths == {str(evil_tree / EVIL), os.fsdecode(os.path.join(
        os.fsencode(evil_tree), UNDECODABLE))}


def _png_with_bad_iccp(pixels: np.ndarray) -> bytes:
    """A real PNG with an ICC profile chunk that libpng finds too short (Pillow reads it)."""
    png = cv2.imencode(".png", pixels)[1].tobytes()
    body = b"icc\0\0" + zlib.compress(b"\0" * 200)
    chunk = (struct.pack(">I", len(body)) + b"iCCP" + body
             + struct.pack(">I", zlib.crc32(b"iCCP" + body)))
    after_header = 8 + 25
    return png[:after_header] + chunk + png[after_header:]


def test_native_decoder_warnings_go_to_the_log(tmp_path, faces_set):
    root = tmp_path / "photos"
    root.mkdir()
    jpeg = faces_set["feat/single_face.jpg"].read_bytes()
    scan_start = jpeg.index(b"\xff\xda")
    cut = jpeg[:scan_start + (len(jpeg) - scan_start) // 2] + b"\xff\xd9"  # EOI: not "truncated"
    (root / "cut.jpg").write_bytes(cut)
    pixels = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    (root / "profile.png").write_bytes(_png_with_bad_iccp(pixels))
    lib = tmp_path / "lib"

    scan = termkam_cli("--library", str(lib), "scan", str(root))
    assert scan.returncode == 0, scan.stderr
    assert "scan done: 2 new" in scan.stdout
    assert "Corrupt JPEG data" not in scan.stderr and "libpng" not in scan.stderr
    log = (lib / "termkam.log").read_text(errors="replace")
    assert "Corrupt JPEG data" in log      # the decoders did complain: into the log
    assert "libpng warning: iCCP" in log


def test_progress_line_still_sees_the_terminal(tmp_path):
    """With descriptor 2 sent to the log, the progress printer still finds the terminal."""
    code = ("import sys; from pathlib import Path; from tui.cli.common import ProgressPrinter;"
            "from tui.terminal import native_output_to\n"
            "with native_output_to(Path(sys.argv[1])):\n"
            "    print(ProgressPrinter().tty, sys.stderr.isatty(), flush=True)\n"
            "    sys.stderr.write('to the terminal\\n')")
    leader, follower = pty.openpty()
    try:
        run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.log")], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60)
        terminal = os.read(leader, 4096)
    finally:
        os.close(leader)
        os.close(follower)
    assert run.returncode == 0
    assert run.stdout.split() == ["True", "True"]
    assert b"to the terminal" in terminal


async def test_tui_shows_hostile_names_escaped(engine, evil_tree, faces_set):
    """Album tree, thumbnail captions, photo info, scope list and the failed-items modal."""
    from textual.widgets import DataTable

    from tests.tui.test_albums import bound_captions, grid, info, started
    from tests.tui.test_maintenance import settle
    from tui.app import TermkamApp
    from tui.widgets.album_tree import AlbumTree
    from tui.widgets.job_errors import JobErrorsScreen
    from tui.widgets.job_table import JobTable

    album = evil_tree / "[b]album\x1b[31m"
    album.mkdir()
    photo = "\x1b]0;owned\x07[i]face\n.jpg"
    shutil.copy(faces_set["feat/single_face.jpg"], album / photo)
    engine.scan([str(evil_tree)]).wait(120)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await started(pilot)
        assert any(printable(album.name) in label for label in app.query_one(AlbumTree).labels())
        assert printable(photo) in bound_captions(app)
        screens = [app.export_screenshot()]
        for _ in range(len(grid(app).ids)):
            if printable(photo) in info(app):
                break
            await pilot.press("right")
        assert printable(album / photo) in info(app)
        screens.append(app.export_screenshot())
        await pilot.press("2")
        await settle(app, pilot)
        screens.append(app.export_screenshot())
        assert app.query_one(JobTable).selected_job() == 1
        await pilot.press("e")
        assert isinstance(app.screen, JobErrorsScreen)
        errors = app.screen.query_one("#errors-table", DataTable)
        paths = {str(errors.get_row_at(i)[0]) for i in range(errors.row_count)}
        assert printable(evil_tree / EVIL) in paths
        screens.append(app.export_screenshot())
    for screen in screens:
        assert "\x1b" not in screen and "\x07" not in screen


def test_wide_names_keep_table_columns_aligned():
    from engine.printable import display_width, padded

    names = ["Ada", "山田太郎", "Zoë", "Zoe\u0301", "👩‍🔬 Kim"]
    assert [display_width(n) for n in names] == [3, 8, 3, 3, 6]
    rows = [padded(name, 12) + "|" for name in names]
    assert {display_width(row) for row in rows} == {13}
