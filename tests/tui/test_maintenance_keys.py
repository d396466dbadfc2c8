"""The Maintenance pane by keyboard and at every size: the cursor starts on the tools, arrows
and Space work (typed ahead too), every mode is explained, checked boxes look checked without
colour, the footer keeps `?` and `q`, a narrow jobs table has a detail line, jobs say
"loading models" and name their unit, and quitting during a job asks first."""

from __future__ import annotations

import asyncio
import shutil
import threading

from textual import events
from textual.widgets import RadioSet
from textual.widgets._footer import FooterKey

from engine.events import JobFinished
from engine.jobs import LOADING
from models.base import InferenceModel
from tests.helpers import scanned, until
from tests.tui.test_maintenance import finish, row, settle
from tui.app import TermkamApp
from tui.widgets.album_picker import AlbumPicker
from tui.widgets.choice_cycle import ChoiceCycle
from tui.widgets.job_detail import JobDetail
from tui.widgets.job_table import JobTable
from tui.widgets.quit_dialog import QuitDialog
from tui.widgets.tool_list import ToolList


def type_ahead(app: TermkamApp, *keys: str) -> None:
    """Queue key presses as a fast typist (or tmux send-keys) does: none waits for the one
    before it to be handled."""
    for key in keys:
        app.post_message(events.Key(key, " " if key == "space" else key if len(key) == 1
                                    else None))


def text(widget) -> str:
    return str(widget.render())


