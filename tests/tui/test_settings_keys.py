"""Keys and focus in Settings, driven by a Pilot on real libraries: Escape leaves a field and
puts its saved value back, a value is saved on Enter or on leaving the field (never on each
key), pane keys and `q` work everywhere but in a field being typed in, Escape typed fast
(sent by the terminal as Alt + key) still counts, focus is visible and on screen, `?` lists
the keys that move between fields, and benchmark results come into view and are announced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual import events
from textual.geometry import Region
from textual.widgets import Button, Input, Label, Select, Static, TabbedContent

from engine.engine import Engine
from tests.helpers import scanned, terminal_typed, until
from tui.app import TermkamApp
from tui.help import HelpScreen
from tui.panes.settings import SettingsPane
from tui.widgets.bench_panel import BenchPanel, shown
from tui.widgets.bench_table import BenchTable
from tui.widgets.field_row import FieldRow
from tui.widgets.setting_row import SettingRow


@pytest.fixture
def people(people_copy) -> Iterator[Engine]:
    with Engine(people_copy) as engine:
        yield engine


async def show_settings(app, pilot) -> SettingsPane:
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.query_one(SettingsPane)


async def into(app, pilot, name: str) -> Input:
    """Focus a threshold's field, as Tab or a click would."""
    field = app.query_one(f"#setting-{name}-input", Input)
    field.focus()
    await until(lambda: app.focused is field)
    return field


def active(app) -> str:
    return app.query_one(TabbedContent).active


