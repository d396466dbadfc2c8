"""A path input that completes folder names on Tab, as a shell does."""

from __future__ import annotations

import os

from textual import events
from textual.widgets import Input

HOME = "~/"


def folder_names(text: str) -> list[str]:
    """The sub-folders (sorted, no hidden ones unless the typed name starts with ".") of the
    folder ``text`` is in whose names start with the last part of ``text``."""
    parent, partial = os.path.split(text)
    try:
        with os.scandir(os.path.expanduser(parent) or ".") as entries:
            names = [e.name for e in entries if e.name.startswith(partial)
                     and (partial.startswith(".") or not e.name.startswith("."))
                     and e.is_dir()]
    except OSError:
        return []
    return sorted(names, key=str.lower)


def complete(text: str) -> str:
    """``text`` completed as far as the matching folder names agree (a single match gets its
    trailing "/")."""
    names = folder_names(text)
    if not names:
        return text
    parent = text[:len(text) - len(os.path.basename(text))]
    return parent + os.path.commonprefix(names) + ("/" if len(names) == 1 else "")


class FolderInput(Input):
    """Tab completes the folder name (empty: from the home folder); Down / Up go to the next /
    previous field. These keys are handled with the typed characters, in their order (a
    binding acts only once its key came back from the input, after the keys typed next), and
    keys typed after one that moved the focus on follow it there."""

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if event.key not in ("tab", "down", "up") and focused in (self, None):
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        if focused not in (self, None):
            focused.post_message(events.Key(event.key, event.character))
        elif event.key == "tab":
            completed = complete(self.value or HOME)
            if completed != self.value:
                self.value = completed
                self.cursor_position = len(completed)
        else:
            (self.screen.focus_next if event.key == "down" else self.screen.focus_previous)()
