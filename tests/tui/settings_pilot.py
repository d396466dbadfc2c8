"""Driving the Settings pane in Pilot tests: show it, type a value as a user does, read the
preview line a value gives."""

from __future__ import annotations

from textual.widgets import Input, Static

from tui.panes.settings import SettingsPane


async def settle(app, pilot) -> None:
    """Let queued messages and every worker (saves, previews, installs) finish."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def show_settings(app, pilot) -> SettingsPane:
    await pilot.press("4")
    await settle(app, pilot)
    return app.query_one(SettingsPane)


async def type_value(app, pilot, name: str, text: str) -> None:
    """Type a value into a setting's input as a user would, then enter."""
    field = app.query_one(f"#setting-{name}-input", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(app, pilot)


def preview_text(app, name: str) -> str:
    return str(app.query_one(f"#setting-{name}-preview", Static).render())


async def entered(app, pilot, name: str, text: str) -> str:
    """Type and enter a value; the setting's line it then shows."""
    await type_value(app, pilot, name, text)
    return preview_text(app, name)
