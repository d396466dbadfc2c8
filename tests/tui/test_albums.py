"""The Albums pane, driven by a Pilot on a real scanned library: album tree with counts, the
virtualised thumbnail grid, the info panel, filters, the preview."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image as PILImage

from bench.tui_grid import add_synthetic_images, held_key
from tests.helpers import until
from tui.app import TermkamApp
from tui.help import HelpScreen
from tui.widgets.album_filters import AlbumFilterBar
from tui.widgets.album_prompt import AlbumFilterPrompt
from tui.widgets.album_tree import AlbumTree
from tui.widgets.photo_info import PhotoInfo
from tui.widgets.photo_preview import PhotoPreview
from tui.widgets.thumb_cell import ThumbCell
from tui.widgets.thumb_grid import ThumbGrid

SIZE = (120, 40)


@pytest.fixture
def library(engine, photo_tree, metadata_set):
    """The photo tree plus an album of photos with camera data and keywords, scanned."""
    meta = photo_tree / "meta"
    meta.mkdir()
    for key in ("pillow/flower.jpg", "pillow/iptc.jpg"):
        shutil.copy2(metadata_set[key], meta / Path(key).name)
    result = engine.scan([str(photo_tree)]).wait(120)
    assert result is not None and result.state == "done", result
    return engine


def grid(app) -> ThumbGrid:
    return app.query_one(ThumbGrid)


def info(app) -> str:
    return app.query_one(PhotoInfo).text


def bar(app) -> str:
    return app.query_one(AlbumFilterBar).text


def bound_captions(app) -> list[str]:
    return [str(c.caption.content) for c in grid(app).cells if c.image_id is not None]


async def started(pilot) -> None:
    app = pilot.app
    await until(lambda: grid(app).cells and grid(app).ids)
    await pilot.pause()


async def choose_album(pilot, name: str) -> None:
    """Tab to the tree, walk down to the album called ``name``, enter (back to the grid)."""
    app = pilot.app
    tree = app.query_one(AlbumTree)
    if not tree.has_focus:
        await pilot.press("tab")
    assert tree.has_focus
    await pilot.press("home")
    for _ in range(len(tree.labels()) + 1):
        node = tree.cursor_node
        if node is not None and str(node.label).split("  ")[0] == name:
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"no album {name!r} in {tree.labels()}")
    await pilot.press("enter")
    await pilot.pause()
    assert grid(app).has_focus


async def test_tree_lists_albums_with_counts_and_an_album_fills_the_grid(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        total = len(library.images(status="ok"))
        labels = [line.strip() for line in app.query_one(AlbumTree).labels()]
        assert labels[0] == f"All photos  {total}"
        assert {"things  3", "animals  1", "meta  2", "landscapes  1", "photos  " + str(total)
                } <= set(labels)
        people = next(a for a in library.albums() if a.relpath == "people")
        assert f"people  {people.image_count}" in labels
        assert len(grid(app).ids) == total
        await choose_album(pilot, "things")
        assert sorted(bound_captions(app)) == ["chelsea.png", "coffee.png", "rocket.jpg"]
        assert len(grid(app).ids) == 3 and "things" in bar(app) and "3 photos" in bar(app)
        assert all(c.picture.image is not None for c in grid(app).cells if c.image_id)
        await choose_album(pilot, "animals")
        assert bound_captions(app) == ["chelsea.png"]
        await choose_album(pilot, "All photos")
        assert len(bound_captions(app)) == min(total, len(grid(app).cells))


async def test_moving_the_cursor_shows_that_photos_details(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await choose_album(pilot, "meta")
        assert bound_captions(app) == ["flower.jpg", "iptc.jpg"]
        text = info(app)
        assert "flower.jpg" in text and "Canon PowerShot S40" in text
        assert "2003-12-14 12:01:44" in text and "Tags" not in text
        await pilot.press("right")
        text = info(app)
        assert text.startswith("iptc.jpg") and "Nokia" in text and "2006-07-08 21:14:45" in text
        assert "Budapest  metadata" in text and "holiday  metadata" in text
        record = library.image(grid(app).current)
        assert f"{record.size:,} bytes" in text and f"{record.width}x{record.height}" in text
        await pilot.press("left")
        assert info(app).startswith("flower.jpg") and "2 / 2" not in bar(app)
        assert "1 / 2 photos" in bar(app)


async def test_text_filter_then_clear(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        total = len(grid(app).ids)
        await pilot.press("slash")
        assert isinstance(app.screen, AlbumFilterPrompt)
        await pilot.press(*"ROCK", "enter")
        await pilot.pause()
        assert bound_captions(app) == ["rocket.jpg"] and len(grid(app).ids) == 1
        assert "Text: ROCK" in bar(app) and info(app).startswith("rocket.jpg")
        assert "things  1" in [s.strip() for s in app.query_one(AlbumTree).labels()]
        await pilot.press("slash", "escape")          # cancelling keeps the filter
        assert len(grid(app).ids) == 1
        await pilot.press("slash", *"-no-such-photo", "enter")
        await pilot.pause()
        assert grid(app).ids == [] and bound_captions(app) == []
        assert "0 photos" in bar(app) and info(app) == "No photo selected."
        await pilot.press("x")
        await pilot.pause()
        assert len(grid(app).ids) == total and "Text" not in bar(app)


async def test_tag_filter_from_metadata_keywords(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, AlbumFilterPrompt)
        await pilot.press(*"budap", "enter")
        await pilot.pause()
        assert bound_captions(app) == ["iptc.jpg"] and "Tag: Budapest" in bar(app)
        await pilot.press("x")
        await pilot.pause()
        assert len(grid(app).ids) == len(library.images(status="ok"))


async def test_person_filter_after_naming_a_detected_face(library):
    result = library.start("faces.detect").wait(300)
    assert result is not None and result.state == "done", result
    face = next(f for f in library.faces.find() if "multi_face" in f.image_path)
    library.faces.name([face.id], "Ada")
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, AlbumFilterPrompt)
        await pilot.press("enter")                    # the only person: Ada
        await pilot.pause()
        assert bound_captions(app) == ["multi_face.jpg"] and "Person: Ada" in bar(app)
        text = info(app)
        assert "Faces" in text and "Ada  confirmed" in text
        others = len(library.faces.find(image_id=face.image_id)) - 1
        assert text.count("unknown  no suggestion") + text.count("suggested") == others


async def test_auto_tags_are_shown_as_such_and_filterable(library):
    result = library.start("tags.auto", {"classes": "Animals, Food & drink"}).wait(300)
    assert result is not None and result.state == "done", result
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AlbumFilterPrompt)
        await pilot.press(*"cat", "enter")
        await pilot.pause()
        assert bound_captions(app) == ["chelsea.png"] and "Auto tag: Animals/Cat" in bar(app)
        line = next(row for row in info(app).splitlines() if "Animals/Cat" in row)
        assert "auto" in line and "%" in line
        cell = app.query_one(PhotoInfo).render_details(
            library.browse.details(grid(app).current))
        styled = [span for span in cell.spans if "italic" in str(span.style)]
        assert styled, "an auto tag is drawn in its own style"


async def test_a_pick_label_set_by_hand_shows_and_filters(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        chosen = grid(app).current
        await pilot.press("m")
        assert isinstance(app.screen, AlbumFilterPrompt)
        await pilot.press(*"accep", "enter")
        await pilot.pause()
        assert "Pick     accepted (by you)" in info(app)
        await pilot.press("f", *"accep", "enter")
        await pilot.pause()
        assert grid(app).ids == [chosen] and "Pick: accepted" in bar(app)
    assert library.browse.pick_counts()["accepted"] == 1


async def test_enter_opens_a_large_preview_and_escape_closes_it(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = grid(app).current
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PhotoPreview)
        picture = app.screen.query_one("#preview-image")
        thumb = PILImage.open(io.BytesIO(library.thumbnail(first)))
        assert picture.image is not None and picture.image.size == thumb.size  # never the original
        # drawn as large as the terminal allows: it fills the height or the width
        assert picture.size.height >= SIZE[1] - 4 or picture.size.width >= SIZE[0] - 4
        assert library.image(first).path in str(app.screen.query_one("#preview-caption").render())
        await pilot.press("right")
        second = app.screen.image_id
        assert second != first
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PhotoPreview)
        assert grid(app).current == second and grid(app).has_focus


async def test_help_lists_the_albums_keys(library):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for words in ("Preview", "Filter by name/path", "Filter by tag", "Filter by person",
                      "Clear filters", "Tree / grid", "Page down", "Last photo", "Row down"):
            assert words in text, words


async def test_counts_refresh_when_a_scan_finishes(library, photo_tree, objects_set):
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        labels = lambda: [s.strip() for s in app.query_one(AlbumTree).labels()]  # noqa: E731
        assert "things  3" in labels()
        shutil.copy2(objects_set["skimage/astronaut.png"], photo_tree / "things" / "a.png")
        library.scan().wait(60)
        await until(lambda: "things  4" in labels())
        assert len(grid(app).ids) == len(library.images(status="ok"))


async def test_grid_on_2500_photos_keeps_a_fixed_pool_and_end_is_quick(library):
    add_synthetic_images(library, 2500)
    app = TermkamApp(library, image_protocol="halfcell")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        g = grid(app)
        total = len(g.ids)
        assert total > 2500
        pool = len(list(app.query(ThumbCell)))
        assert pool == g.columns * g.rows
        # bounded by the viewport: every cell is at least CELL_WIDTH x CELL_HEIGHT
        assert pool <= (g.content_size.width // 16) * (g.content_size.height // 9)
        widgets = len(list(app.query("*")))
        start = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        await until(lambda: not g.pictures_pending)
        elapsed = time.perf_counter() - start
        assert g.cursor == total - 1 and g.current == g.ids[-1]
        assert elapsed < 3.0, elapsed     # ~0.5 s on a busy 2-core machine
        last = library.image(g.ids[-1])
        assert info(app).startswith(last.name) and f"{total:,} / {total:,}" in bar(app)
        bound = [c for c in g.cells if c.image_id is not None]
        assert bound[-1].image_id == g.ids[-1] and all(c.picture.image for c in bound)
        for key in ("pageup", "pageup", "up", "left", "home"):
            await pilot.press(key)
        await pilot.pause()
        assert g.cursor == 0
        assert len(list(app.query(ThumbCell))) == pool
        assert len(list(app.query("*"))) == widgets
        # a held-down pagedown (30 repeats/s): captions follow every key, pictures are drawn
        # when the keys stop, not once per page
        held = await held_key(app, pilot, g, "pagedown", 20)
        assert held["held_pages_moved"] == 20 and held["held_rebinds"] == 20
        assert held["held_picture_draws"] <= 10 and not g.pictures_pending
        assert [c.image_id for c in g.cells] == g.visible_ids()
        await pilot.resize_terminal(160, 50)         # a bigger terminal: a bigger pool
        await until(lambda: len(g.cells) > pool and not g.pictures_pending
                     and [c.image_id for c in g.cells] == g.visible_ids())
        assert len(g.cells) == g.columns * g.rows
        assert len(g.cells) <= (g.content_size.width // 16) * (g.content_size.height // 9)
        assert [c.image_id for c in g.cells] == g.visible_ids()
        assert g.current in g.visible_ids()


def test_thumb_cache_decodes_lazily_once_and_stays_in_its_budget(library):
    from tui.widgets.thumb_cache import ThumbCache

    fetched: list[list[int]] = []

    def fetch(ids):
        fetched.append(list(ids))
        return library.browse.thumbnails(ids)

    ids = library.browse.ids()
    cache = ThumbCache(fetch, max_bytes=3 * 256 * 256 * 3)
    first = cache.get_many(ids[:2])
    assert all(im is not None and max(im.size) <= 256 for im in first.values())
    assert cache.get_many(ids[:2]) == first and fetched == [ids[:2]]   # cached: no query
    cache.get_many(ids[2:6])
    assert cache.bytes <= cache.max_bytes or len(cache) == 4
    assert ids[0] not in cache._images                                 # least recent dropped
    assert cache.get(10**9) is None and cache.decoded == 6
