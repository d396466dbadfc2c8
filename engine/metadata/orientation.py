"""Face regions between the stored frame (where MWG and Microsoft regions live: "Region
metadata is applied to the stored image", MWG guidelines 2.0) and the displayed frame (the
EXIF orientation applied, where termkam keeps its face boxes).

Boxes are normalised (x, y, w, h) with a top-left origin; both functions are pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Box = tuple[float, float, float, float]

# Where a stored point (u, v) lands once the orientation is applied (engine.decode turns the
# pixels the same way): 2-4 mirror or turn half round, 5 transposes, 6 turns a quarter
# clockwise, 7 transverses, 8 turns a quarter anticlockwise.
_POINT: dict[int, Callable[[float, float], tuple[float, float]]] = {
    1: lambda u, v: (u, v),
    2: lambda u, v: (1 - u, v),
    3: lambda u, v: (1 - u, 1 - v),
    4: lambda u, v: (u, 1 - v),
    5: lambda u, v: (v, u),
    6: lambda u, v: (1 - v, u),
    7: lambda u, v: (1 - v, 1 - u),
    8: lambda u, v: (v, 1 - u),
}
_INVERSE = {6: 8, 8: 6}  # the others undo themselves


def _mapped(box: Sequence[float], orientation: int) -> Box:
    x, y, w, h = box
    turn = _POINT.get(orientation, _POINT[1])
    (x0, y0), (x1, y1) = turn(x, y), turn(x + w, y + h)
    return (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


def stored_to_displayed(box: Sequence[float], orientation: int) -> Box:
    """A region of the stored image as it lies on the displayed (upright) image."""
    return _mapped(box, orientation)


def displayed_to_stored(box: Sequence[float], orientation: int) -> Box:
    """A box on the displayed image as a region of the stored image (for writing)."""
    return _mapped(box, _INVERSE.get(orientation, orientation))
