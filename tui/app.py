"""The termkam Textual app: four panes over the engine's public API."""

from __future__ import annotations

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Input, TabbedContent, TabPane

from engine.engine import Engine
from engine.events import Event, JobFinished, Progress
from engine.printable import printable

from .help import HelpScreen, describe, pane_keys
from .images import SETTING as IMAGE_SETTING
from .key_routing import KeyRoutingApp
from .panes.albums import AlbumsPane
from .panes.base import Pane
from .panes.maintenance import MaintenancePane
from .panes.people import PeoplePane
from .panes.settings import SettingsPane
from .widgets.app_footer import AppFooter
from .widgets.pane_tabs import PaneTabs
from .widgets.quit_dialog import quit_or_ask

CATALOG_CHECK_S = 2.0
PANES = (("albums", "Albums", AlbumsPane), ("maintenance", "Maintenance", MaintenancePane),
         ("people", "People", PeoplePane), ("settings", "Settings", SettingsPane))


class EngineEvent(Message):
    """An engine event carried from a job thread to the UI thread."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        # A burst of progress updates collapses into the latest one; a new phase (such as
        # "loading models") is always shown.
        return (isinstance(message, EngineEvent) and isinstance(message.event, Progress)
                and isinstance(self.event, Progress) and message.event.job_id == self.event.job_id
                and message.event.phase == self.event.phase)


class TermkamApp(KeyRoutingApp):
    """termkam: albums, maintenance, people, settings."""

    TITLE = "termkam"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("1", "show('albums')", "Albums", id="pane-albums"),
        Binding("2", "show('maintenance')", "Maintenance", id="pane-maintenance"),
        Binding("3", "show('people')", "People", id="pane-people"),
        Binding("4", "show('settings')", "Settings", id="pane-settings"),
        Binding("question_mark", "help", "Keys", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("escape", "leave_input", show=False, id="leave-input"),
    ]

    def __init__(self, engine: Engine, image_protocol: str | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.image_protocol = image_protocol or engine.setting(IMAGE_SETTING, "auto")
        self.catalog_problem: str | None = None
        self._unsubscribe = engine.subscribe(self._forward)

    def _forward(self, event: Event) -> None:
        """Runs in the job thread; post_message is thread-safe."""
        self.post_message(EngineEvent(event))

    def compose(self) -> ComposeResult:
        yield Header()
        with PaneTabs(initial="albums"):
            for pane_id, title, pane in PANES:
                with TabPane(title, id=pane_id):
                    yield pane(self.engine, id=f"{pane_id}-pane")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = printable(self.engine.library.folder)
        self.pane("albums").focus_default()
        self.set_interval(CATALOG_CHECK_S, self.check_catalog)

    def check_catalog(self) -> None:
        """Say so at once, and keep a copy, when the catalog file is deleted or replaced
        under the running app: its writes would otherwise vanish without a word."""
        if self.catalog_problem is not None:
            return
        problem = self.engine.library.problem()
        if problem is None:
            return
        rescued = self.engine.library.rescue()
        self.catalog_problem = problem + (
            f"; what this session had is saved in {rescued}" if rescued else "")
        self.sub_title = "CATALOG LOST: changes are not saved"
        self.notify(printable(self.catalog_problem), title="Catalog lost", severity="error",
                    timeout=24 * 3600, markup=False)

    def pane(self, pane_id: str) -> Pane:
        return self.query_one(f"#{pane_id}-pane", Pane)

    def action_show(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        self.pane(pane_id).focus_default()  # now, so the very next key reaches the pane

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id and event.pane.id == event.tabbed_content.active:  # not one passed
            pane = event.pane.query_one(Pane)
            pane.refresh_data()
            pane.focus_default()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Focus given late to a pane no longer shown (pane keys typed fast) goes back to
        the pane shown, so the next keys do not act on a hidden pane."""
        pane = next((a for a in event.widget.ancestors_with_self if isinstance(a, Pane)), None)
        active = pane.screen.query_one(TabbedContent).active if pane is not None else ""
        if pane is not None and active and pane.id != f"{active}-pane":
            self.pane(active).focus_default()

    def on_engine_event(self, message: EngineEvent) -> None:
        for pane in self.query(Pane):
            pane.engine_event(message.event)
        event = message.event
        if isinstance(event, JobFinished) and not _routine(event):
            self.notify(f"{event.kind} {event.state}: {printable(event.summary)}",
                        severity="error" if event.state == "failed" else "information",
                        markup=False)

    def action_leave_input(self) -> None:
        """Escape in an input nothing closer handles: back to the pane's keys (while an
        input has the focus, the pane keys and `q` are text)."""
        if not isinstance(self.focused, Input) or self.screen is not self.screen_stack[0]:
            raise SkipAction()
        self.pane(self.query_one(TabbedContent).active).focus_default()

    def action_help(self) -> None:
        active = self.query_one(TabbedContent).active
        pane = self.pane(active) if active else None
        sections = [("This pane", pane_keys(pane) if pane else []),
                    ("Everywhere", describe(self.BINDINGS))]
        self.push_screen(HelpScreen(f"termkam keys ({active})", sections))

    async def action_quit(self) -> None:
        """Quit; while jobs the user started run, ask first whether to cancel them."""
        quit_or_ask(self, self.engine)

    def on_unmount(self) -> None:
        self._unsubscribe()


def _routine(event: JobFinished) -> bool:
    """A write-back that went well: it follows every decision, no need to say so."""
    return event.kind == "metadata.write" and event.state == "done" and not event.errors
