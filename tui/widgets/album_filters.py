"""The line above the grid: where the photos come from, the active filters, how many match."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from engine.printable import printable

HINT = ("/ text · t tag · a auto tag · p person · f pick · r rating · c colour · m mark · "
        "x clear")


class AlbumFilterBar(Static):
    DEFAULT_CSS = """
    AlbumFilterBar { width: 1fr; height: 1; padding: 0 1; text-wrap: nowrap;
        text-overflow: ellipsis; }
    """

    def show(self, place: str, filters: Mapping[str, str], count: int,
             cursor: int | None = None) -> None:
        """``filters``: title -> value of each active filter, e.g. {"Tag": "Places/Paris"};
        ``cursor``: the index of the selected photo."""
        parts = [Content.from_markup("[b]$place[/b]", place=printable(place))]
        for title, value in filters.items():
            parts.append(Content.from_markup("  [reverse] $title: $value [/reverse]",
                                             title=title, value=printable(value)))
        noun = "photo" if count == 1 else "photos"
        where = f"{cursor + 1:,} / " if cursor is not None else ""
        parts.append(Content.from_markup("  $where$count $noun", where=where,
                                         count=f"{count:,}", noun=noun))
        if not filters:
            parts.append(Content.from_markup("   [dim]$hint[/dim]", hint=HINT))
        self.update(Content("").join(parts))

    @property
    def text(self) -> str:
        return str(self.render())
