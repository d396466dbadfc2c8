"""The first TUI screen, driven by a Pilot on a real scanned library."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tests.helpers import until
from tui.app import TermkamApp


async def test_overview_shows_counts_and_rescan_updates_them(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    count = len(engine.images())
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        text = str(app.query_one("#counts", Static).render())
        assert f"Images  {count}" in text and str(photo_tree) in text
        (photo_tree / "things" / "rocket.jpg").unlink()
        await pilot.press("s")
        await until(lambda: "1 missing" in str(app.query_one("#counts", Static).render()))
        jobs = app.query_one("#jobs", DataTable)
        newest = jobs.get_row_at(0)
        assert newest[1] == "scan" and str(newest[2]) == "done"
        await pilot.press("q")
    assert not app.is_running


async def test_panes_switch_by_key_and_help_lists_the_pane_keys(engine):
    from textual.widgets import TabbedContent

    from tui.help import HelpScreen

    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        for key, pane in (("2", "maintenance"), ("3", "people"), ("4", "settings"),
                          ("1", "albums")):
            await pilot.press(key)
            assert app.query_one(TabbedContent).active == pane
        await pilot.press("2", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "Rescan collections" in text and "Quit" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_empty_library_explains_what_to_do(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        assert "(none yet)" in str(app.query_one("#counts", Static).render())
        await pilot.press("s")
        await pilot.pause()
        assert any("termkam scan" in n.message for n in app._notifications)
