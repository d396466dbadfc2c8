"""The People pane's decisions: each one engine call (one journaled, undoable transaction),
reported in the pane's head; those on many faces at once say what they will do first."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from engine.errors import TermkamError
from engine.printable import counted, printable

from ..widgets.confirm_dialog import ConfirmDialog
from ..widgets.decision_history import DecisionHistory
from ..widgets.face_grid import FaceGrid
from ..widgets.person_list import PersonList
from ..widgets.person_merge_dialog import PersonMergeDialog
from ..widgets.person_name_dialog import PersonNameDialog
from ..widgets.similar_name_prompt import SimilarNamePrompt
from .base import Pane

log = logging.getLogger(__name__)
HISTORY = 20        # decisions the history shows


class PeopleActions(Pane):
    """The base of ``PeoplePane``: the keys that change the catalog."""

    _last = ""      # what the last decision did, shown in the pane's head

    @property
    def grid(self) -> FaceGrid:
        return self.query_one(FaceGrid)

    @property
    def people(self) -> PersonList:
        return self.query_one(PersonList)

    def reload(self, prefer: str | None = None) -> None:
        """Read the groups and the grid's page again (the pane does it)."""
        raise NotImplementedError

    def settle(self) -> None:
        """Show the highlighted group now if the list moved a moment ago (the pane does)."""
        raise NotImplementedError

    def _run(self, action: Callable[[], str | list[str]], prefer: str | None = None,
             prefix: str = "") -> str | None:
        """Run one decision; an engine error becomes a notification. Returns what it did."""
        try:
            summary = action()
        except TermkamError as error:
            self.notify(printable(error), severity="warning", timeout=4, markup=False)
            return None
        except Exception as error:      # e.g. the catalog stayed locked: keep the session
            log.exception("face decision failed")
            self.notify(f"the decision failed: {printable(error)}", severity="error",
                        timeout=6, markup=False)
            return None
        said = printable(prefix + ("; ".join(summary) if isinstance(summary, list) else summary))
        self._last = f"{said}  (u undoes, h lists)"
        self.grid.selected.clear()
        self.reload(prefer=prefer)
        return said

    def action_decide(self, decision: str) -> None:
        self.settle()
        targets = self.grid.targets()
        if not targets:
            self.notify("no face here", severity="warning", timeout=3)
            return
        call = getattr(self.engine.faces, decision)
        self._run(lambda: call(targets))

    def action_accept_shown(self) -> None:
        """Confirm every suggestion on the page, once the user has seen what that means."""
        self.settle()
        shown = [f for f in self.grid.faces if f.status == "unconfirmed" and f.suggested]
        if not shown:
            self.notify("no suggestions shown", severity="warning", timeout=3)
            return
        names = Counter(printable(f.suggested or "") for f in shown)
        detail = [f"{count:>4} as {name}" for name, count in names.most_common()]
        ids = [f.id for f in shown]

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(lambda: self.engine.faces.confirm(ids))
        self.app.push_screen(ConfirmDialog(
            f"Confirm the {len(ids)} suggested name(s) on this page?", detail), answered)

    def action_undo(self) -> None:
        if said := self._run(lambda: self.engine.faces.undo(1), prefix="undid: "):
            self.notify(said, timeout=4, markup=False)

    def action_restore(self) -> None:
        self.settle()
        targets = self.grid.targets()
        if not targets:
            self.notify("no face here", severity="warning", timeout=3)
            return
        self._run(lambda: self.engine.faces.restore(targets))

    def action_history(self) -> None:
        self.app.push_screen(DecisionHistory(self.engine.faces.history(HISTORY)))

    def _names(self, but: str | None = None) -> list[str]:
        return [p.name for p in self.engine.faces.persons() if p.name != but]

    def action_name(self) -> None:
        self.settle()
        group, grid = self.people.group, self.grid
        if group is None:
            return
        faces = self.engine.faces
        if group.person is not None and self.people.has_focus:
            old = group.person.name
            self._ask(f"Rename {printable(old)}", lambda new: faces.rename(old, new),
                      self._names(old), old, similar=False)
        elif group.cluster_id is not None and not grid.selected:
            cluster, after = group.cluster_id, self.people.key_after(group.key)
            self._ask(f"Name all {group.total} faces of {printable(group.label)}",
                      lambda name: faces.name_cluster(cluster, name), self._names(),
                      prefer=after or "unknown")
        elif targets := grid.targets():
            self._ask(f"Name {counted(len(targets), 'face')}",
                      lambda name: faces.name(targets, name), self._names())
        else:
            self.notify("no face here", severity="warning", timeout=3)

    def _ask(self, title: str, decide: Callable[[str], str], names: list[str],
             value: str = "", similar: bool = True, prefer: str | None = None) -> None:
        """Ask for a name (and, when it is close to an existing person's, which one is
        meant), then run the decision with it (unless cancelled or unchanged)."""
        def run(name: str | None) -> None:
            if name and name != value:
                self._run(lambda: decide(name), prefer=prefer)

        def typed(name: str | None) -> None:
            close = self.engine.faces.similar_person(name) if name and similar else None
            if close is None:
                run(name)
            else:
                self.app.push_screen(SimilarNamePrompt(name or "", close), run)
        self.app.push_screen(PersonNameDialog(title, names, value=value), typed)

    def action_merge(self) -> None:
        group = self.people.group
        if group is None or group.person is None:
            self.notify("choose a person in the list to merge", severity="warning", timeout=3)
            return
        source = group.person.name
        targets = self._names(source)
        if not targets:
            self.notify("there is no other person to merge into", severity="warning",
                        timeout=3)
            return

        def merge(target: str | None) -> None:
            if target:
                found = [p for p in self.engine.faces.persons() if p.name == target]
                prefer = f"person:{found[0].id}" if found else None
                self._run(lambda: self.engine.faces.merge(source, target), prefer=prefer)
        self.app.push_screen(PersonMergeDialog(source, targets), merge)
