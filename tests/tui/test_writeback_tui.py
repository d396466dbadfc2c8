"""Write-back from the TUI: a decision made with a key reaches the photo's sidecar in the
background, and the keys keep working meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.engine import Engine
from tests.exiftool import as_list, exiftool
from tests.helpers import until
from tui.app import TermkamApp
from tui.widgets.face_grid import FaceGrid


@pytest.fixture
def library(people_library, people_copy) -> Path:
    yield people_copy
    for sidecar in people_library.parent.rglob("*.xmp"):  # the photos are shared
        sidecar.unlink()


async def test_a_confirmation_in_people_is_written_to_the_sidecar_in_the_background(library):
    with Engine(library) as engine:
        engine.metadata.set_setting("write_back", "sidecar")
        app = TermkamApp(engine, image_protocol="halfcell")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await until(lambda: app.query_one(FaceGrid).faces)
            face = app.query_one(FaceGrid).current
            await pilot.press("y")
            sidecar = Path(face.image_path + ".xmp")
            await until(sidecar.exists, timeout=30)
            await pilot.press("down")                 # the grid still answers meanwhile
            assert engine.faces.get(face.id).status == "confirmed"
        row = exiftool(sidecar)[0]
    assert f"People/{face.suggested}" in as_list(row["TagsList"])
    assert face.suggested in as_list(row["RegionName"])
