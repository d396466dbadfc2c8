"""Faces through the engine: detection job on real photos, suggestions, clustering, the
user's decisions (never overwritten by a job), undo, rebuild, and faces from metadata."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces import orl
from tests.exiftool import EXIFTOOL

PEOPLE = 10


def run(engine, kind, **options):
    result = engine.start(kind, options).wait(300)
    assert result is not None and result.state == "done", result
    return result


@pytest.fixture(scope="module")
def orl_library(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A library of 10 ORL people x 10 photos, faces detected and embedded (built once)."""
    base = tmp_path_factory.mktemp("orl")
    truth = orl.build_collection(base / "photos")
    truth = {path: person for path, person in truth.items() if person <= PEOPLE}
    for folder in (base / "photos").iterdir():
        if int(folder.name[1:]) > PEOPLE:
            shutil.rmtree(folder)
    with Engine(base / "library") as engine:
        engine.scan([str(base / "photos")]).wait(120)
        run(engine, "faces.detect")
    return base / "library", truth


@pytest.fixture
def orl_engine(orl_library, tmp_path):
    library, truth = orl_library
    shutil.copytree(library, tmp_path / "library")
    with Engine(tmp_path / "library") as engine:
        yield engine, truth


def faces_of(engine, truth):
    """person -> face ids (best face of each photo)."""
    by_person: dict[int, list[int]] = {}
    best = {}
    for face in engine.faces.find():
        if face.image_path in truth and (face.det_score or 0) >= best.get(face.image_path, (0,))[0]:
            best[face.image_path] = (face.det_score or 0, face.id)
    for path, (_, fid) in best.items():
        by_person.setdefault(truth[path], []).append(fid)
    return by_person


def name_first(engine, by_person, k):
    for person, ids in by_person.items():
        engine.faces.name(ids[:k], f"s{person}")


# -- detection ---------------------------------------------------------------------------

@pytest.fixture
def face_photos(tmp_path, faces_set):
    root = tmp_path / "photos"
    root.mkdir()
    for key in ("feat/multi_face.jpg", "feat/BWPictureHuman.jpg",
                "feat/free-mountain-vector-01.jpg"):
        shutil.copy2(faces_set[key], root / Path(key).name)
    return root


def test_detection_on_real_photos(engine, face_photos):
    engine.faces.set_setting("face_size", "small")   # the small face needs a large decode
    engine.scan([str(face_photos)]).wait(60)
    run(engine, "faces.detect")
    counts = Counter(Path(f.image_path).name for f in engine.faces.find())
    assert counts["multi_face.jpg"] == 5
    assert counts["BWPictureHuman.jpg"] == 1
    assert counts["free-mountain-vector-01.jpg"] == 0
    for face in engine.faces.find():
        x, y, w, h = face.box
        assert face.landmarks and len(face.landmarks) == 5
        assert all(x <= px <= x + w and y <= py <= y + h for px, py in face.landmarks)
        assert 0 < face.quality <= 1 and engine.faces.thumbnail(face.id)
    small = next(f for f in engine.faces.find() if "BWPicture" in f.image_path)
    assert small.box[2] < 2560 / 10   # a genuinely small face in a 2560 px photo


def test_boxes_are_in_displayed_coordinates_for_rotated_photos(engine, tmp_path, faces_set):
    root = tmp_path / "rotated"
    root.mkdir()
    upright = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    cv2.imwrite(str(root / "upright.jpg"), upright, [cv2.IMWRITE_JPEG_QUALITY, 95])
    # stored turned 90 degrees, with EXIF orientation 6 telling viewers to turn it back
    cv2.imwrite(str(root / "turned.jpg"), cv2.rotate(upright, cv2.ROTATE_90_COUNTERCLOCKWISE),
                [cv2.IMWRITE_JPEG_QUALITY, 95])
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-Orientation#=6",
                    str(root / "turned.jpg")], check=True)
    engine.scan([str(root)]).wait(60)
    run(engine, "faces.detect")
    boxes = {name: sorted(f.box for f in engine.faces.find() if f.image_path.endswith(name))
             for name in ("upright.jpg", "turned.jpg")}
    assert len(boxes["upright.jpg"]) == len(boxes["turned.jpg"]) == 5
    for a, b in zip(boxes["upright.jpg"], boxes["turned.jpg"], strict=True):
        assert all(abs(p - q) < 6 for p, q in zip(a, b, strict=True)), (a, b)


