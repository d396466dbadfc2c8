"""The left list of the People pane: suggestions, persons with counts, unknown faces and
their clusters (largest first), ignored faces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.printable import printable

if TYPE_CHECKING:   # the record types the engine facade returns
    from engine.catalog.records import ClusterRecord, PersonRecord

NAME_WIDTH = 18


@dataclass(frozen=True)
class Group:
    """One row of the list: which faces the grid shows, and how many there are."""

    key: str                      # "suggestions", "person:<id>", "unknown", "cluster:<id>" ...
    kind: str                     # suggestions | person | unknown | cluster | ignored
    label: str
    total: int
    person: PersonRecord | None = None
    cluster_id: int | None = None


def person_row(person: PersonRecord) -> str:
    """A person's row: name, confirmed / suggested faces."""
    name = printable(person.name)[:NAME_WIDTH]
    return f"{name:<{NAME_WIDTH}}{person.confirmed:>4} /{person.suggested:>3}"


def build_groups(persons: Sequence[PersonRecord], clusters: Sequence[ClusterRecord],
                 counts: dict[str, int]) -> list[Group]:
    """Every group in list order, with its face count."""
    suggested = sum(p.suggested for p in persons)
    unknown = max(0, counts.get("unconfirmed", 0) - suggested)
    groups = [Group("suggestions", "suggestions", "Suggestions", suggested)]
    groups += [Group(f"person:{p.id}", "person", p.name, p.confirmed + p.suggested, person=p)
               for p in persons]
    groups.append(Group("unknown", "unknown", "Unknown", unknown))
    groups += [Group(f"cluster:{c.id}", "cluster", f"cluster {c.id}", c.size, cluster_id=c.id)
               for c in clusters]
    groups.append(Group("ignored", "ignored", "Ignored", counts.get("ignored", 0)))
    return groups


def _prompt(group: Group) -> Text:
    if group.person is not None:
        return Text(person_row(group.person))
    if group.kind == "cluster":
        return Text(f"  {group.label:<{NAME_WIDTH - 2}}{group.total:>4}", style="italic")
    return Text(f"{group.label:<{NAME_WIDTH}}{group.total:>4}", style="bold")


class PersonList(OptionList):
    """Groups of faces; highlighting a row shows its faces in the grid."""

    DEFAULT_CSS = """
    PersonList { width: 34; height: 1fr; margin-right: 1; }
    """

    @dataclass
    class Chosen(Message):
        """The highlighted group changed (or was picked with enter)."""

        group: Group
        picked: bool = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.groups: dict[str, Group] = {}

    def show(self, groups: Sequence[Group], prefer: str | None = None) -> Group | None:
        """Show these groups, keeping the highlighted row (or ``prefer``) when it still
        exists; returns the group highlighted afterwards."""
        current = self.group
        first = next((g.key for g in groups if g.total), None)    # at start: a group with faces
        keep = prefer or (current.key if current else first)
        old_index = self.highlighted or 0
        head = Option(Text(f"{'':<{NAME_WIDTH}}{'conf':>4} /{'sugg':>4}", style="dim"),
                      disabled=True)
        options = [head] + [Option(_prompt(g), id=g.key) for g in groups]
        self.groups = {g.key: g for g in groups}
        if [o.id for o in self.options] == [o.id for o in options]:
            for option in options[1:]:
                assert option.id is not None
                self.replace_option_prompt(option.id, option.prompt)
        else:
            self.set_options(options)
        keys = [g.key for g in groups]
        index = keys.index(keep) + 1 if keep in keys else min(max(1, old_index), len(options) - 1)
        if self.highlighted != index:
            self.highlighted = index
        return self.group

    @property
    def group(self) -> Group | None:
        """The highlighted group."""
        if self.highlighted is None or not self.groups:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.groups.get(option.id or "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id in self.groups:
            self.post_message(self.Chosen(self.groups[event.option.id]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.groups:
            self.post_message(self.Chosen(self.groups[event.option.id], picked=True))
