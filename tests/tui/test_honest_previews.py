"""The Settings pane shows what a looser threshold costs: the recognition line estimates the
wrong names strangers would get, the cluster line the clusters that would mix people, both
as the engine computes them (tests/engine/test_honest_previews.py checks the numbers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.engine import Engine
from tests.tui.settings_pilot import entered, settle
from tui.app import TermkamApp
from tui.panes.settings import SettingsPane


@pytest.fixture
def eng(people_copy) -> Iterator[Engine]:
    with Engine(people_copy) as engine:
        yield engine


async def test_recognition_line_shows_wrong_names_for_strangers(eng):
    app = TermkamApp(eng, image_protocol="halfcell")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.query_one(SettingsPane)
        shown = {}
        for text in ("0.3", "1.0"):
            line = await entered(app, pilot, "recognition_distance", text)
            rec = pane.previews["recognition"]
            assert rec == eng.tuning.recognition_preview(float(text))
            est = rec.strangers
            assert (f"strangers: {est.named} of {est.faces} faces ({100 * est.share:.0f} %) "
                    f"would get a wrong name ({est.persons} people held out in turn; with so "
                    "few, likely too low)") in line
            assert f"{rec.clusters_named} of {rec.in_clusters} in unknown clusters" in line
            shown[text] = rec
        assert shown["0.3"].strangers.named == 0 and shown["1.0"].strangers.share == 1.0
        assert shown["0.3"].clusters_named < shown["1.0"].clusters_named


async def test_cluster_line_shows_clusters_that_mix_people(eng):
    app = TermkamApp(eng, image_protocol="halfcell")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.query_one(SettingsPane)
        for text, mixed in (("0.25", 0), ("0.9", 1)):
            line = await entered(app, pilot, "cluster_eps", text)
            purity = pane.previews["cluster"].purity
            assert purity == eng.tuning.cluster_preview(float(text), 3).purity
            assert purity.mixed == mixed
            assert (f"your {purity.faces} confirmed faces, clustered alike: {mixed} of "
                    f"{purity.clusters} clusters would mix people") in line
