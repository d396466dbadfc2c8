"""Camera-sized benchmark photos made from the real sample images (shared by the benches)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from engine import samples

SOURCES = ("feat/BWPictureHuman.jpg", "feat/multi_face.jpg", "feat/single_face.jpg",
           "feat/free-mountain-vector-01.jpg", "skimage/astronaut.png", "skimage/chelsea.png",
           "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png")


def masters(megapixels: float, out: Path, sources: Sequence[str] = SOURCES) -> list[Path]:
    """Distinct camera-sized JPEGs: every source at 3 crops x 2 qualities, 4:3 and 3:2."""
    files = {**samples.fetch_set("faces"), **samples.fetch_set("objects")}
    made = []
    for key in sources:
        image = cv2.imread(str(files[key]), cv2.IMREAD_COLOR)
        for variant, (crop, quality, aspect) in enumerate(
                [(1.0, 92, 4 / 3), (0.8, 85, 3 / 2), (0.6, 95, 4 / 3), (0.9, 80, 3 / 2)]):
            h, w = image.shape[:2]
            ch, cw = int(h * crop), int(w * crop)
            part = image[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]
            width = int((megapixels * 1e6 * aspect) ** 0.5)
            height = int(width / aspect)
            big = cv2.resize(part, (width, height), interpolation=cv2.INTER_CUBIC)
            noise = np.random.default_rng(variant).normal(0, 3, big.shape)  # sensor-like grain
            big = np.clip(big + noise, 0, 255).astype(np.uint8)
            path = out / f"master_{Path(key).stem}_{variant}.jpg"
            cv2.imwrite(str(path), big, [cv2.IMWRITE_JPEG_QUALITY, quality])
            made.append(path)
    return made


def build_tree(root: Path, count: int, megapixels: float,
               sources: Sequence[str] = SOURCES) -> int:
    """Albums of 250 photos, camera-style names; reused when already built."""
    stamp = root / f".built-{count}-{megapixels}-{len(sources)}"
    if stamp.exists():
        return count
    shutil.rmtree(root, ignore_errors=True)
    work = root / ".masters"
    work.mkdir(parents=True)
    made = masters(megapixels, work, sources)
    for number in range(count):
        album = root / f"{2020 + number // 2500}" / f"{number // 250 % 10 + 1:02d}-event"
        album.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made[number % len(made)], album / f"IMG_{number:05d}.JPG")
    shutil.rmtree(work)
    stamp.touch()
    return count
