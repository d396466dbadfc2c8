"""The model ids each task can use: what settings and menus offer, known without loading any
model code (the modules that run them check they cover the same ids)."""

from __future__ import annotations

FACE_DETECTORS = ("centerface", "yunet")
FACE_EMBEDDERS = ("facenet",)
OBJECT_DETECTORS = ("ssd_mobilenet_v2_coco", "yolox_nano")
CLASSIFIERS = ("efficientnet_lite3",)
QUALITY_DETECTORS: frozenset[str] = frozenset({"blur", "noise", "exposure", "compression",
                                               "brisque"})