async def test_escape_puts_the_saved_value_back_and_1_shows_albums(people):
    """The issue's check: change a value, Escape, `1`: Albums, and the value is the saved one
    (typing previews the value but saves nothing)."""
    saved = people.faces.settings().recognition_distance
    app = TermkamApp(people, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_settings(app, pilot)
        before = pane.previews["recognition"]
        field = await into(app, pilot, "recognition_distance")
        await pilot.press(*"0.1")
        expected = people.tuning.recognition_preview(0.1)
        await until(lambda: pane.previews["recognition"] == expected)
        assert expected.would_suggest < before.would_suggest
        assert people.faces.settings().recognition_distance == saved  # previewed, not saved
        await pilot.press("escape", "1")
        assert active(app) == "albums"
        assert field.value == str(saved)
        assert app.query_one("#setting-recognition_distance", SettingRow).value == saved
        await until(lambda: pane.previews["recognition"] == before)
        await pilot.press("4")
        await until(lambda: app.focused is app.query_one("#setting-recognition_distance"))
        await app.workers.wait_for_complete()
        assert people.faces.settings().recognition_distance == saved
        await pilot.press("q")
    assert not app.is_running


async def test_enter_or_leaving_the_field_saves_and_escape_keeps_that(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_settings(app, pilot)
        field = await into(app, pilot, "cluster_eps")
        await pilot.press(*"0.3", "enter")
        await app.workers.wait_for_complete()
        assert engine.faces.settings().cluster_eps == 0.3 and app.focused is field
        await pilot.press("4", "escape")                  # 0.34, not saved: 0.3 comes back
        assert field.value == "0.3"
        await pilot.press("enter", "end", "7", "tab")     # Enter on the line: edit it again
        await app.workers.wait_for_complete()
        assert engine.faces.settings().cluster_eps == 0.37
        assert app.focused is app.query_one("#setting-cluster_min_size-input")
        # a value that cannot be right is not saved when leaving: the saved one comes back
        await pilot.press("shift+tab", *"2", "tab")
        await until(lambda: field.value == "0.37")
        assert any("must be between" in n.message and "kept 0.37" in n.message
                   for n in app._notifications)
        await app.workers.wait_for_complete()
        assert engine.faces.settings().cluster_eps == 0.37


async def test_pane_keys_and_q_work_from_every_field_but_one_being_typed_in(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_settings(app, pilot)
        chain = [w for w in app.screen.focus_chain if pane in w.ancestors]
        assert any(isinstance(w, Input) for w in chain) and any(
            isinstance(w, (Select, Button)) for w in chain)
        keys: list[str] = []  # the app's actions, recorded: switching panes 40 times is slow
        app.action_show = lambda pane_id: keys.append(pane_id)
        app.action_quit = lambda: keys.append("quit")
        for widget in chain:
            widget.focus()
            await until(lambda w=widget: app.focused is w)
            typing = isinstance(widget, Input)
            text = widget.value if typing else None
            await pilot.press("1")
            if typing:
                assert not keys and widget.value.endswith("1"), widget
                await pilot.press("escape", "1")
                assert widget.value == text, widget          # the saved value is back
            await pilot.press("q")
            assert keys == ["albums", "quit"], widget
            keys.clear()


async def test_pane_keys_typed_fast_leave_the_focus_in_the_pane_shown(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_settings(app, pilot)
        await into(app, pilot, "cluster_eps")
        shown, show = [], app.action_show
        app.action_show = lambda pane_id: (shown.append(pane_id), show(pane_id))
        for key in ("escape", "1", "2", "3", "4"):   # all queued before the first is handled
            app.post_message(events.Key(key, None if key == "escape" else key))
        await until(lambda: shown == ["albums", "maintenance", "people", "settings"])
        await until(lambda: active(app) == "settings" and pane in app.focused.ancestors_with_self
                    and isinstance(app.focused, FieldRow))
        for _ in range(10):
            await pilot.pause()
            assert pane in app.focused.ancestors_with_self, app.focused  # nothing came late


async def test_escape_sent_with_the_next_key_by_the_terminal_still_leaves(engine):
    """Escape then `1` typed fast arrive together as Alt+1 (tmux: within 500 ms)."""
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_settings(app, pilot)
        field = await into(app, pilot, "tags_classes")  # a text field: "¡" or "q" are text
        saved = field.value
        terminal_typed(app, "Ani\x1b1")
        await until(lambda: active(app) == "albums")
        assert field.value == saved
        await pilot.press("4")
        await until(lambda: isinstance(app.focused, FieldRow))
        await pilot.press("enter", "x")
        assert field.value.endswith("x")
        terminal_typed(app, "\x1bq")
        await until(lambda: not app.is_running)


async def test_focus_is_visible_and_on_screen_at_80x24(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_settings(app, pilot)
        screen = Region(0, 0, 80, 24)
        field = app.query_one("#setting-cluster_eps-input", Input)
        label = app.query_one("#setting-cluster_eps", SettingRow).query_one(Label)
        choice = app.query_one("#setting-tags_use-input", Select).query_one("SelectCurrent")
        idle = (field.styles.background, label.styles.text_style, choice.styles.background)
        for widget in app.screen.focus_chain:
            widget.focus()
            await until(lambda w=widget: app.focused is w)
            await pilot.pause()
            assert screen.contains_region(widget.region), widget  # scrolled into view, all
        await into(app, pilot, "cluster_eps")
        assert field.styles.background != idle[0] and field.styles.text_style.bold
        assert label.styles.text_style.reverse and not idle[1].reverse
        await pilot.press("escape")
        line = app.query_one("#setting-cluster_eps", SettingRow)
        assert app.focused is line and line.styles.background.a > 0
        assert label.styles.text_style.reverse
        await pilot.press("down", "down")
        assert app.focused is app.query_one("#setting-quality_cut", SettingRow)
        assert not label.styles.text_style.reverse
        await pilot.press("tab")
        assert app.focused is app.query_one("#setting-tags_use-input", Select)
        assert choice.styles.background != idle[2]


async def test_help_lists_the_keys_that_move_between_fields(engine):
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(120, 40)) as pilot:
        await show_settings(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for key in ("Tab / Shift+Tab", "Enter", "Space", "Escape", "Benchmark"):
            assert key in text, key
        assert "saved value comes back" in text


async def test_benchmark_results_come_into_view_and_are_announced(engine, photo_tree):
    scanned(engine, photo_tree)
    app = TermkamApp(engine, image_protocol="halfcell")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_settings(app, pilot)
        panel = app.query_one(BenchPanel)
        panel.BATCHES, panel.REPEAT, panel.PHOTOS = (1,), 1, 2
        table = app.query_one(BenchTable)
        assert not shown(table)
        await pilot.press("b")
        await until(lambda: shown(table))
        await until(lambda: any(n.message.startswith("Benchmark: ") for n in app._notifications),
                    timeout=120)
        await pilot.pause()
        assert table.results and shown(table)
        note = next(n.message for n in app._notifications if n.message.startswith("Benchmark"))
        assert f"{len({r.model_id for r in table.results})} models on 2 photos" in note
