"""The short version of bench/tags.py: the auto-tag job with its default setup on the
labelled photos of the test sets (bench/tag_eval.tsv) gives at most one wrong tag in twenty,
and names the subject of most photos that have one."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.tags import evaluate, read_truth
from engine.engine import Engine
from engine.tagging.settings import TagSettings
from tests.helpers import run_job, scanned


def test_default_setup_precision_on_labelled_photos(tmp_path: Path, objects_set, faces_set,
                                                    metadata_set) -> None:
    available = {**objects_set, **faces_set, **metadata_set}
    truth = [item for item in read_truth() if item.photo in available]
    assert len(truth) >= 18
    root = tmp_path / "photos"
    root.mkdir()
    for item in truth:
        shutil.copy2(available[item.photo], root / item.photo.replace("/", "__"))
    with Engine(tmp_path / "library") as engine:
        scanned(engine, root)
        assert engine.tags.settings() == TagSettings()          # the defaults under test
        run_job(engine, "tags.auto")
        given = {Path(record.path).name.replace("__", "/"):
                 [("/".join(t.path), t.confidence or 0.0) for t in tags if t.source == "auto"]
                 for record, tags in engine.tags.tagged_images()}
    wrong: dict[str, int] = {}
    score = evaluate(truth, given, wrong)
    assert score.given >= 12
    assert score.precision >= 0.95, wrong
    assert score.recall >= 0.6, score.line()
