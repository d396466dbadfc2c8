"""The command line's progress line and final lines name the unit of every rate."""

from __future__ import annotations

import re
import shutil

from engine.events import Progress
from engine.jobs import LOADING
from tests.helpers import scanned, termkam_cli
from tui.cli.common import _progress_text


def test_run_faces_names_the_unit_of_each_rate(tmp_path, face_photos):
    photos = face_photos
    lib = ["--library", str(tmp_path / "lib")]
    assert termkam_cli(*lib, "scan", str(photos)).returncode == 0
    run = termkam_cli(*lib, "run", "faces")
    assert run.returncode == 0, run.stderr
    ends = {line.split()[0]: line for line in run.stdout.splitlines()}
    unit = re.compile(r", [\d.]+ (\w+)/s\)$")
    assert unit.search(ends["faces.detect"]).group(1) == "photos"
    assert unit.search(ends["faces.recognize"]).group(1) == "faces"
    assert unit.search(ends["faces.cluster"]).group(1) == "faces"
    assert "items/s" not in run.stdout


def test_the_progress_line_says_loading_models_and_the_unit(engine, faces_set, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy2(faces_set["feat/multi_face.jpg"], photos / "multi_face.jpg")
    seen: list[Progress] = []
    scanned(engine, photos).subscribe(lambda e: seen.append(e) if isinstance(e, Progress)
                                      else None)
    engine.start("faces.detect").wait(120)
    lines = [_progress_text(e) for e in seen]
    assert lines[0].startswith(f"faces.detect: {LOADING} 0/1 photos (0%)")
    assert re.search(r"detecting faces 1/1 photos \(100%\), [\d.]+ photos/s, ", lines[-1])
