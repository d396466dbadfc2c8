"""Albums on small and large terminals: the side panels that fit (or that the user chose), a
grid whose cells are about as wide as their pictures are tall, thumbnails drawn in colour at
80x24 (under Pilot and in the real termkam in tmux), and resizes while it runs."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from bench.tmux_check import TMUX, TmuxSession
from tests.helpers import REPO, scanned, until
from tui.app import TermkamApp
from tui.help import HelpScreen
from tui.panes.album_panels import panels_shown
from tui.panes.albums import AlbumsPane
from tui.widgets.album_tree import AlbumTree
from tui.widgets.photo_info import PhotoInfo
from tui.widgets.thumb_grid import ThumbGrid, fit_cells

# terminal size -> the side panels shown, and the grid's columns
LAYOUTS = {(80, 24): (set(), 2), (100, 30): ({"tree"}, 4), (160, 50): ({"tree", "info"}, 5)}
SIZES = {"tree": 28, "info": 36}
TREE = "│ All photos  "  # the tree's first row
RGB = re.compile(r"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)")


@pytest.fixture
def library(engine, photo_tree):
    return scanned(engine, photo_tree)


def shown(app) -> set[str]:
    """The side panels on screen."""
    return {name for name, kind in (("tree", AlbumTree), ("info", PhotoInfo))
            if app.query_one(kind).display}


def colours(picture) -> set:
    """The colours of a half-cell picture as drawn on its cells."""
    found = set()
    for y in range(picture.content_size.height):
        for segment in picture.render_line(y):
            if segment.style is not None:
                found.update(c for c in (segment.style.color, segment.style.bgcolor) if c)
    return found


async def settled(pilot) -> ThumbGrid:
    """The grid once its pool fits its size and every picture in view is drawn."""
    g = pilot.app.query_one(ThumbGrid)
    await until(lambda: g.content_size.width and g.cells and g.ids
                and (g.columns, g.rows) == fit_cells(*g.content_size)
                and len(g.cells) == g.columns * g.rows and not g.pictures_pending)
    await pilot.pause()
    return g


def test_cells_are_about_as_wide_as_their_pictures_are_tall():
    assert fit_cells(74, 15) == (2, 1)       # 80x24: one row, so two large cells, not four
    assert fit_cells(50, 31) == (3, 3)       # rows of 10: the smallest cells, as before
    assert fit_cells(90, 41) == (5, 4)
    assert fit_cells(10, 5) == (1, 1)


def test_panels_fit_while_the_grid_keeps_three_columns_and_a_choice_wins():
    assert panels_shown(76, SIZES, {}) == set()
    assert panels_shown(96, SIZES, {}) == {"tree"}
    assert panels_shown(116, SIZES, {}) == {"tree", "info"}
    assert panels_shown(76, SIZES, {"info": True}) == {"info"}
    assert panels_shown(156, SIZES, {"tree": False}) == {"info"}


async def test_panels_fit_the_terminal_and_80x24_draws_large_pictures_in_colour(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=(160, 50)) as pilot:
        for size in [(160, 50), (80, 24), (100, 30), (80, 24), (160, 50)]:
            await pilot.resize_terminal(*size)
            panels, columns = LAYOUTS[size]
            await until(lambda: shown(app) == panels)  # noqa: B023
            g = await settled(pilot)
            assert g.columns == columns, size
            bound = [c for c in g.cells if c.image_id is not None]
            assert len(bound) == min(len(g.cells), len(g.ids))
            for cell in bound:
                picture = cell.picture
                assert picture.image is not None
                assert app.screen.region.contains_region(picture.region), size
                assert len(colours(picture)) > 20, (size, cell.caption.content)
            if size == (80, 24):        # two pictures of 30+ columns, not four of 14
                assert min(c.region.width for c in bound) >= 30


async def test_keys_toggle_the_panels_and_tab_shows_the_tree_for_the_moment(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        pane = app.query_one(AlbumsPane)
        keys = {k.key: k for k in app.query(FooterKey)}
        for key in ("i", "b", "question_mark", "q"):       # in the footer, inside the screen
            assert key in keys and keys[key].region.right <= 80, key
        await pilot.press("i")
        await until(lambda: shown(app) == {"info"})
        assert app.query_one(ThumbGrid).has_focus
        await pilot.press("i", "b")
        await until(lambda: shown(app) == {"tree"})
        await pilot.press("b")
        await until(lambda: shown(app) == set())
        # Tab: the tree for the moment; an album chosen with Enter, and it hides again
        await pilot.press("tab")
        await until(lambda: shown(app) == {"tree"})
        tree = app.query_one(AlbumTree)
        assert tree.has_focus
        await pilot.press("home", "down", "down", "enter")  # All photos, photos, landscapes
        await until(lambda: shown(app) == set() and app.query_one(ThumbGrid).has_focus)
        assert pane.place == "landscapes" and len(app.query_one(ThumbGrid).ids) == 1
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, HelpScreen))
        text = str(app.screen.query_one("#help-text").render())
        assert "Info panel" in text and "Album tree" in text and "Add folder" in text


def grid_colours(screen: str) -> set[tuple[str, str, str]]:
    """The 24-bit colours on the rows of a captured screen that show the thumbnails."""
    found: set[tuple[str, str, str]] = set()
    for line in screen.splitlines():
        if "▀" in line:
            found.update(RGB.findall(line))
    return found


def test_real_termkam_in_tmux_draws_thumbnails_in_colour_at_80x24_and_follows_resizes(
        library, tmp_path):
    assert Path(TMUX).exists(), "tmux is needed for this check: apt-get install tmux"
    session = TmuxSession(f"termkam-small-{os.getpid()}",
                          f"{shlex.quote(str(REPO / '.venv' / 'bin' / 'termkam'))} --library "
                          f"{shlex.quote(str(library.library.folder))}", width=80, height=24,
                          env={"XDG_DATA_HOME": str(tmp_path / "xdg"), "TERM": "xterm-256color",
                               "COLORTERM": "truecolor",
                               # as a shell that exports them: resizes must still be followed
                               "COLUMNS": "80", "LINES": "24"})

    def coloured() -> str:
        return subprocess.run([TMUX, "capture-pane", "-p", "-e", "-t", session.name],
                              check=True, capture_output=True, text=True).stdout

    session.start()
    try:
        first = session.wait_for(lambda s: "1 / " in s and "▀" in s, timeout=60)
        assert TREE not in first                               # no tree at 80 columns
        screen = coloured()
        assert len(grid_colours(screen)) > 50, screen
        assert "? Keys" in first and "q Quit" in first and "i Info panel" in first
        # typed ahead: the tree for the moment, an album, back to the grid
        session.keys("Tab", "Home", "Down", "Down", "Enter")
        session.wait_for(lambda s: "landscapes  1 / 1" in s and TREE not in s)
        session.keys("Tab", "Home", "Enter")                # all photos again
        session.wait_for(lambda s: "All photos  1 / " in s and "▀" in s)
        for width, height, visible in ((100, 30, TREE), (160, 50, "Pixels ")):
            session.resize(width, height)
            session.wait_for(lambda s: visible in s and "▀" in s, timeout=30)  # noqa: B023
        session.keys("q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "termkam" in session.capture():
            time.sleep(0.2)
    finally:
        session.kill()