def test_a_new_embedder_gives_every_face_found_before_its_vector(engine, face_photos):
    """Turning the mirror embedding on (a new embedder version) redoes the photos: faces
    found before keep their ids and the user's names, and all get the new model's vectors."""
    from engine.catalog import faces as face_db
    from engine.faces.loaders import embedder_for

    engine.scan([str(face_photos)]).wait(60)
    run(engine, "faces.detect")
    before = {f.id: f.box for f in engine.faces.find()}
    named = sorted(before)[:2]
    engine.faces.name(named, "Ada")
    engine.faces.set_setting("mirror", "on")
    new = embedder_for(engine.faces.settings())
    assert face_db.embeddings(model_id=new.model_id, model_version=new.version)[0].size == 0
    run(engine, "faces.detect")
    after = {f.id: f for f in engine.faces.find()}
    assert set(after) == set(before)                       # the same faces, none added
    assert [after[i].name for i in named] == ["Ada", "Ada"]
    ids, vectors = face_db.embeddings(model_id=new.model_id, model_version=new.version)
    assert sorted(ids.tolist()) == sorted(before)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


# -- recognition and clustering on ORL ---------------------------------------------------

def test_orl_subset_suggestions_are_right(orl_engine):
    engine, truth = orl_engine
    by_person = faces_of(engine, truth)
    assert sum(len(v) for v in by_person.values()) == len(truth)   # one face per photo
    name_first(engine, by_person, 2)
    run(engine, "faces.recognize")
    right = total = 0
    for person, ids in by_person.items():
        for fid in ids[2:]:
            face = engine.faces.get(fid)
            total += 1
            right += face.suggested == f"s{person}"
    assert right / total >= 0.95, f"{right}/{total} suggestions right"
    quality = engine.faces.evaluate()
    assert quality.faces == 2 * PEOPLE and quality.accuracy >= 0.9


def suggestions(engine) -> dict[int, tuple[str | None, float | None]]:
    return {f.id: (f.suggested, f.suggested_distance)
            for f in engine.faces.find(status="unconfirmed")}


def test_names_through_similar_faces_are_right_and_decisions_refresh_like_a_full_run(orl_engine):
    engine, truth = orl_engine
    # a strict threshold leaves faces for the similar-faces step to name on 10 people
    engine.faces.set_setting("recognition_distance", "0.4")
    by_person = faces_of(engine, truth)
    name_first(engine, by_person, 2)
    run(engine, "faces.recognize")
    threshold = engine.faces.settings().recognition_distance
    through = {fid: name for fid, (name, dist) in suggestions(engine).items()
               if dist is not None and dist > threshold}
    person_of = {fid: p for p, ids in by_person.items() for fid in ids}
    assert through, "no face was named through similar faces"
    assert all(name == f"s{person_of[fid]}" for fid, name in through.items())
    # each decision refreshes only what it can change; the result equals a full run
    engine.faces.confirm([next(iter(through))])
    engine.faces.reject([by_person[3][4]])
    engine.faces.name(by_person[4][2:5], "s4")
    engine.faces.undo()
    after_decisions = suggestions(engine)
    run(engine, "faces.recognize")
    assert suggestions(engine) == after_decisions


def test_orl_faces_cluster_into_mostly_pure_groups(orl_engine):
    engine, truth = orl_engine
    run(engine, "faces.cluster")
    clusters = engine.faces.clusters()
    person_of = {fid: p for p, ids in faces_of(engine, truth).items() for fid in ids}
    clustered = sum(c.size for c in clusters)
    pure = sum(Counter(person_of[f] for f in c.face_ids).most_common(1)[0][1] for c in clusters)
    assert clustered >= 0.7 * len(truth), f"only {clustered} faces clustered"
    assert pure / clustered >= 0.9, f"purity {pure / clustered:.2f}"
    sizes = [c.size for c in clusters]
    assert sizes == sorted(sizes, reverse=True)
    run(engine, "faces.cluster")   # nothing changed: the same ids
    assert [(c.id, c.face_ids) for c in engine.faces.clusters()] == [
        (c.id, c.face_ids) for c in clusters]
    biggest = clusters[0]
    engine.faces.name_cluster(biggest.id, "Cluster person")
    assert {engine.faces.get(f).person for f in biggest.face_ids} == {"Cluster person"}


