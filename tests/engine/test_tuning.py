"""TuningService: threshold previews checked against direct computations and real job runs
on ORL faces detected by the real models; models, optional install, benchmarks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces import clustering, orl, recognition
from engine.faces.loaders import embedder_key
from engine.setting_specs import check
from tests.helpers import model_mirror

PEOPLE = 6          # ORL people in the library
NAMED = 4           # of them, named by the user ...
NAMED_FACES = 4     # ... on this many photos each
def build_tuning_library(base: Path) -> Path:
    """A library of ORL faces (detected and embedded by the real models), some people named
    on a few photos, suggestions made: the catalog the previews are checked on."""
    truth = orl.build_collection(base / "photos")
    for folder in (base / "photos").iterdir():
        if int(folder.name[1:]) > PEOPLE:
            shutil.rmtree(folder)
    with Engine(base / "library") as engine:
        engine.scan([str(base / "photos")]).wait(120)
        result = engine.start("faces.detect").wait(300)
        assert result is not None and result.state == "done", result
        by_person: dict[int, list[int]] = {}
        for face in engine.faces.find():
            if face.image_path in truth:
                by_person.setdefault(truth[face.image_path], []).append(face.id)
        for person in range(1, NAMED + 1):
            engine.faces.name(by_person[person][:NAMED_FACES], f"person {person}")
        assert engine.start("faces.recognize").wait(60).state == "done"
    return base / "library"


@pytest.fixture(scope="module")
def tuning_library(tmp_path_factory) -> Path:
    return build_tuning_library(tmp_path_factory.mktemp("tuning"))


@pytest.fixture
def eng(tuning_library, tmp_path) -> Iterator[Engine]:
    shutil.copytree(tuning_library, tmp_path / "library")
    with Engine(tmp_path / "library") as engine:
        yield engine


def run(engine: Engine, kind: str) -> None:
    result = engine.start(kind).wait(120)
    assert result is not None and result.state == "done", result


def test_recognition_preview_matches_faces_eval_and_a_recognise_run(eng):
    seen = []
    for threshold in (0.1, 0.2, 0.3, 0.45, 0.7):
        preview = eng.tuning.recognition_preview(threshold)
        eng.faces.set_setting("recognition_distance", threshold)
        loo = eng.faces.evaluate()       # what `termkam faces eval` prints
        assert (preview.tested, preview.persons) == (loo.faces, loo.persons) == (
            NAMED * NAMED_FACES, NAMED)
        assert preview.precision == pytest.approx(loo.precision, abs=1e-12)
        assert preview.recall == pytest.approx(loo.recall, abs=1e-12)
        # the same threshold applied by the recognise job suggests exactly as many faces
        run(eng, "faces.recognize")
        unconfirmed = eng.faces.find(status="unconfirmed")
        assert preview.unconfirmed == len(unconfirmed)
        assert preview.would_suggest == sum(f.suggested_person_id is not None
                                            for f in unconfirmed)
        seen.append((preview.would_suggest, preview.recall))
    assert seen == sorted(seen) and seen[0] != seen[-1]
    assert 0 < seen[0][0] < seen[-1][0]


def test_recognition_preview_follows_the_users_decisions(eng):
    before = eng.tuning.recognition_preview(0.45)
    assert eng.tuning.recognition_preview(0.45) == before  # cached, same answer
    face = next(f for f in eng.faces.find(status="unconfirmed") if f.suggested_person_id)
    eng.faces.confirm([face.id])
    after = eng.tuning.recognition_preview(0.45)
    assert after.unconfirmed == before.unconfirmed - 1
    assert after.tested == before.tested + 1


def test_detection_preview_counts_stored_faces(eng):
    found = [f for f in eng.faces.find() if f.source == "detector"]
    assert found
    scores = sorted(f.det_score for f in found)
    sides = sorted(min(f.box[2], f.box[3]) for f in found)
    for score in (0.0, scores[len(scores) // 2], 0.99):
        for side in (0, int(sides[len(sides) // 3]), 10_000):
            preview = eng.tuning.detection_preview(score, side)
            assert preview.total == len(found)
            assert preview.passing == sum(f.det_score >= score and min(f.box[2], f.box[3])
                                          >= side for f in found)
    assert eng.tuning.detection_preview(0.0, 0).passing == len(found)
    assert eng.tuning.detection_preview(0.99, 0).passing < len(found)


def test_cluster_preview_matches_dbscan_and_the_cluster_job(eng):
    settings = eng.faces.settings()
    unknown = [f.id for f in eng.faces.find(unknown=True)]
    assert unknown
    _, vectors = recognition.CACHE.get(*embedder_key(settings), unknown)
    for eps in (0.1, 0.25, 0.4):
        preview = eng.tuning.cluster_preview(eps, 3)
        labels = clustering.dbscan(vectors, eps, 3)
        assert preview.unknown == len(unknown)
        assert preview.clustered == int((labels >= 0).sum())
        assert preview.clusters == len(set(labels[labels >= 0].tolist()))
    eng.faces.set_setting("cluster_eps", 0.4)
    run(eng, "faces.cluster")
    preview = eng.tuning.cluster_preview(0.4, settings.cluster_min_size)
    clusters = eng.faces.clusters()
    assert preview.clusters == len(clusters) > 0
    assert preview.clustered == sum(c.size for c in clusters)


def test_quality_preview_counts_confirmed_faces_left_out(eng):
    confirmed = eng.faces.find(status="confirmed")
    qualities = np.array([f.quality for f in confirmed])
    for cut in (0.0, float(np.median(qualities)), 1.0):
        preview = eng.tuning.quality_preview(cut)
        assert preview.confirmed == len(confirmed) == NAMED * NAMED_FACES
        assert preview.left_out == int((qualities < cut).sum())
    assert eng.tuning.quality_preview(1.0).left_out == len(confirmed)


def test_check_converts_and_refuses_bad_values():
    assert check("recognition_distance", "0.3") == 0.3
    assert check("min_face_size", " 40 ") == 40
    assert check("face_size", "small") == "small"
    for name, value, says in (("recognition_distance", "abc", "must be a number"),
                              ("min_face_size", "4.5", "must be an integer"),
                              ("detect_score", "1.5", "between 0.05 and 1"),
                              ("face_size", "huge", "one of large, medium, small"),
                              ("nonsense", "1", "unknown setting")):
        with pytest.raises(TermkamError, match=says):
            check(name, value)


def test_models_install_and_choice(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("TERMKAM_MODELS_DIR", str(tmp_path / "models"))
    models = {m.id: m for m in engine.tuning.models()}
    assert models["centerface"].state == "present" and models["centerface"].in_use
    assert models["yunet"].state == "missing" and models["yunet"].licence == "MIT"
    assert engine.tuning.choices("face_detect") == ["centerface", "yunet"]
    with pytest.raises(TermkamError, match="yunet"):
        engine.tuning.use_model("face_detect", "yunet")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TermkamError, match="could not read face_detection_yunet") as error:
        engine.tuning.install("yunet", str(tmp_path / "empty"))
    assert "\n" not in str(error.value)
    engine.tuning.install("yunet", str(model_mirror()))
    assert {m.id: m for m in engine.tuning.models()}["yunet"].state == "present"
    engine.tuning.use_model("face_detect", "yunet")
    assert engine.faces.settings().detector == "yunet"
    assert {m.id: m for m in engine.tuning.models()}["yunet"].in_use


def test_benchmark_times_real_photos(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    photos = engine.tuning.bench_photos(4)
    assert len(photos) == 4 and all(max(p.shape[:2]) == 640 for p in photos)
    steps = []
    rows = engine.tuning.benchmark("centerface", (1, 2), photos, repeat=2,
                                   progress=lambda done, total: steps.append((done, total)))
    assert [(r.batch_size, r.images) for r in rows] == [(1, 2), (2, 4)]
    assert all(r.ms_per_image > 0 and r.images_per_s == pytest.approx(1000 / r.ms_per_image)
               for r in rows)
    assert steps[-1] == (4, 4)
    crops = engine.tuning.benchmark("facenet", (2,), photos, repeat=1)
    assert crops[0].input.startswith("face crops") and crops[0].images == 2
    assert engine.tuning.benchmark("centerface", (1, 8), photos, cancelled=lambda: True) == []
    for model in ("ssd_mobilenet_v2_coco", "efficientnet_lite3", "brisque"):
        rows = engine.tuning.benchmark(model, (1, 2), photos, repeat=1)
        assert [(r.batch_size, r.images) for r in rows] == [(1, 1), (2, 2)], model
        assert all(r.ms_per_image > 0 for r in rows)
    with pytest.raises(TermkamError, match="no benchmark for mtcnn"):
        engine.tuning.benchmark("mtcnn", (1,), photos)
    with pytest.raises(TermkamError, match="scan some photos"):
        engine.tuning.benchmark("centerface", (1,), [])


def test_recognition_preview_counts_faces_a_rebuild_must_re_embed(eng):
    from engine.catalog.schema import FaceEmbedding

    assert eng.tuning.recognition_preview(0.45).stale == 0
    old = [f.id for f in eng.faces.find()][:3]
    with eng.library.writing():  # as if embedded by an earlier version of the embedder
        FaceEmbedding.update(model_version="facenet-old").where(
            FaceEmbedding.face.in_(old)).execute()
    assert eng.tuning.recognition_preview(0.45).stale == 3
    run(eng, "faces.rebuild")
    assert eng.tuning.recognition_preview(0.45).stale == 0
