"""The tag vocabulary: complete for COCO, sound for ImageNet, and the tags real photos get."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from models import registry, vocabulary
from models.classify import ClassLabel, image_classifier_for
from models.errors import ModelError
from models.labels import class_names
from models.object_detect import DetectedObject, object_detector_for
from models.vocabulary import all_tags, parse_selection, tag_tree, tags_for

SSD, YOLOX, EFFNET = "ssd_mobilenet_v2_coco", "yolox_nano", "efficientnet_lite3"
Tags = dict[str, dict[str, dict[str, float]]]


def _imagenet(class_id: int) -> list[str]:
    return [e.tag for e in vocabulary.entries().get(("imagenet", str(class_id)), ())]


def _coco(name: str, score: float = 0.9) -> DetectedObject:
    return DetectedObject(name, 0, score, (0.0, 0.0, 10.0, 10.0))


@pytest.fixture(scope="module")
def photo_tags(objects_set: dict[str, Path], faces_set: dict[str, Path],
               tmp_path_factory: pytest.TempPathFactory) -> Tags:
    """Photo -> model -> {tag: score} from the real models on the real photos."""
    models_dir = tmp_path_factory.mktemp("models")
    detector = object_detector_for(SSD, models_dir)
    classifier = image_classifier_for(EFFNET, models_dir)
    paths = {**objects_set, **faces_set}
    keys = ("skimage/chelsea.png", "skimage/coffee.png", "skimage/motorcycle_left.png",
            "skimage/astronaut.png", "feat/multi_face.jpg", "feat/free-mountain-vector-01.jpg")
    images = []
    for key in keys:
        image = cv2.imread(str(paths[key]))
        assert image is not None, key
        images.append(image)
    detected = detector.detect_batch(images)
    classified = classifier.classify_batch(images, min_score=0)
    return {key: {SSD: dict(tags_for(SSD, objects)), EFFNET: dict(tags_for(EFFNET, labels))}
            for key, objects, labels in zip(keys, detected, classified, strict=True)}


def test_every_coco_class_has_a_tag() -> None:
    for name in class_names("coco80").values():
        rows = vocabulary.entries().get(("coco", name))
        assert rows, f"COCO class {name!r} has no tag"
    assert [t for t, _ in tags_for(SSD, [_coco("couch"), _coco("tv")])] == [
        "Electronics/TV", "Home/Sofa"]


def test_imagenet_rows_match_the_label_file() -> None:
    paths = registry.locate(registry.get(EFFNET), Path("."))
    labels = paths["labels"].read_text(encoding="utf-8").splitlines()
    names = {line.split("\t")[1]: line.split("\t")[4]
             for line in vocabulary.VOCABULARY_FILE.read_text().splitlines()
             if line.startswith("imagenet\t")}
    assert len(names) > 800
    for key, name in names.items():
        assert labels[int(key)].split(",")[0] == name, key


def test_imagenet_groups_collapse() -> None:
    assert all(_imagenet(i) == ["Animals/Dog"] for i in range(151, 269))  # 118 breeds
    assert all(_imagenet(i) == ["Animals/Cat"] for i in range(281, 286))
    assert all(_imagenet(i) == ["Animals/Bird"] for i in [*range(7, 25), *range(80, 101),
                                                         *range(127, 147)])
    assert {i: _imagenet(i) for i in (978, 977, 970, 979, 980, 975, 497)} == {
        978: ["Places/Beach"], 977: ["Places/Beach"], 970: ["Places/Mountain"],
        979: ["Places/Mountain"], 980: ["Places/Mountain"], 975: ["Places/Lake"],
        497: ["Buildings/Church"]}
    assert _imagenet(967) == ["Food & drink/Coffee"] and _imagenet(968) == ["Food & drink/Cup"]
    assert _imagenet(665) == _imagenet(670) == ["Vehicles/Motorcycle"]  # moped, scooter
    assert _imagenet(111) == [] and _imagenet(419) == []  # nematode, Band Aid: no tag
    animals = {i for i in range(398) if any(t.startswith("Animals/") for t in _imagenet(i))}
    assert len(animals) >= 390  # every animal class but fossils and worms


def test_merge_minimum_and_order() -> None:
    cats = [ClassLabel("tabby", 281, 0.3), ClassLabel("Egyptian cat", 285, 0.5),
            ClassLabel("beagle", 162, 0.1), ClassLabel("seashore", 978, 0.26)]
    assert tags_for(EFFNET, cats) == [("Animals/Cat", 0.5), ("Places/Beach", 0.26)]
    # per-tag minimum: 0.26 is enough for a beach (0.25), 0.29 not for a cup (0.3)
    assert tags_for(EFFNET, [ClassLabel("cup", 968, 0.29)]) == []
    assert tags_for(SSD, [_coco("person", 0.49)]) == []
    assert tags_for(SSD, [_coco("person", 0.6), _coco("person", 0.8), _coco("dog", 0.7)]) == [
        ("Subjects/Person", 0.8), ("Animals/Dog", 0.7)]
    assert tags_for(YOLOX, [_coco("no such class")]) == []
    with pytest.raises(ModelError, match="no tag vocabulary"):
        tags_for("centerface", [])


def test_class_selection() -> None:
    found = [_coco("cat"), _coco("dog", 0.8), _coco("car", 0.7), _coco("person", 0.6)]
    assert [t for t, _ in tags_for(SSD, found, only="Animals")] == ["Animals/Cat", "Animals/Dog"]
    assert [t for t, _ in tags_for(SSD, found, only="animals/cat, Vehicles")] == [
        "Animals/Cat", "Vehicles/Car"]
    assert [t for t, _ in tags_for(SSD, found, only=["Subjects/Person"])] == ["Subjects/Person"]
    assert tags_for(SSD, found, only=[]) == [] and len(tags_for(SSD, found, only=" ")) == 4
    assert parse_selection(" animals ,VEHICLES/car") == {"Animals", "Vehicles/Car"}
    with pytest.raises(ValueError, match="unknown tag or group: Aliens"):
        tags_for(SSD, found, only="Animals,Aliens")


def test_tag_listing_per_model() -> None:
    coco, imagenet = tag_tree(SSD), tag_tree(EFFNET)
    assert coco == tag_tree(YOLOX)
    assert "Places" not in coco and "Places/Beach" in imagenet["Places"]
    assert {"Subjects", "Animals", "Vehicles", "Food & drink"} <= set(coco) & set(imagenet)
    assert all(tag.startswith(group + "/") for group, tags in coco.items() for tag in tags)
    assert set(all_tags()) == set(all_tags(SSD)) | set(all_tags(EFFNET))
    assert all_tags(SSD) == sorted(all_tags(SSD)) and "Animals/Cat" in all_tags(SSD)


def test_bad_vocabulary_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    bad = tmp_path / "vocab.tsv"
    monkeypatch.setattr(vocabulary, "VOCABULARY_FILE", bad)
    for text, problem in (("coco\tcat\tCat\t0.4\n", "not Group/Tag"),
                          ("imagenet\ttabby\tAnimals/Cat\t0.2\n", "class ids"),
                          ("coco\tcat\tAnimals/Cat\t1.5\n", "outside 0..1"),
                          ("coco\tcat\tAnimals/Cat\t0.4\ncoco\tcat\tAnimals/Cat\t0.5\n", "twice"),
                          ("places\tx\tA/B\t0.4\n", "expected source")):
        bad.write_text("# header\n" + text)
        vocabulary.entries.cache_clear()
        with pytest.raises(ValueError, match=problem):
            vocabulary.entries()
    vocabulary.entries.cache_clear()
    monkeypatch.undo()
    vocabulary.entries.cache_clear()
    assert vocabulary.entries()[("coco", "cat")][0].tag == "Animals/Cat"


def test_real_photos_get_the_right_tags(photo_tags: Tags) -> None:
    chelsea, coffee = photo_tags["skimage/chelsea.png"], photo_tags["skimage/coffee.png"]
    assert max(chelsea[SSD], key=chelsea[SSD].__getitem__) == "Animals/Cat"
    assert list(chelsea[EFFNET]) == ["Animals/Cat"] and chelsea[EFFNET]["Animals/Cat"] > 0.6
    assert "Food & drink/Cup" in coffee[SSD]
    assert list(coffee[EFFNET]) == ["Food & drink/Coffee"]
    bike = photo_tags["skimage/motorcycle_left.png"]
    assert list(bike[SSD]) == list(bike[EFFNET]) == ["Vehicles/Motorcycle"]
    assert list(photo_tags["skimage/astronaut.png"][SSD]) == ["Subjects/Person"]
    assert list(photo_tags["feat/multi_face.jpg"][SSD]) == ["Subjects/Person"]
    landscape = photo_tags["feat/free-mountain-vector-01.jpg"]
    assert set(landscape[SSD]) | set(landscape[EFFNET]) <= {
        "Places/Mountain", "Places/Lake", "Places/Cliff", "Places/Beach"}
    every = {tag for models in photo_tags.values() for tags in models.values() for tag in tags}
    assert not every & {"Animals/Dog", "Vehicles/Car", "Buildings/Church"}
