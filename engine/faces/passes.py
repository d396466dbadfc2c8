"""Where the face detector looks: one pass over the whole photo, and a second look only at
the faces that pass was unsure of.

The pass runs at 3/4 of the face-size decode (960 px for ``medium``): on 60 camera photos
with 232 faces of 80-400 px it found as many as the old 1280 + 640 px passes, in half the
time, and a frame-filling face as one box instead of several partial ones. A face a
smaller scale makes uncertain (score between UNSURE x threshold and the threshold) is looked
at again on a crop around it at the decode's scale and at half of it, the scales the old
passes used; it is kept if either look is sure. Measured by ``bench/faces_vs.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from models.face_detect import DetectedFace, FaceDetector

from .geometry import iou

PASS_SCALE = 0.75
UNSURE = 0.6
LOOK_SCALES = (1.0, 0.5)
LOOK_CONTEXT = 4.0           # crop side, in face sides
SAME_FACE_IOU = 0.4


def _resized(image: np.ndarray, factor: float) -> np.ndarray:
    if factor >= 1.0:
        return image
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def _mapped(face: DetectedFace, factor: float, dx: float = 0.0, dy: float = 0.0
            ) -> DetectedFace:
    """``face`` found on an image shrunk by ``factor`` and cut at (dx, dy), in full pixels."""
    x, y, w, h = face.box
    return DetectedFace((x / factor + dx, y / factor + dy, w / factor, h / factor),
                        tuple((px / factor + dx, py / factor + dy) for px, py in face.landmarks),
                        face.score)


def _look_area(box: Sequence[float], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x, y, w, h = box
    half = max(w, h) * LOOK_CONTEXT / 2
    cx, cy = x + w / 2, y + h / 2
    return (int(max(0, cx - half)), int(max(0, cy - half)),
            int(min(shape[1], cx + half)), int(min(shape[0], cy + half)))


def find_faces(detector: FaceDetector, images: Sequence[np.ndarray], threshold: float,
               pass_side: int) -> list[list[DetectedFace]]:
    """Faces scoring >= ``threshold`` in each image (decoded at the face-size side), from one
    pass at ``pass_side`` px and second looks at the unsure candidates; best first."""
    factors = [min(1.0, pass_side / max(image.shape[:2])) for image in images]
    candidates = detector.detect_batch([_resized(image, f) for image, f in zip(
        images, factors, strict=True)], min_score=UNSURE * threshold)
    found: list[list[DetectedFace]] = []
    looks: list[tuple[int, DetectedFace, tuple[int, int, int, int]]] = []
    for index, (faces, factor) in enumerate(zip(candidates, factors, strict=True)):
        faces = [_mapped(face, factor) for face in faces]
        found.append([face for face in faces if face.score >= threshold])
        looks += [(index, face, _look_area(face.box, images[index].shape))
                  for face in faces if face.score < threshold]
    crops = [_resized(images[index][y0:y1, x0:x1], scale)
             for index, _, (x0, y0, x1, y1) in looks for scale in LOOK_SCALES]
    seen = detector.detect_batch(crops, min_score=threshold) if crops else []
    for number, (index, candidate, (x0, y0, _, _)) in enumerate(looks):
        views = seen[number * len(LOOK_SCALES):(number + 1) * len(LOOK_SCALES)]
        sure = [_mapped(face, scale, x0, y0) for scale, faces in zip(LOOK_SCALES, views,
                                                                      strict=True)
                for face in faces]
        sure = [face for face in sure if iou(face.box, candidate.box) >= SAME_FACE_IOU]
        if sure and not any(iou(face.box, candidate.box) >= SAME_FACE_IOU
                            for face in found[index]):
            found[index].append(max(sure, key=lambda face: face.score))
    return [sorted(faces, key=lambda face: -face.score) for faces in found]
