"""The half-cell picture widget: a real photo drawn fitted and centred, each cell's colours
those of the two pixels it stands for, the lines built once per image and size."""

from __future__ import annotations

import gc

import numpy as np
from PIL import Image as PILImage
from rich.color import Color
from textual.app import App, ComposeResult

from tui.widgets import halfcell_picture
from tui.widgets.halfcell_picture import HalfcellPicture, fitted_cells, halfcell_lines


def test_a_photo_is_fitted_centred_and_coloured_pixel_pair_by_pair(objects_set):
    photo = PILImage.open(objects_set["skimage/motorcycle_left.png"]).convert("RGB")
    assert photo.width > photo.height                      # a wide photo: full width
    columns, rows = fitted_cells(photo, 40, 20)
    assert columns == 40 and rows == round(40 * photo.height / photo.width / 2) < 20
    lines = halfcell_lines(photo, 40, 20)
    assert len(lines) == 20 and all(line.cell_length == 40 for line in lines)
    top = (20 - rows) // 2
    assert all(line.text.strip() == "" for line in lines[:top] + lines[top + rows:])
    pixels = np.asarray(photo.resize((columns, 2 * rows), PILImage.Resampling.BOX))
    for row in (0, rows // 2, rows - 1):
        cells = [s for s in lines[top + row] if s.text == "▀"]
        assert len(cells) == columns
        for column in (0, columns // 3, columns - 1):
            style = cells[column].style
            assert style.color == Color.from_rgb(*pixels[2 * row, column])
            assert style.bgcolor == Color.from_rgb(*pixels[2 * row + 1, column])
    # a tall picture in the same box keeps its shape and is centred across
    tall = photo.transpose(PILImage.Transpose.ROTATE_90)
    columns, rows = fitted_cells(tall, 40, 20)
    assert rows == 20 and columns == round(40 * tall.width / tall.height) < 40
    first = halfcell_lines(tall, 40, 20)[0]
    assert first.text.index("▀") == (40 - columns) // 2


class _OnePicture(App):
    CSS = "HalfcellPicture { width: 30; height: 12; }"

    def __init__(self, image: PILImage.Image) -> None:
        super().__init__()
        self.image = image

    def compose(self) -> ComposeResult:
        yield HalfcellPicture(self.image)


async def test_lines_are_built_once_per_image_and_size(objects_set):
    photo = PILImage.open(objects_set["skimage/chelsea.png"]).convert("RGB")
    app = _OnePicture(photo)
    async with app.run_test(size=(60, 20)) as pilot:
        picture = app.query_one(HalfcellPicture)
        assert picture.content_size == (30, 12)
        first = [picture.render_line(y) for y in range(12)]
        assert sum("▀" in line.text for line in first) == fitted_cells(photo, 30, 12)[1]
        assert [picture.render_line(y) for y in range(12)] == first
        assert all(a is b for a, b in zip(first, [picture.render_line(y) for y in range(12)],
                                           strict=True))
        assert id(photo) in halfcell_picture._STRIPS
        other = photo.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)
        picture.image = other
        await pilot.pause()
        flipped = [picture.render_line(y) for y in range(12)]
        assert flipped != first and picture.content_size == (30, 12)
        picture.image = None
        await pilot.pause()
        assert picture.render_line(3).text.strip() == ""


def test_the_lines_of_an_image_are_dropped_with_it():
    image = PILImage.new("RGB", (64, 48), (200, 30, 40))
    lines = halfcell_picture._lines_for(image, 16, 6)
    assert halfcell_picture._lines_for(image, 16, 6) is lines
    key = id(image)
    assert key in halfcell_picture._STRIPS
    del image, lines
    gc.collect()
    assert key not in halfcell_picture._STRIPS
