"""Model speed on this machine: ms per image and images/s by batch size, through the same
adapters the jobs use (face and object detectors, the classifier and BRISQUE on real photos at
640 px, FaceNet on face crops).

Weights load (and a warm-up run) happen before timing; a cancel is checked between runs.
OpenCV and the models are imported only when a benchmark runs: the Settings pane lists what
can be benchmarked without loading them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import config
from engine.catalog import images as image_db
from engine.catalog.schema import Face
from engine.errors import ItemError, TermkamError

SIDE = 640
BATCH_SIZES = (1, 8, 16)
# model id -> what it is benchmarked on
BENCHMARKS = {"centerface": "photos", "yunet": "photos", "facenet": "face crops",
              "ssd_mobilenet_v2_coco": "objects", "yolox_nano": "objects",
              "efficientnet_lite3": "classify", "brisque": "quality"}


@dataclass(frozen=True)
class BenchRow:
    model_id: str
    input: str                  # what was timed, e.g. "photos 640 px"
    batch_size: int
    images: int                 # images timed (batch size x repeat)
    ms_per_image: float
    images_per_s: float
    load_s: float               # weights load + warm-up, not in the timing


def resize(image: np.ndarray, side: int = SIDE) -> np.ndarray:
    """``image`` with its long side at ``side`` px (up or down)."""
    import cv2

    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale == 1.0:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def catalog_photos(limit: int = 16, side: int = SIDE) -> list[np.ndarray]:
    """Up to ``limit`` readable photos of the catalog at ``side`` px, photos with faces first
    (so FaceNet gets real face crops). Unreadable files are skipped."""
    from engine import decode

    with_faces = {iid for (iid,) in Face.select(Face.image).distinct().tuples()}
    records = [r for r in image_db.list_images(status="ok") if r.kind == "image"]
    records.sort(key=lambda r: (r.id not in with_faces, r.id))
    photos: list[np.ndarray] = []
    for record in records:
        if len(photos) >= limit:
            break
        try:
            photos.append(resize(decode.decode_file(record.path, record.orientation,
                                                    max_side=2 * side), side))
        except ItemError:
            continue
    return photos


def _face_crops(images: Sequence[np.ndarray], embedder: Any) -> list[np.ndarray]:
    """Aligned crops of the faces the default detector finds (a centre square if none)."""
    from models.face_detect import face_detector

    detector = face_detector("centerface", config.models_dir())
    crops = []
    for image in images:
        crops += [embedder.crop(image, face) for face in detector.detect(image)]
    if not crops:
        for image in images:
            h, w = image.shape[:2]
            side = min(h, w)
            top, left = (h - side) // 2, (w - side) // 2
            crops.append(image[top:top + side, left:left + side])
    return crops


def _runner(model_id: str, images: Sequence[np.ndarray]
            ) -> tuple[Callable[[list[np.ndarray]], Any], list[np.ndarray], str]:
    """(run a batch, inputs to cycle through, input description) for a model."""
    from models.face_detect import face_detector
    from models.face_embed import face_embedder

    if model_id not in BENCHMARKS:
        raise TermkamError(f"no benchmark for {model_id} yet (known: {', '.join(BENCHMARKS)})")
    photos = [resize(image) for image in images]
    kind = BENCHMARKS[model_id]
    if kind == "photos":
        detector = face_detector(model_id, config.models_dir(), max_side=SIDE)
        return detector.detect_batch, photos, f"photos {SIDE} px"
    if kind == "objects":
        from models.object_detect import object_detector_for

        objects = object_detector_for(model_id, config.models_dir(), batch_size=max(BATCH_SIZES))
        return objects.detect_batch, photos, f"photos {SIDE} px"
    if kind == "classify":
        from models.classify import image_classifier_for

        classifier = image_classifier_for(model_id, config.models_dir())
        return classifier.classify_batch, photos, f"photos {SIDE} px"
    if kind == "quality":
        from models.quality import score_image

        def brisque(batch: list[np.ndarray]) -> list[Any]:
            return [score_image(image, None, {"brisque"}) for image in batch]

        return brisque, photos, f"photos {SIDE} px"
    embedder = face_embedder(model_id, config.models_dir())
    crops = _face_crops(photos, embedder)
    return embedder.embed_crops, crops, "face crops 160 px"


def benchmark(model_id: str, batch_sizes: Sequence[int] = BATCH_SIZES,
              images: Sequence[np.ndarray] = (), repeat: int = 3, *,
              cancelled: Callable[[], bool] | None = None,
              progress: Callable[[int, int], None] | None = None) -> list[BenchRow]:
    """Time ``model_id`` on ``images`` (BGR arrays; photos are resized to 640 px): for each
    batch size, ``repeat`` calls of the adapter's batched API on that many inputs (cycling
    through them). Returns the rows measured so far when ``cancelled()`` turns true.
    ModelError (one line) when the model is missing."""
    if not len(images):
        raise TermkamError("no photos to benchmark on: scan some photos first")
    run, inputs, described = _runner(model_id, images)
    started = time.perf_counter()
    run(inputs[:1])  # loads the weights and warms up
    load_s = time.perf_counter() - started
    total, done = len(batch_sizes) * repeat, 0
    rows: list[BenchRow] = []
    for size in batch_sizes:
        batch = [inputs[i % len(inputs)] for i in range(size)]
        elapsed = 0.0
        for _ in range(repeat):
            if cancelled is not None and cancelled():
                return rows
            start = time.perf_counter()
            run(batch)
            elapsed += time.perf_counter() - start
            done += 1
            if progress is not None:
                progress(done, total)
        count = size * repeat
        rows.append(BenchRow(model_id, described, size, count, 1000.0 * elapsed / count,
                             count / elapsed if elapsed else 0.0, load_s))
    return rows
