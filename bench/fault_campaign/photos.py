"""The photo collection a campaign runs on: camera-sized variants of the sample photos
in four albums, a folder outside them, and a stash for files a case makes vanish."""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from bench.photos import masters

# Sources in the order photos are made from them: faces and objects alternate, so a small
# collection still holds several people (each in 4 variants) and things to tag.
SOURCES = ("skimage/astronaut.png", "feat/single_face.jpg", "feat/multi_face.jpg",
           "skimage/chelsea.png", "skimage/coffee.png", "feat/BWPictureHuman.jpg",
           "skimage/motorcycle_left.png", "feat/0-f1-su-ph.jpg", "skimage/rocket.jpg",
           "feat/15-f13-anc-ph.jpg", "feat/free-mountain-vector-01.jpg")
VARIANTS = 4                                   # photos bench.photos.masters makes per source
ALBUMS = ("2021/01-party", "2021/02-hike", "2022/03-garden", "2022/04-city")
DECIDED = (0, 2)                  # albums the base library's tools ran on: variants 0 and 2


@dataclass(frozen=True)
class Photos:
    """The collection on disk: ``root`` is scanned into the base library, ``extra`` is a
    folder outside it for the first-scan case, ``stash`` holds files a case makes vanish."""

    root: Path
    extra: Path
    stash: Path

    def album(self, number: int) -> Path:
        return self.root / ALBUMS[number]

    @property
    def decided(self) -> tuple[Path, ...]:
        return tuple(self.album(n) for n in DECIDED)

    def places(self) -> dict[str, str]:
        """What a case's arguments may name: ``{extra}``, and ``{group}`` (the group photo
        of an album the tools did not run on)."""
        return {"extra": str(self.extra),
                "group": str(next(self.album(1).glob("*-multi_face_1.jpg")))}


def build_photos(base: Path, photos: int, megapixels: float) -> Photos:
    """``photos`` distinct camera-sized JPEGs in 4 albums (photo i in album i % 4, so every
    album has one variant of each source), and a third as many in a folder outside them."""
    extra = max(4, photos // 3)
    made = _sources(base / ".masters", photos + extra, megapixels)
    result = Photos(base / "photos", base / "import" / "card", base / "stash")
    for number in range(photos + extra):
        folder = result.album(number % len(ALBUMS)) if number < photos else result.extra
        folder.mkdir(parents=True, exist_ok=True)
        master = made[number % len(made)]
        target = folder / f"IMG_{number:04d}-{master.stem.removeprefix('master_')}.jpg"
        if number < len(made):
            shutil.copyfile(master, target)
        else:
            _distinct_copy(master, target, number)
    result.stash.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(base / ".masters")
    return result


def _sources(work: Path, count: int, megapixels: float) -> list[Path]:
    work.mkdir(parents=True, exist_ok=True)
    return masters(megapixels, work, SOURCES[:max(1, min(len(SOURCES),
                                                        math.ceil(count / VARIANTS)))])


def _distinct_copy(master: Path, target: Path, seed: int) -> None:
    """``master`` with its own grain: other bytes and pixels, the same scene."""
    image = cv2.imread(str(master), cv2.IMREAD_COLOR)
    grain = np.random.default_rng(seed).normal(0, 2, image.shape)
    cv2.imwrite(str(target), np.clip(image + grain, 0, 255).astype(np.uint8),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
