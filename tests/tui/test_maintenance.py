"""The Maintenance pane on a real scanned library: tools started from the pane, progress in
the jobs table, the failed-items modal, cancel, and keys answered while a job runs."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

from textual.widgets import Checkbox, DataTable, RadioButton, SelectionList

from engine.events import JobStarted, Progress
from tests.exiftool import as_list, exiftool
from tui.app import TermkamApp
from tui.widgets.job_errors import JobErrorsScreen
from tui.widgets.job_table import JobTable
from tui.widgets.tool_list import ToolList


async def settle(app, pilot) -> None:
    """Let queued messages and every worker (catalog reads, job submits) finish."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def finish(app, pilot, engine, job_id: int) -> None:
    """Wait (off the event loop) for a job to end, then for the pane to show it."""
    handle = engine.runner.get(job_id)
    assert handle is not None
    result = await asyncio.to_thread(handle.wait, 300)
    assert result is not None
    await settle(app, pilot)


def row(table: DataTable, job_id: int) -> list[str]:
    return [str(cell) for cell in table.get_row(str(job_id))]


async def test_detect_faces_in_chosen_albums_reaches_done(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    progress: list[Progress] = []
    engine.subscribe(lambda e: progress.append(e) if isinstance(e, Progress) else None)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        tools = app.query_one(ToolList)
        await pilot.click("#tool-faces-detect")
        assert app.query_one("#tool-faces-detect", Checkbox).value
        await pilot.click("#scope-albums")
        assert app.query_one("#scope-albums", RadioButton).value
        people = next(a for a in engine.albums() if a.relpath == "people")
        app.query_one("#scope-album-list", SelectionList).select(people.id)
        assert tools.plan() == [("faces.detect", {"mode": "new", "albums": [people.id]})]
        await pilot.click("#tools-start")
        await settle(app, pilot)
        job = engine.jobs(1)[0]
        assert job.kind == "faces.detect" and job.options["albums"] == [people.id]
        await finish(app, pilot, engine, job.id)
        cells = row(app.query_one(JobTable), job.id)
        total = len([i for i in engine.images(album_id=people.id) if i.status == "ok"])
        assert cells[1:3] == ["faces.detect", "done"]
        assert "100%" in cells[3] and cells[4] == f"{total}/{total}" and cells[7] == "0"
        assert any(p.job_id == job.id and p.done > 0 for p in progress)
        faces = engine.faces.find()
        assert faces and {f.image_path.split("/")[-2] for f in faces} == {"people"}
        assert "Faces" in str(app.query_one("#counts").render())


async def test_failed_items_modal_lists_the_reason(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    (photo_tree / "things" / "broken.jpg").write_bytes(b"")
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        app.query_one(ToolList).check("scan")
        await pilot.press("r")
        await settle(app, pilot)
        job = engine.jobs(1)[0]
        assert job.kind == "scan"
        await finish(app, pilot, engine, job.id)
        table = app.query_one(JobTable)
        assert table.selected_job() == job.id and row(table, job.id)[7] == "1"
        await pilot.press("e")
        assert isinstance(app.screen, JobErrorsScreen)
        errors = app.screen.query_one("#errors-table", DataTable)
        path, reason = (str(c) for c in errors.get_row_at(0))
        assert path.endswith("things/broken.jpg") and reason == "empty file"
        assert errors.row_count == 1
        await pilot.press("escape")
        assert not isinstance(app.screen, JobErrorsScreen)


async def test_cancel_a_running_job_and_keys_stay_responsive(engine, photo_tree):
    # enough photos that the job is surely still running when cancelled, on a quiet machine
    # too (the face job does ~15 of these small photos a second on 2 cores)
    for copy in range(90):
        shutil.copytree(photo_tree / "people", photo_tree / f"people{copy}")
    engine.scan([str(photo_tree)]).wait(120)
    started = threading.Event()
    engine.subscribe(lambda e: started.set() if isinstance(e, JobStarted)
                     and e.kind == "faces.detect" else None)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        tools = app.query_one(ToolList)
        tools.check("faces.detect")
        tools.set_option("faces.detect", "clear")
        table = app.query_one(JobTable)
        table.focus()
        await pilot.press("r")
        await settle(app, pilot)
        job = engine.jobs(1)[0]
        assert await asyncio.to_thread(started.wait, 60)
        # while the models run, keys in the pane are handled at once: time from the key
        # press to its action (the Pilot's own wait for a quiet screen is not counted)
        handled: list[float] = []
        down, up = table.action_cursor_down, table.action_cursor_up
        table.action_cursor_down = lambda: (handled.append(time.perf_counter()), down())
        table.action_cursor_up = lambda: (handled.append(time.perf_counter()), up())
        lags = []
        for key in ("down", "up") * 3:
            handled.clear()
            begin = time.perf_counter()
            await pilot.press(key)
            lags.append(handled[0] - begin)
        assert engine.runner.get(job.id) is not None
        assert max(lags) < 0.25, lags
        assert table.cursor_row == 0
        await pilot.press("c")
        assert any("Cancelling" in n.message for n in app._notifications)
        await finish(app, pilot, engine, job.id)
        record = engine.job(job.id)
        assert record.state == "cancelled" and record.done < record.total
        cells = row(app.query_one(JobTable), job.id)
        assert cells[2] == "cancelled"


async def test_start_with_nothing_checked_says_so(engine, tmp_path: Path):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("r")
        assert any("Check a tool" in n.message for n in app._notifications)
        assert engine.jobs(1) == []


async def test_auto_tags_and_quality_sorter_run_from_the_pane(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        tools = app.query_one(ToolList)
        await pilot.click("#tool-tags-auto")
        await pilot.click("#tool-quality-sort")
        tools.set_option("tags.auto", "replace")
        await pilot.pause()
        assert tools.plan() == [("tags.auto", {"mode": "replace"}),
                                ("quality.sort", {"mode": "unscored"})]
        await pilot.press("r")
        await settle(app, pilot)
        tagged, scored = engine.jobs(2)[1], engine.jobs(2)[0]
        assert (tagged.kind, scored.kind) == ("tags.auto", "quality.sort")
        for job in (tagged, scored):
            await finish(app, pilot, engine, job.id)
        table = app.query_one(JobTable)
        assert "done" in row(table, scored.id) and "done" in row(table, tagged.id)
    tags = {r.path.rsplit("/", 1)[1]: {"/".join(t.path) for t in ts}
            for r, ts in engine.tags.tagged_images("auto")}
    assert "Animals/Cat" in tags["chelsea.png"]
    assert len(engine.quality.rows()) == len(engine.images())


async def test_write_metadata_to_files_runs_from_the_pane_with_both_options(engine, photo_tree):
    engine.scan([str(photo_tree)]).wait(60)
    cat = engine.find_image(str(photo_tree / "things" / "animals" / "chelsea.png"))
    engine.tags.add(cat.id, ["Pets", "Chelsea"])
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        tools = app.query_one(ToolList)
        await pilot.click("#tool-metadata-write")
        tools.set_option("metadata.write", "all")
        tools.set_option("metadata.write", "file", name="to")
        await pilot.pause()
        assert tools.plan() == [("metadata.write", {"mode": "all", "to": "file"})]
        await pilot.press("r")
        await settle(app, pilot)
        await finish(app, pilot, engine, engine.jobs(1)[0].id)
        assert "done" in row(app.query_one(JobTable), engine.jobs(1)[0].id)
    assert "Pets/Chelsea" in as_list(exiftool(cat.path)[0]["TagsList"])
    assert not list(photo_tree.rglob("*.xmp"))         # into the files, as chosen
