"""The footer, with the keys a user must always find (``?`` and ``q``) kept in view on the
right: on a narrow terminal the pane's own keys are cut first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ESSENTIAL = ("help", "quit")  # actions, in the order shown


class AppFooter(Footer):
    """A Textual footer whose essential keys sit docked on its right edge."""

    DEFAULT_CSS = """
    AppFooter #footer-essential { dock: right; width: auto; height: 1;
        background: $footer-background; }
    AppFooter #footer-essential FooterKey.-command-palette { dock: none; border-left: none; }
    """

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        essential = [k for k in keys if isinstance(k, FooterKey) and _action(k) in ESSENTIAL]
        essential.sort(key=lambda k: ESSENTIAL.index(_action(k)))
        palette = [k for k in keys if k.has_class("-command-palette")]
        yield from (k for k in keys if k not in essential and k not in palette)
        if essential:
            with HorizontalGroup(id="footer-essential"):
                yield from essential + palette
        else:
            yield from palette


def _action(key: FooterKey) -> str:
    """The action's name without its namespace (``app.quit`` -> ``quit``)."""
    return key.action.rsplit(".", 1)[-1]
