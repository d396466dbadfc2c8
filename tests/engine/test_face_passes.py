"""Where the face detector looks (engine/faces/passes.py), on real photos: one pass, and a
second look that keeps the faces the pass was unsure of."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from engine.faces.geometry import iou
from engine.faces.passes import find_faces
from models.face_detect import FaceDetector, face_detector


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> FaceDetector:
    return face_detector("centerface", tmp_path_factory.mktemp("models"), threads=2,
                         max_side=4000)


def shrunk(image: np.ndarray, side: int) -> np.ndarray:
    factor = side / max(image.shape[:2])
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def test_a_face_the_pass_is_unsure_of_gets_a_second_look(detector, faces_set):
    group = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    threshold = 0.90            # above what the small pass gives these faces, below full size
    at_full_size = detector.detect(group, threshold)
    assert len(at_full_size) >= 3
    assert detector.detect(shrunk(group, 320), threshold) == []
    found = find_faces(detector, [group], threshold, pass_side=320)[0]
    for face in at_full_size:
        assert any(iou(face.box, f.box) >= 0.5 for f in found), face
    assert all(f.score >= threshold for f in found) and len(found) <= 5
    # a threshold no view reaches keeps nothing
    assert find_faces(detector, [group], 0.99, pass_side=320) == [[]]


def test_a_frame_filling_face_is_one_face(detector, faces_set):
    portrait = cv2.imread(str(faces_set["feat/0-f1-su-ph.jpg"]))
    face = detector.detect(portrait)[0]
    x, y, w, h = (int(v) for v in face.box)
    tight = portrait[max(0, y - h // 8):y + h + h // 8, max(0, x - w // 3):x + w + w // 3]
    photo = cv2.resize(tight, (1280, 960), interpolation=cv2.INTER_CUBIC)  # a 1280 decode
    found = find_faces(detector, [photo], 0.5, pass_side=960)[0]
    assert len(found) == 1
    fx, fy, fw, fh = found[0].box
    assert fh > 0.6 * photo.shape[0] and len(found[0].landmarks) == 5
    # landmarks are in the photo's pixels: the eyes inside the box, left of right
    (lx, ly), (rx, ry) = found[0].landmarks[:2]
    assert fx < lx < rx < fx + fw and fy < ly < fy + fh / 2 + fh / 4


def test_a_batch_gives_what_each_photo_gives_alone(detector, faces_set):
    photos = [cv2.imread(str(faces_set[key])) for key in
              ("feat/multi_face.jpg", "feat/single_face.jpg", "feat/BWPictureHuman.jpg")]
    photos = [shrunk(p, 1280) if max(p.shape[:2]) > 1280 else p for p in photos]
    together = find_faces(detector, photos, 0.5, pass_side=960)
    alone = [find_faces(detector, [p], 0.5, pass_side=960)[0] for p in photos]
    assert [len(f) for f in together] == [len(f) for f in alone]
    assert [len(f) for f in together][:2] == [5, 1]
    for a, b in zip(together, alone, strict=True):
        assert all(iou(x.box, y.box) > 0.99 for x, y in zip(a, b, strict=True))
