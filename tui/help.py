"""The `?` screen: every key of the current pane and of the app, and how to move between
fields."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

MOVING = [
    ("Tab / Shift+Tab", "next / previous field, list or button"),
    ("Enter", "save the value typed; press a button; open a choice; on a highlighted line: "
              "back into its field"),
    ("Space", "press a button; open a choice; tick or untick a box"),
    ("Escape", "leave the field being typed in (its saved value comes back) and highlight "
               "its line; close a choice or a dialog"),
    ("↑ / ↓", "move in a list; on a highlighted line: the line above / below"),
    ("1-4, q, ?", "work everywhere except while typing in a field, where they are text: "
                  "press Escape first"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, title: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.title_text, self.sections = title, sections

    def compose(self) -> ComposeResult:
        lines = [f"[b]{self.title_text}[/b]"]
        for name, keys in [*self.sections, ("Moving around", MOVING)]:
            if keys:
                lines.append(f"\n[b]{name}[/b]")
                lines += [f"  [reverse] {escape(key)} [/reverse]  {escape(text)}"
                          for key, text in keys]
        lines.append("\n[dim]escape to close[/dim]")
        with VerticalScroll():
            yield Static("\n".join(lines), id="help-text")


KEY_NAMES = {"up": "↑", "down": "↓", "left": "←", "right": "→", "space": "Space",
             "enter": "Enter", "escape": "Escape", "delete": "Delete", "backspace": "Backspace",
             "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End"}


def describe(bindings) -> list[tuple[str, str]]:
    """(key, description) for the bindings worth showing."""
    shown = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            key = binding.key_display or binding.key.split(",")[0]
            shown.append((KEY_NAMES.get(key, key), binding.description))
    return shown


def pane_keys(pane) -> list[tuple[str, str]]:
    """The keys of a pane and of termkam's own widgets in it (the tool list's arrows, the
    face grid's keys ...), each once."""
    found = describe(pane.BINDINGS)
    kinds = []
    for widget in pane.query("*"):
        kind = type(widget)
        if kind.__module__.startswith("tui.widgets.") and kind not in kinds:
            kinds.append(kind)
            found += describe(kind.__dict__.get("BINDINGS", ()))
    return list(dict.fromkeys(found))
