"""The left list of the People pane: suggestions, persons with counts (and a face icon where
space allows), unknown faces and their clusters (largest first), ignored faces and faces
marked as not a face."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group as Lines
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.printable import printable

from .face_icon import COLUMNS as ICON_COLUMNS

if TYPE_CHECKING:   # the record types the engine facade returns
    from engine.catalog.records import ClusterRecord, PersonRecord

NAME_WIDTH = 18
ICON_SPACE = (100, 32)      # the smallest terminal (columns, lines) that shows face icons
Icon = Callable[["PersonRecord"], "list[Text] | None"]


@dataclass(frozen=True)
class Group:
    """One row of the list: which faces the grid shows, and how many there are."""

    key: str        # "suggestions", "person:<id>", "unknown", "cluster:<id>", "ignored" ...
    kind: str       # suggestions | person | unknown | cluster | ignored | not_face
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
    groups.append(Group("not_face", "not_face", "Not a face", counts.get("not_face", 0)))
    return groups


def needs_user(groups: Sequence[Group]) -> str | None:
    """The group to open on: suggestions to confirm, else the largest unknown cluster, else
    the unknown faces, else any group with faces."""
    with_faces = [g for g in groups if g.total]
    for kind in ("suggestions", "cluster", "unknown"):
        found = next((g for g in with_faces if g.kind == kind), None)
        if found is not None:
            return found.key
    return with_faces[0].key if with_faces else None


def _label(group: Group) -> Text:
    if group.person is not None:
        return Text(person_row(group.person))
    if group.kind == "cluster":
        return Text(f"  {group.label:<{NAME_WIDTH - 2}}{group.total:>4}", style="italic")
    return Text(f"{group.label:<{NAME_WIDTH}}{group.total:>4}", style="bold")


def _prompt(group: Group, icon: list[Text] | None, indent: bool) -> Text | Lines:
    label = _label(group)
    if not indent:
        return label
    lines = icon or [Text(" " * ICON_COLUMNS)]
    first = Text.assemble(lines[0], " ", label)
    return Lines(first, *(Text.assemble(line) for line in lines[1:])) if icon else first


class PersonList(OptionList):
    """Groups of faces; highlighting a row shows its faces in the grid."""

    DEFAULT_CSS = f"""
    PersonList {{ width: 34; height: 1fr; margin-right: 1; }}
    PersonList.-icons {{ width: {34 + ICON_COLUMNS + 1}; }}
    """

    @dataclass
    class Chosen(Message):
        """The highlighted group changed (or was picked with enter)."""

        group: Group
        picked: bool = False

    def __init__(self, icon: Icon = lambda person: None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.icon = icon
        self.groups: dict[str, Group] = {}

    @property
    def icons_fit(self) -> bool:
        """Whether the terminal leaves room for a face icon beside each person."""
        width, height = ICON_SPACE
        return self.app.size.width >= width and self.app.size.height >= height

    def on_resize(self) -> None:
        if self.icons_fit != self.has_class("-icons") and self.groups:
            self.show(list(self.groups.values()))

    def show(self, groups: Sequence[Group], prefer: str | None = None) -> Group | None:
        """Show these groups, keeping the highlighted row (or ``prefer``) when it still
        exists; at first the group that needs the user. Returns the highlighted group."""
        current = self.group
        keep = prefer or (current.key if current else needs_user(groups))
        old_index = self.highlighted or 0
        icons = self.icons_fit
        self.set_class(icons, "-icons")
        head = Text(f"{' ' * (ICON_COLUMNS + 1) if icons else ''}{'':<{NAME_WIDTH}}"
                    f"{'conf':>4} /{'sugg':>4}", style="dim")
        options = [Option(head, disabled=True)] + [
            Option(_prompt(g, self.icon(g.person) if icons and g.person else None, icons),
                   id=g.key) for g in groups]
        self.groups = {g.key: g for g in groups}
        if [o.id for o in self.options] == [o.id for o in options]:
            for option in options[1:]:
                assert option.id is not None
                self.replace_option_prompt(option.id, option.prompt)
            self.replace_option_prompt_at_index(0, head)
        else:
            self.set_options(options)
        keys = [g.key for g in groups]
        index = keys.index(keep) + 1 if keep in keys else min(max(1, old_index), len(options) - 1)
        if self.highlighted != index:
            self.highlighted = index
        return self.group

    def key_after(self, key: str) -> str | None:
        """The next group of the same kind after ``key`` (else the one before), to go on to
        once ``key``'s faces are all named."""
        group = self.groups.get(key)
        if group is None:
            return None
        same = [k for k, g in self.groups.items() if g.kind == group.kind]
        index = same.index(key)
        rest = same[index + 1:] + same[:index][::-1]
        return rest[0] if rest else None

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
