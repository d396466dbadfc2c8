"""Camera-sized benchmark photos made from the real sample images (shared by the benches)."""

from __future__ import annotations

import json
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


FACE_SOURCES = ("feat/multi_face.jpg", "feat/single_face.jpg", "feat/0-f1-su-ph.jpg",
                "feat/0-f15-hao-ph.jpg", "feat/15-f13-anc-ph.jpg", "feat/45-m7-di-ph.jpg",
                "skimage/astronaut.png")
BACKGROUNDS = ("feat/free-mountain-vector-01.jpg", "skimage/coffee.png", "skimage/rocket.jpg",
               "skimage/chelsea.png", "skimage/motorcycle_left.png")


def face_scenes(root: Path, count: int, megapixels: float,
                face_heights: tuple[int, int] = (80, 400)) -> list[dict]:
    """Camera-sized scenes with 1-4 real face photos pasted on a real background so that
    each face is ``face_heights`` px tall; returns (and keeps in ``truth.json``) each file's
    true face boxes, found on the sources by CenterFace at their own size. Reused when built.
    """
    truth_file = root / "truth.json"
    stamp = f"{count}-{megapixels}-{face_heights}"
    if truth_file.exists():
        kept = json.loads(truth_file.read_text())
        if kept.get("stamp") == stamp:
            return kept["photos"]
    from models.face_detect import face_detector  # only the builder needs a model

    files = {**samples.fetch_set("faces"), **samples.fetch_set("objects")}
    detector = face_detector("centerface", root, max_side=100_000)
    sources = []
    for key in FACE_SOURCES:
        image = cv2.imread(str(files[key]), cv2.IMREAD_COLOR)
        sources.append((image, [f.box for f in detector.detect(image)]))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    photos = []
    for number in range(count):
        rng = np.random.default_rng(number)
        back = cv2.imread(str(files[BACKGROUNDS[number % len(BACKGROUNDS)]]), cv2.IMREAD_COLOR)
        canvas = cv2.resize(back, (width, height), interpolation=cv2.INTER_CUBIC)
        taken: list[tuple[int, int, int, int]] = []
        boxes: list[list[float]] = []
        for _ in range(int(rng.integers(1, 5))):
            image, faces = sources[int(rng.integers(len(sources)))]
            scale = float(rng.uniform(*face_heights)) / max(b[3] for b in faces)
            part = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA
                              if scale < 1 else cv2.INTER_CUBIC)
            ph, pw = part.shape[:2]
            if ph >= height or pw >= width:
                continue
            for _attempt in range(20):
                x, y = int(rng.integers(0, width - pw)), int(rng.integers(0, height - ph))
                if all(x + pw <= a or a + c <= x or y + ph <= b or b + d <= y
                       for a, b, c, d in taken):
                    break
            else:
                continue
            canvas[y:y + ph, x:x + pw] = part
            taken.append((x, y, pw, ph))
            boxes += [[x + bx * scale, y + by * scale, bw * scale, bh * scale]
                      for bx, by, bw, bh in faces]
        noise = rng.normal(0, 3, canvas.shape)
        canvas = np.clip(canvas + noise, 0, 255).astype(np.uint8)
        path = root / f"IMG_{number:05d}.JPG"
        cv2.imwrite(str(path), canvas, [cv2.IMWRITE_JPEG_QUALITY, 90])
        photos.append({"file": path.name, "faces": boxes})
    truth_file.write_text(json.dumps({"stamp": stamp, "photos": photos}))
    return photos
