"""`termkam run faces` and `termkam faces ...` as a user runs them."""

from __future__ import annotations

import json

from tests.helpers import termkam_cli


def test_run_faces_then_name_list_and_undo(tmp_path, face_photos):
    photos = face_photos
    lib = ["--library", str(tmp_path / "lib")]
    assert termkam_cli(*lib, "scan", str(photos)).returncode == 0
    run = termkam_cli(*lib, "run", "faces")
    assert run.returncode == 0, run.stderr
    assert "faces.detect done: 2 images, 6 faces found" in run.stdout
    assert "faces.recognize done" in run.stdout and "faces.cluster done" in run.stdout
    faces = json.loads(termkam_cli(*lib, "faces", "list", "--json").stdout)["faces"]
    assert len(faces) == 6
    assert {f["path"].rsplit("/", 1)[1] for f in faces} == {"multi_face.jpg",
                                                                  "single_face.jpg"}
    assert all(len(f["box"]) == 4 and 0 < f["quality"] <= 1 and f["det_score"] > 0.5
               for f in faces)
    first = faces[0]["id"]
    named = termkam_cli(*lib, "faces", "name", "Ada", str(first))
    assert named.returncode == 0 and "named 1 face Ada" in named.stdout
    people = termkam_cli(*lib, "faces", "people")
    assert "Ada" in people.stdout and "1 confirmed" in people.stdout
    undone = termkam_cli(*lib, "faces", "undo")
    assert "undone: named 1 face Ada" in undone.stdout
    assert "Ada" not in termkam_cli(*lib, "faces", "people").stdout
    wrong = termkam_cli(*lib, "faces", "confirm", "99999")
    assert wrong.returncode == 1 and "no face #99999" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    setting = termkam_cli(*lib, "faces", "settings", "recognition_distance", "0.3")
    assert setting.stdout.strip() == "recognition_distance = 0.3"
    bad = termkam_cli(*lib, "faces", "settings", "face_size", "huge")
    assert bad.returncode == 1 and "face_size must be one of" in bad.stderr
