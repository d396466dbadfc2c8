"""First steps: an empty library (no collection yet, or folders without photos) says what to do
and offers "Add folder", a path typed with Tab completion of folder names, whose scan fills the
Albums pane with progress; the demo's tools run as jobs in the TUI, so People has clusters."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets._footer import FooterKey

from engine import samples
from engine.events import Progress
from tests.helpers import scanned, until
from tui.app import TermkamApp
from tui.cli import demo_cmd
from tui.cli.jobs_cmd import AFTER_SCAN
from tui.panes.albums import AlbumsPane
from tui.widgets.add_folder import AddFolderDialog
from tui.widgets.first_steps import FirstSteps
from tui.widgets.folder_input import complete
from tui.widgets.thumb_grid import ThumbGrid

KEY_NAMES = {"/": "slash", ".": "full_stop", "-": "minus", "_": "underscore", " ": "space"}


def type_ahead(app: TermkamApp, *keys: str) -> None:
    """Keys as a fast typist (or tmux send-keys) sends them: none waits for the one before.
    Single characters are typed as such; longer names are keys (enter, tab ...)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(KEY_NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, " " if key == "space" else None))


def steps_text(app: TermkamApp) -> str:
    return str(app.query_one("#first-steps-text").render())


def footer_keys(app: TermkamApp) -> set[str]:
    return {k.key for k in app.query(FooterKey)}


def test_tab_completes_folder_names_as_far_as_they_agree(tmp_path: Path):
    for name in ("Pictures", "Photos 2024", "Photos 2025", ".hidden", "notes.txt"):
        (tmp_path / name).mkdir() if "." not in name[1:] else (tmp_path / name).touch()
    base = f"{tmp_path}/"
    assert complete(base + "Pi") == base + "Pictures/"
    assert complete(base + "Ph") == base + "Photos 202"
    assert complete(base + "x") == base + "x"
    assert complete(base + ".h") == base + ".hidden/"       # hidden only when asked for
    assert complete(base + "no") == base + "no"             # files are not folders


async def test_an_empty_library_adds_a_folder_typed_ahead_and_scans_it(engine, photo_tree):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)):
        pane = app.query_one(AlbumsPane)
        await until(lambda: pane.empty and app.query_one(FirstSteps).has_focus)
        assert "Your library is empty" in steps_text(app)
        assert not app.query_one("#albums-main").display
        await until(lambda: "plus" in footer_keys(app))
        assert not {"i", "b", "slash"} & footer_keys(app)     # only what works here
        # Enter, a folder with a Tab completion, the tools unchecked (down, space, up), Enter:
        # typed before the dialog has even opened
        type_ahead(app, "enter", *f"{photo_tree.parent}/pho", "tab", "down", "space", "up",
                   "enter")
        await until(lambda: not pane.empty, timeout=60)
        grid = app.query_one(ThumbGrid)
        await until(lambda: len(grid.ids) == len(engine.images(status="ok")) > 0)
        assert [c.path for c in engine.collections()] == [str(photo_tree)]
        job = engine.jobs(1)[0]
        assert job.kind == "scan" and job.state == "done" and not job.options.get("then")
        assert app.query_one(FirstSteps).status.startswith("Scan done")
        await until(lambda: grid.has_focus and "i" in footer_keys(app))


async def test_not_a_folder_is_said_in_the_dialog_and_escape_adds_nothing(engine, tmp_path):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: app.query_one(AlbumsPane).empty)
        await pilot.press("plus")
        await until(lambda: isinstance(app.screen, AddFolderDialog))
        assert "in ~/:" in str(app.screen.query_one("#folder-matches").render())
        type_ahead(app, *f"{tmp_path}/nowhere", "enter")
        await until(lambda: "not a folder" in str(app.screen.query_one("#folder-matches")
                                                  .render()))
        matches = app.screen.query_one("#folder-matches")
        assert "not a folder" in str(matches.render()) and matches.has_class("-error")
        assert isinstance(app.screen, AddFolderDialog)
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, AddFolderDialog))
        assert engine.collections() == [] and engine.jobs() == []


async def test_a_folder_without_photos_runs_the_tools_and_says_so(engine, tmp_path):
    empty = tmp_path / "Nothing here"
    empty.mkdir()
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(AlbumsPane)
        await until(lambda: pane.empty)
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, AddFolderDialog))
        type_ahead(app, *str(empty), "enter")                # the tools stay checked
        await until(lambda: len(engine.jobs()) == 1 + len(AFTER_SCAN)
                    and not engine.active_jobs(), timeout=120)
        assert [j.kind for j in reversed(engine.jobs())] == ["scan", *AFTER_SCAN]
        assert {j.state for j in engine.jobs()} == {"done"}
        await until(lambda: "No photos yet" in steps_text(app) and str(empty) in steps_text(app))
        assert pane.empty


async def test_first_steps_show_a_scans_progress(engine, tmp_path):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(AlbumsPane)
        await until(lambda: pane.empty)
        pane.engine_event(Progress(1, "scan", "reading", 120, 480, 0, 35.5, 10.0))
        await pilot.pause()
        steps = app.query_one(FirstSteps)
        assert steps.status == "Scanning: reading 120/480 photos, 35.5 photos/s"
        bar = steps.query_one("#first-steps-bar")
        assert bar.display and bar.total == 480 and bar.progress == 120


async def test_the_demo_runs_its_tools_in_the_tui_and_people_shows_clusters(engine, tmp_path):
    """What `make run` does on a fresh machine, but for the terminal: the demo collection,
    scanned, opened, its tools started as jobs; People then shows clusters to name."""
    photos = samples.make_demo_collection(tmp_path / "demo")
    scanned(engine, photos)
    assert demo_cmd.tools_pending(engine)
    app = TermkamApp(engine, image_protocol="halfcell")
    app.call_later(demo_cmd.start_in_tui, app)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(lambda: engine.active_jobs(), timeout=30)
        await until(lambda: not engine.active_jobs(), timeout=600)
        assert {j.kind: j.state for j in engine.jobs()} == {
            "scan": "done", **dict.fromkeys(AFTER_SCAN, "done")}
        assert len(engine.faces.clusters()) >= 4           # 6 ORL people, 5 photos each
        assert not demo_cmd.tools_pending(engine)
        await pilot.press("3")
        await until(lambda: "cluster 1" in app.export_screenshot().replace("&#160;", " "))
