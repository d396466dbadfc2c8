"""The tag vocabulary: complete for COCO, sound for ImageNet, and the tags real photos get."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from engine.tagging.decide import decide
from models import registry, vocabulary
from models.classify import ClassLabel, image_classifier_for
from models.errors import ModelError
from models.labels import class_names
from models.object_detect import DetectedObject, object_detector_for
from models.vocabulary import all_tags, class_shares, parse_selection, tag_tree, tags_of

SSD, YOLOX, EFFNET = "ssd_mobilenet_v2_coco", "yolox_nano", "efficientnet_lite3"
Tags = dict[str, dict[str, dict[str, float]]]


def _imagenet(class_id: int) -> list[str]:
    return [e.tag for e in vocabulary.entries().get(("imagenet", str(class_id)), ())]


def _coco(name: str, score: float = 0.9) -> DetectedObject:
    return DetectedObject(name, 0, score, (0.0, 0.0, 10.0, 10.0))


@pytest.fixture(scope="module")
def photo_tags(objects_set: dict[str, Path], faces_set: dict[str, Path],
               tmp_path_factory: pytest.TempPathFactory) -> Tags:
    """Photo -> model -> {tag: score} from the real models on the real photos, each model on
    its own through the vocabulary and the job's rules (engine.tagging.decide)."""
    models_dir = tmp_path_factory.mktemp("models")
    detector = object_detector_for(YOLOX, models_dir)
    classifier = image_classifier_for(EFFNET, models_dir)
    paths = {**objects_set, **faces_set}
    keys = ("skimage/chelsea.png", "skimage/coffee.png", "skimage/motorcycle_left.png",
            "skimage/astronaut.png", "feat/multi_face.jpg", "feat/free-mountain-vector-01.jpg")
    images = []
    for key in keys:
        image = cv2.imread(str(paths[key]))
        assert image is not None, key
        images.append(image)
    detected = detector.detect_batch(images, 0.1)
    classified = classifier.classify_batch(images, top_k=10, min_score=0.005)
    found: Tags = {}
    for key, objects, labels, image in zip(keys, detected, classified, images, strict=True):
        size = (image.shape[1], image.shape[0])
        found[key] = {YOLOX: dict(decide(YOLOX, objects, None, None, size).tags),
                      EFFNET: dict(decide(None, None, EFFNET, labels, size).tags)}
    return found


def test_every_coco_class_has_a_tag() -> None:
    for name in class_names("coco80").values():
        rows = vocabulary.entries().get(("coco", name))
        assert rows, f"COCO class {name!r} has no tag"
    assert [t for t, _ in tags_of(SSD, _coco("couch")) + tags_of(SSD, _coco("tv"))] == [
        "Home/Sofa", "Electronics/TV"]


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
        979: ["Places/Valley"], 980: ["Places/Mountain"], 975: ["Places/Lake"],
        497: ["Buildings/Church"]}
    assert _imagenet(967) == ["Food & drink/Coffee"] and _imagenet(968) == ["Food & drink/Cup"]
    assert _imagenet(665) == _imagenet(670) == ["Vehicles/Motorcycle"]  # moped, scooter
    assert _imagenet(111) == [] and _imagenet(419) == []  # nematode, Band Aid: no tag
    animals = {i for i in range(398) if any(t.startswith("Animals/") for t in _imagenet(i))}
    assert len(animals) >= 390  # every animal class but fossils and worms


def test_classes_add_up_by_tag_and_minimums_apply() -> None:
    cats = [ClassLabel("tabby", 281, 0.3), ClassLabel("Egyptian cat", 285, 0.25),
            ClassLabel("beagle", 162, 0.1), ClassLabel("seashore", 978, 0.26)]
    shares = class_shares(EFFNET, cats)
    assert shares == pytest.approx({"Animals/Cat": 0.55, "Animals/Dog": 0.1,
                                    "Places/Beach": 0.26})
    # the classifier needs a majority share: two cat classes make one, neither alone does
    assert decide(None, None, EFFNET, cats, (100, 100)).tags == [("Animals/Cat", 0.55)]
    assert decide(None, None, EFFNET, cats[1:], (100, 100)).tags == []
    person = [_coco("person", 0.59), _coco("person", 0.8), _coco("dog", 0.7)]
    assert decide(SSD, person, None, None, (10, 10)).tags == [
        ("Subjects/Person", 0.8), ("Animals/Dog", 0.7)]
    assert decide(SSD, person[:1], None, None, (10, 10)).tags == []   # a person needs 0.6
    assert tags_of(YOLOX, _coco("no such class")) == []
    with pytest.raises(ModelError, match="no tag vocabulary"):
        tags_of("centerface", _coco("cat"))


def test_rows_off_by_default_give_their_tag_only_when_chosen_by_name() -> None:
    fruit = [_coco("banana", 0.95)]
    assert decide(YOLOX, fruit, None, None, (10, 10)).tags == []
    assert decide(YOLOX, fruit, None, None, (10, 10), only="Food & drink").tags == []
    assert decide(YOLOX, fruit, None, None, (10, 10), only="Food & drink/Fruit").tags == [
        ("Food & drink/Fruit", 0.95)]


def test_class_selection() -> None:
    found = [_coco("cat"), _coco("dog", 0.8), _coco("car", 0.7), _coco("person", 0.6)]

    def tags(only):
        return [t for t, _ in decide(SSD, found, None, None, (10, 10), only=only).tags]
    assert tags("Animals") == ["Animals/Cat", "Animals/Dog"]
    assert tags("animals/cat, Vehicles") == ["Animals/Cat", "Vehicles/Car"]
    assert tags(["Subjects/Person"]) == ["Subjects/Person"]
    assert tags([]) == [] and len(tags(" ")) == 4
    assert parse_selection(" animals ,VEHICLES/car") == {"Animals", "Vehicles/Car"}
    with pytest.raises(ValueError, match="unknown tag or group: Aliens"):
        tags("Animals,Aliens")


def test_tag_listing_per_model() -> None:
    coco, imagenet = tag_tree(SSD), tag_tree(EFFNET)
    assert coco == tag_tree(YOLOX)
    assert "Places" not in coco and "Places/Beach" in imagenet["Places"]
    assert {"Animals", "Vehicles", "Food & drink"} <= set(coco) & set(imagenet)
    assert "Subjects" in coco and "Subjects" not in imagenet   # ImageNet has no person class
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
    assert list(chelsea[YOLOX]) == ["Animals/Cat"]
    assert list(chelsea[EFFNET]) == ["Animals/Cat"] and chelsea[EFFNET]["Animals/Cat"] > 0.6
    assert "Food & drink/Cup" in coffee[YOLOX]
    assert list(coffee[EFFNET]) == ["Food & drink/Coffee"]
    bike = photo_tags["skimage/motorcycle_left.png"]
    assert list(bike[YOLOX]) == list(bike[EFFNET]) == ["Vehicles/Motorcycle"]
    assert list(photo_tags["skimage/astronaut.png"][YOLOX]) == ["Subjects/Person"]
    assert list(photo_tags["feat/multi_face.jpg"][YOLOX]) == ["Subjects/Person"]
    landscape = photo_tags["feat/free-mountain-vector-01.jpg"]
    assert set(landscape[YOLOX]) | set(landscape[EFFNET]) <= {
        "Places/Mountain", "Places/Valley", "Places/Lake", "Places/Cliff", "Places/Beach"}
    every = {tag for models in photo_tags.values() for tags in models.values() for tag in tags}
    assert not every & {"Animals/Dog", "Vehicles/Car", "Buildings/Church"}