async def test_opens_on_the_tools_and_keys_typed_ahead_check_and_choose(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        type_ahead(app, "2", "down", "down", "space", "right", "down", "space")
        tools = app.query_one(ToolList)
        await until(lambda: len(tools.plan()) == 2, timeout=5)
        await pilot.pause()
        assert tools.plan() == [("faces.detect", {"mode": "merge"}), ("faces.recognize", {})]
        assert app.focused is app.query_one("#tool-faces-recognize")
        await pilot.press("up")
        detect = next(k for k in engine.job_kinds() if k.kind == "faces.detect")
        assert tools.explanation() == f"merge: {detect.explanation('merge')}"
        await pilot.press("left", "left")                      # round the end: clear
        assert tools.plan()[0] == ("faces.detect", {"mode": "clear"})
        assert tools.explanation() == f"clear: {detect.explanation('clear')}"


async def test_every_option_value_is_explained_beside_its_tool(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        tools = app.query_one(ToolList)
        shown: dict[str, str] = {}
        for _ in range(len(tools.query(".tool-row"))):
            choice = next(iter(app.focused.parent.query(ChoiceCycle)), None)
            for _ in choice.choices if choice else ():
                shown[choice.value] = tools.explanation()
                await pilot.press("right")
            await pilot.press("down")
    expected = {value: f"{value}: {kind.explanation(value)}" for kind in engine.job_kinds()
                for values in kind.choices.values() for value in values}
    assert shown == expected
    assert all(kind.explanation(value) for kind in engine.job_kinds()
               for values in kind.choices.values() for value in values)


async def test_checked_and_unchecked_differ_without_colour(engine, photo_tree):
    scanned(engine, photo_tree)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        scan = app.query_one("#tool-scan")
        assert text(scan).startswith("[ ] Scan")
        await pilot.press("space")
        assert text(scan).startswith("[x] Scan")
        assert text(app.query_one("#scope-all")).startswith("(•) Whole")
        assert text(app.query_one("#scope-albums")).startswith("( ) Chosen")
        await pilot.press("tab", "right", "enter")             # the scope: chosen albums
        assert text(app.query_one("#scope-albums")).startswith("(•) Chosen")
        picker = app.query_one(AlbumPicker)
        assert picker.display and picker.option_count == len(engine.albums())
        await pilot.press("tab", "space")                      # choose the first album
        await pilot.pause()
        lines = [picker.render_line(y).text for y in range(picker.option_count)]
        assert lines[0].startswith("[x] ") and all(line.startswith("[ ] ") for line in lines[1:])


async def test_tab_leaves_the_tool_list_and_comes_back_to_the_same_tool(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "down", "down", "tab")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("shift+tab")
        assert app.focused is app.query_one("#tool-faces-detect")


async def test_the_footer_keeps_help_and_quit_in_view_at_80_columns(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        for pane in "1234":
            await pilot.press(pane)
            await pilot.pause()
            keys = {key.action.rsplit(".", 1)[-1]: key for key in app.query(FooterKey)}
            for action in ("help", "quit"):
                key = keys[action]
                x, y = key.region.x + key.region.width // 2, key.region.y
                assert 0 < key.region.right <= 80, (pane, action, key.region)
                assert app.screen.get_widget_at(x, y)[0] is key, (pane, action)
            assert sum(key.region.width for key in keys.values()) > 80   # others were cut


async def test_a_narrow_jobs_table_shows_the_result_on_a_detail_line(engine, photo_tree):
    job = scanned(engine, photo_tree).jobs(1)[0]
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        detail = app.query_one(JobDetail)
        assert detail.display
        said = text(detail)
        assert said.startswith(f"#{job.id} scan done, ") and said.endswith(f": {job.message}")
        assert " photos/s: " in said                          # the cut Rate column, whole
        await pilot.resize_terminal(220, 50)
        await until(lambda: not detail.display, timeout=5)
        assert job.message in row(app.query_one(JobTable), job.id)[-1]
        await pilot.resize_terminal(100, 30)
        await until(lambda: detail.display, timeout=5)


async def test_jobs_show_loading_models_and_count_in_their_own_unit(engine, photo_tree,
                                                                    monkeypatch):
    scanned(engine, photo_tree / "people")
    loaded = threading.Event()  # a cold start: the weights load when the test has looked
    load = InferenceModel.load
    monkeypatch.setattr(InferenceModel, "load", lambda model: (loaded.wait(60), load(model)))
    ends: dict[str, str] = {}
    engine.subscribe(lambda e: ends.update({e.kind: e.unit}) if isinstance(e, JobFinished)
                     else None)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("down", "down", "space", "down", "space", "r")
        await settle(app, pilot)
        recognise, detect = engine.jobs(2)
        assert (detect.kind, recognise.kind) == ("faces.detect", "faces.recognize")
        table = app.query_one(JobTable)
        await until(lambda: str(detect.id) in table.rows
                    and row(table, detect.id)[3].startswith(LOADING), timeout=10)
        assert row(table, detect.id)[4] == f"0/{len(engine.images())}"   # the total is known
        assert LOADING in text(app.query_one("#job-status"))
        loaded.set()
        for job in (detect, recognise):
            await finish(app, pilot, engine, job.id)
        assert row(table, detect.id)[5].endswith(" photos/s")
        assert row(table, recognise.id)[5].endswith(" faces/s")
    assert ends == {"faces.detect": "photos", "faces.recognize": "faces"}


async def test_quit_during_a_job_asks_and_cancels_only_when_told(engine, photo_tree):
    for copy in range(12):  # enough work that the keys land mid-job on a loaded machine
        shutil.copytree(photo_tree / "people", photo_tree / f"people{copy}")
    scanned(engine, photo_tree)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        handle = engine.start("faces.detect", {"mode": "clear", "batch_size": 1})
        await pilot.press("q")
        assert isinstance(app.screen, QuitDialog)
        assert f"#{handle.job_id} faces.detect" in text(app.screen.query_one("#quit-jobs"))
        assert "termkam jobs resume" in text(app.screen.query_one("#quit-hint"))
        await pilot.press("n")
        assert not isinstance(app.screen, QuitDialog) and app.is_running
        assert not handle.finished
        await pilot.press("q", "y")
        result = await asyncio.to_thread(handle.wait, 60)
        await until(lambda: not app.is_running, timeout=10)
    assert result is not None and result.state == "cancelled" and result.done < result.total
    assert engine.job(handle.job_id).state == "cancelled"
