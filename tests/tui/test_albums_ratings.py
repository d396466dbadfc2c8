"""Stars and colour labels read from the files, in the Albums info panel and as filters."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import until
from tests.xmp_styles import write_each
from tui.app import TermkamApp
from tui.help import HelpScreen
from tui.widgets.album_filters import AlbumFilterBar
from tui.widgets.album_prompt import AlbumFilterPrompt
from tui.widgets.photo_info import PhotoInfo
from tui.widgets.thumb_grid import ThumbGrid

SIZE = (120, 40)


@pytest.fixture
def library(engine, tmp_path, metadata_set):
    """Four photos: 4 stars and green (digiKam), 2 stars and purple (Lightroom), rejected
    (Lightroom's -1), and one with neither."""
    root = tmp_path / "rated"
    root.mkdir()
    for name in ("four.jpg", "two.jpg", "reject.jpg", "plain.jpg"):
        shutil.copy2(metadata_set["pillow/flower.jpg"], root / name)
    write_each([
        (root / "four.jpg.xmp", ["-XMP-xmp:Rating=4", "-XMP-digiKam:ColorLabel=4"]),
        (root / "two.xmp", ["-XMP-xmp:Rating=2", "-XMP-xmp:Label=Purple"]),
        (root / "reject.jpg", ["-XMP-xmp:Rating=-1"]),
    ])
    result = engine.scan([str(root)]).wait(120)
    assert result is not None and result.state == "done", result
    return engine


def grid(app) -> ThumbGrid:
    return app.query_one(ThumbGrid)


def names(app) -> list[str]:
    return sorted(app.engine.browse.names(grid(app).ids).values())


async def choose(pilot, key: str, typed: str) -> None:
    await pilot.press(key)
    assert isinstance(pilot.app.screen, AlbumFilterPrompt)
    await pilot.press(*typed, "enter")
    await pilot.pause()


async def test_info_panel_shows_stars_and_colour_label(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: grid(app).ids)
        shown = {}
        for _ in grid(app).ids:
            name = library.browse.names([grid(app).current])[grid(app).current]
            shown[name] = app.query_one(PhotoInfo).text
            await pilot.press("right")
        assert "Rating   ★★★★☆" in shown["four.jpg"] and "Colour   green" in shown["four.jpg"]
        assert "Rating   ★★☆☆☆" in shown["two.jpg"] and "Colour   magenta" in shown["two.jpg"]
        assert "Rating   rejected" in shown["reject.jpg"]
        assert "Rating" not in shown["plain.jpg"] and "Colour" not in shown["plain.jpg"]


async def test_filters_by_rating_and_colour_label(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: grid(app).ids)
        await choose(pilot, "r", "2+")
        assert names(app) == ["four.jpg", "two.jpg"]
        assert "Rating: 2+ stars" in app.query_one(AlbumFilterBar).text
        await choose(pilot, "r", "4+")
        assert names(app) == ["four.jpg"]
        await choose(pilot, "r", "rejected")
        assert names(app) == ["reject.jpg"]
        await choose(pilot, "r", "no stars")
        assert names(app) == ["plain.jpg"]
        await pilot.press("x")
        await pilot.pause()
        await choose(pilot, "c", "magenta")
        assert names(app) == ["two.jpg"] and "Colour: magenta" in app.query_one(
            AlbumFilterBar).text
        await choose(pilot, "r", "4+")                # both at once: nothing matches
        assert names(app) == []


async def test_help_lists_the_new_filter_keys(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: grid(app).ids)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        assert "Filter by rating" in text and "Filter by colour label" in text
