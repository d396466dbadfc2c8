"""What the photo view draws: a box and a short label per face (the highlighted one stands
out) and per object behind an auto tag, on a picture of any size.

Boxes are normalised (0..1) on the displayed photo, so the same marks fit the thumbnail and
any size it is drawn at; the colour tells a face's state: green named, orange a suggestion,
grey unknown or ignored, yellow the highlighted face, cyan an object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from engine.printable import printable

if TYPE_CHECKING:
    from engine.browse import ObjectBoxRecord
    from engine.catalog.records import FaceRecord

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]     # x, y, w, h

CURRENT: RGB = (255, 220, 0)
NAMED: RGB = (60, 210, 90)
SUGGESTED: RGB = (255, 140, 30)
UNKNOWN: RGB = (175, 175, 175)
OBJECT: RGB = (0, 200, 255)
LABEL_WIDTH = 12


@dataclass(frozen=True)
class Mark:
    """One box to draw: where (normalised), its label, colour and whether it is the
    highlighted one (drawn thicker, on top)."""

    box: Box
    label: str
    colour: RGB
    strong: bool = False


def face_label(face: FaceRecord) -> str:
    """A face's short label: its name, a suggestion with "?", or "?" / "ignored"."""
    if face.status == "confirmed" and face.person:
        text = face.person
    elif face.status == "ignored":
        text = "ignored"
    elif face.suggested:
        text = f"{face.suggested}?"
    else:
        text = "?"
    text = printable(text)
    return text if len(text) <= LABEL_WIDTH else text[:LABEL_WIDTH - 1] + "…"


def face_colour(face: FaceRecord) -> RGB:
    if face.status == "confirmed":
        return NAMED
    if face.status == "unconfirmed" and face.suggested:
        return SUGGESTED
    return UNKNOWN


def face_marks(faces: Sequence[FaceRecord], size: tuple[int, int],
               current: int | None = None) -> list[Mark]:
    """Marks for faces whose boxes are in displayed full-size pixels (``size``); the face
    with id ``current`` is the strong one, last so it is drawn on top."""
    width, height = max(1, size[0]), max(1, size[1])
    marks = []
    for face in faces:
        x, y, w, h = face.box
        strong = face.id == current
        marks.append(Mark((x / width, y / height, w / width, h / height), face_label(face),
                          CURRENT if strong else face_colour(face), strong))
    return sorted(marks, key=lambda mark: mark.strong)


def object_marks(objects: Sequence[ObjectBoxRecord]) -> list[Mark]:
    """Marks for object boxes (already normalised), labelled with their tag's last name."""
    return [Mark(found.box, printable(found.tag[-1])[:LABEL_WIDTH], OBJECT)
            for found in objects]


def pixel_box(box: Box, width: int, height: int) -> tuple[int, int, int, int]:
    """The box's corners (left, top, right, bottom) in a width x height picture, inside it."""
    x, y, w, h = box
    left = min(max(0, round(x * width)), width - 1)
    top = min(max(0, round(y * height)), height - 1)
    right = min(max(left, round((x + w) * width) - 1), width - 1)
    bottom = min(max(top, round((y + h) * height) - 1), height - 1)
    return left, top, right, bottom


def draw_marks(picture: PILImage.Image, marks: Sequence[Mark], line: int = 1,
               text: int = 0) -> PILImage.Image:
    """A copy of ``picture`` with the marks' boxes drawn ``line`` pixels wide, in order; the
    strong one twice as wide where that leaves most of the box's inside free. ``text`` > 0
    also writes the labels in pixels of that height (for pictures shown at full resolution,
    where cells of text cannot be laid over them)."""
    image = picture.convert("RGB") if picture.mode != "RGB" else picture.copy()
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=text) if text else None
    for mark in marks:
        corners = pixel_box(mark.box, image.width, image.height)
        inside = min(corners[2] - corners[0], corners[3] - corners[1])
        wide = mark.strong and inside >= 16 * line
        draw.rectangle(corners, outline=mark.colour, width=line * (2 if wide else 1))
        if font is not None and mark.label:
            left, top, right, bottom = draw.textbbox((0, 0), mark.label, font=font)
            width, height = right - left + 2 * line, bottom - top + 2 * line
            y = corners[1] - height if corners[1] >= height else corners[1] + 2 * line
            draw.rectangle((corners[0], y, corners[0] + width, y + height), fill=mark.colour)
            draw.text((corners[0] + line - left, y + line - top), mark.label, fill=(0, 0, 0),
                      font=font)
    return image
