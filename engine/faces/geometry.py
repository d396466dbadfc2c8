"""Boxes: overlap, scaling between decoded and full-size frames, displayed sizes."""

from __future__ import annotations

from collections.abc import Sequence

Box = tuple[float, float, float, float]   # x, y, w, h


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def scaled(box: Sequence[float], factor: float) -> Box:
    x, y, w, h = box
    return (x * factor, y * factor, w * factor, h * factor)


def displayed_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """Width and height once EXIF orientation is applied (5-8 swap the sides)."""
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)
