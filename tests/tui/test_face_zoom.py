"""Larger face cards in People (z), on a real library: the cards, their pictures and the grid
grow and shrink through the sizes, and the face under the cursor stays under it."""

from __future__ import annotations

from engine.engine import Engine
from tests.helpers import until
from tests.tui.test_photo_view import to_group
from tui.app import TermkamApp
from tui.widgets.face_card import CARD_SIZES, FaceCard
from tui.widgets.face_grid import FaceGrid


async def test_z_makes_the_face_cards_larger_then_small_again(people_copy):
    with Engine(people_copy) as engine:
        app = TermkamApp(engine, image_protocol="halfcell")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await to_group(pilot, "suggestions")
            grid = app.query_one(FaceGrid)
            await until(lambda: len(grid.faces) > 3)
            await pilot.press("right", "right")
            face = grid.current
            columns = grid.columns
            sizes, layouts = [], []
            for _ in CARD_SIZES:
                card = next(c for c in app.query(FaceCard) if c.has_class("-cursor"))
                picture = card.query_one(".face-picture")
                sizes.append((tuple(card.outer_size), picture.size.width))
                layouts.append(grid.columns * grid.rows)
                assert card.face.id == face.id and grid.current.id == face.id
                await pilot.press("z")
                await pilot.pause()
            assert sizes == [((w, h), w - 2) for w, h in CARD_SIZES]
            assert layouts == sorted(layouts, reverse=True) and layouts[0] > layouts[-1]
            assert grid.columns == columns                      # back to the smallest
            card = next(c for c in app.query(FaceCard) if c.has_class("-cursor"))
            assert tuple(card.outer_size) == CARD_SIZES[0] and card.face.id == face.id
