"""What a job tells while it runs: "loading models" before its weights open (the total known
by then), and the unit its counts and rate are in."""

from __future__ import annotations

import pytest

from engine.events import JobFinished, Progress
from engine.jobs import LOADING
from tests.helpers import run_job, scanned


@pytest.fixture
def two_photos(engine, face_photos):
    return scanned(engine, face_photos)


def reports(engine) -> list[Progress | JobFinished]:
    seen: list[Progress | JobFinished] = []
    engine.subscribe(lambda e: seen.append(e) if isinstance(e, Progress | JobFinished)
                     else None)
    return seen


@pytest.mark.parametrize(("kind", "phase"), [("faces.detect", "detecting faces"),
                                             ("tags.auto", "tagging"),
                                             ("quality.sort", "scoring quality")])
def test_a_model_job_says_loading_models_before_its_first_item(two_photos, kind, phase):
    seen = reports(two_photos)
    run_job(two_photos, kind)
    progress = [e for e in seen if isinstance(e, Progress)]
    first, then = progress[0], progress[1]
    assert first.phase == LOADING and first.done == 0
    assert then.phase == phase and then.done == 0 and then.total == 2
    assert progress[-1].done == 2 and {e.unit for e in progress} == {"photos"}


def test_detect_with_nothing_to_do_loads_no_model(two_photos):
    run_job(two_photos, "faces.detect")
    seen = reports(two_photos)
    run_job(two_photos, "faces.detect")             # mode "new": every photo is done
    assert LOADING not in {e.phase for e in seen if isinstance(e, Progress)}


def test_recognise_and_cluster_count_faces_detect_counts_photos(two_photos):
    seen = reports(two_photos)
    for kind in ("faces.detect", "faces.recognize", "faces.cluster"):
        run_job(two_photos, kind)
    ends = {e.kind: e for e in seen if isinstance(e, JobFinished)}
    faces = len(two_photos.faces.find())
    assert (ends["faces.detect"].unit, ends["faces.detect"].done) == ("photos", 2)
    assert (ends["faces.recognize"].unit, ends["faces.recognize"].done) == ("faces", faces)
    assert ends["faces.cluster"].unit == "faces" and ends["faces.cluster"].done == faces > 2


def test_every_choice_a_tool_offers_is_explained(engine):
    for kind in engine.job_kinds():
        for name, values in kind.choices.items():
            for value in values:
                assert kind.explanation(value), f"{kind.kind} {name} {value} is not explained"
