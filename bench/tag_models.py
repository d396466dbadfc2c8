"""Auto-tag model speed: ms per image by batch size for SSD-MobileNet-v2, YOLOX-Nano and
EfficientNet-Lite3, model only (pre-processing included, decode not), on the real sample
photos decoded beforehand and shrunk to at most ``--side`` px. Each figure is the best of
``--repeats`` timed passes over the same images; wall and process CPU time are both shown,
since the machine may be shared.

    .venv/bin/python bench/tag_models.py [--models-dir DIR] [--side 1024] [--images 32]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import config, samples  # noqa: E402
from models.classify import image_classifier_for  # noqa: E402
from models.errors import ModelError  # noqa: E402
from models.object_detect import object_detector_for  # noqa: E402
from models.runtimes import default_threads  # noqa: E402

BATCH_SIZES = (1, 8, 16)
MIRROR = Path(__file__).resolve().parents[2] / "shared" / "models"


def photos(side: int, count: int) -> list[np.ndarray]:
    """``count`` decoded sample photos (the objects and faces sets, repeated), long side
    <= ``side``."""
    paths = [*samples.fetch_set("objects").values(), *samples.fetch_set("faces").values()]
    images = []
    for path in paths:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        assert image is not None, f"cannot read {path}"
        factor = min(1.0, side / max(image.shape[:2]))
        if factor < 1.0:
            image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        images.append(image)
    return [images[i % len(images)] for i in range(count)]


def runner(model_id: str, models_dir: Path, batch_size: int
           ) -> Callable[[list[np.ndarray]], object]:
    """The batch call of ``model_id`` at ``batch_size``, loaded."""
    if model_id == "efficientnet_lite3":
        classifier = image_classifier_for(model_id, models_dir, batch_size=batch_size)
        classifier.load()
        return lambda images: classifier.classify_batch(images, min_score=0)
    detector = object_detector_for(model_id, models_dir, batch_size=batch_size)
    detector.load()
    return detector.detect_batch


def ms_per_image(run: Callable[[list[np.ndarray]], object], images: list[np.ndarray],
                 repeats: int) -> tuple[float, float]:
    """(wall, process CPU) ms per image of the fastest of ``repeats`` timed passes, after a
    warm-up pass. CPU time counts every thread: it shows the work, whatever else runs."""
    run(images[:16])
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run(images)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return 1000 * best[0] / len(images), 1000 * best[1] / len(images)


def main() -> None:
    """Print one line per model: ms/image at each batch size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_dir = MIRROR if (MIRROR / "yolox_nano.onnx").is_file() else config.models_dir()
    parser.add_argument("--models-dir", type=Path, default=default_dir)
    parser.add_argument("--side", type=int, default=1024)
    parser.add_argument("--images", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    images = photos(args.side, args.images)
    print(f"{len(images)} real photos (long side <= {args.side} px), {os.cpu_count()} cores, "
          f"{default_threads()} model threads, load {os.getloadavg()[0]:.2f} at start")
    print(f"{'ms/image, wall (cpu)':24}" + "".join(f"{f'batch {b}':>16}" for b in BATCH_SIZES))
    for model_id in ("ssd_mobilenet_v2_coco", "yolox_nano", "efficientnet_lite3"):
        try:
            figures = [ms_per_image(runner(model_id, args.models_dir, size), images,
                                    args.repeats) for size in BATCH_SIZES]
        except ModelError as error:
            print(f"{model_id:24}  not run: {error}")
            continue
        print(f"{model_id:24}" + "".join(f"{wall:9.1f} ({cpu:4.0f})" for wall, cpu in figures))
    print(f"load {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