def test_a_rejected_suggestion_never_comes_back(orl_engine):
    engine, truth = orl_engine
    by_person = faces_of(engine, truth)
    name_first(engine, by_person, 3)
    run(engine, "faces.recognize")
    victim = engine.faces.get(by_person[1][5])
    assert victim.suggested == "s1"
    engine.faces.reject([victim.id])
    assert engine.faces.get(victim.id).suggested != "s1"
    run(engine, "faces.recognize")
    run(engine, "faces.rebuild")
    assert engine.faces.get(victim.id).suggested != "s1"


@pytest.mark.parametrize("mode", ["merge", "clear"])
def test_user_decisions_survive_rescans(orl_engine, mode):
    engine, truth = orl_engine
    by_person = faces_of(engine, truth)
    engine.faces.name(by_person[1][:2], "Ann")
    engine.faces.ignore([by_person[2][0]])
    engine.faces.not_a_face([by_person[3][0]])
    before = len(engine.faces.find(include_not_faces=True))
    run(engine, "faces.detect", mode=mode)
    assert [engine.faces.get(f).person for f in by_person[1][:2]] == ["Ann", "Ann"]
    assert engine.faces.get(by_person[2][0]).status == "ignored"
    assert engine.faces.get(by_person[3][0]).status == "not_face"
    # the false face is not detected again and nothing is duplicated
    assert len(engine.faces.find(include_not_faces=True)) == before


def test_undo_merge_and_rename_keep_every_face(orl_engine):
    engine, truth = orl_engine
    by_person = faces_of(engine, truth)
    engine.faces.name(by_person[1][:3], "Ann")
    engine.faces.name(by_person[2][:3], "Bob")
    engine.faces.rename("Ann", "Anna")
    engine.faces.merge("Bob", "Anna")
    people = {p.name: p.confirmed for p in engine.faces.persons()}
    assert people == {"Anna": 6}
    engine.faces.undo()          # the merge
    assert {p.name: p.confirmed for p in engine.faces.persons()} == {"Anna": 3, "Bob": 3}
    engine.faces.undo(2)         # the rename, then naming Bob
    assert {p.name: p.confirmed for p in engine.faces.persons()} == {"Ann": 3}
    assert all(engine.faces.get(f).status == "unconfirmed" for f in by_person[2][:3])
    engine.faces.name(by_person[2][:1], "Bob")
    with pytest.raises(TermkamError, match="already exists"):
        engine.faces.rename("Ann", "bob")     # names are case-insensitive
    assert len(engine.faces.undo(50)) == 2    # naming Bob again, naming Ann
    assert engine.faces.persons() == []
    with pytest.raises(TermkamError, match="nothing to undo"):
        engine.faces.undo()


def test_rebuild_leaves_low_quality_faces_out_but_keeps_their_names(orl_engine):
    engine, truth = orl_engine
    by_person = faces_of(engine, truth)
    name_first(engine, by_person, 4)
    qualities = sorted((engine.faces.get(f).quality, f) for ids in by_person.values()
                       for f in ids[:4])
    cut = (qualities[2][0] + qualities[3][0]) / 2      # three faces fall under the cut
    engine.faces.set_setting("quality_cut", cut)
    run(engine, "faces.rebuild")
    report = engine.faces.report()
    assert sorted(f for f, _, _ in report.left_out) == sorted(f for _, f in qualities[:3])
    assert report.used == 4 * PEOPLE - 3
    assert all("quality" in why for _, _, why in report.left_out)
    for _, fid in qualities[:3]:
        assert engine.faces.get(fid).status == "confirmed"


def test_named_mwg_region_in_a_file_becomes_a_confirmed_face(engine, tmp_path, faces_set):
    root = tmp_path / "tagged"
    root.mkdir()
    photo = root / "portrait.jpg"
    shutil.copy2(faces_set["feat/single_face.jpg"], photo)
    # single_face.jpg is 572x562; its face is near the centre-top
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original",
                    "-RegionInfo={AppliedToDimensions={W=572,H=562,Unit=pixel},RegionList=["
                    "{Area={X=0.49,Y=0.49,W=0.33,H=0.48,Unit=normalized},Name=Grace,Type=Face}]}",
                    str(photo)], check=True)
    engine.scan([str(root)]).wait(60)
    run(engine, "faces.detect")
    faces = engine.faces.find()
    assert len(faces) == 1, faces                    # matched to the detection: no duplicate
    assert faces[0].status == "confirmed" and faces[0].person == "Grace"
    assert faces[0].source == "detector"
