"""What the Albums pane shows while the library has no photo: what to do, an "Add folder"
button, and the progress of the scan that fills the library."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Button, ProgressBar, Static

from engine.events import JobFinished, Progress
from engine.printable import printable

WELCOME = ("[b]Your library is empty.[/b]\n\n"
           "Add a folder of photos: termkam scans it into its catalog and makes thumbnails "
           "(your photos are never changed), then can find faces, tag objects and scenes, and "
           "sort photos by quality.")
NOTHING_FOUND = ("[b]No photos yet[/b] in $folders.\n\n"
                 "Add another folder, or put photos there and rescan (Maintenance, 2).")
SCANNING = "[b]Scanning[/b] $folders ...\n\nThe photos appear here as they are found."


class FirstSteps(Vertical, can_focus=True):
    """Enter (or a click on its button) calls ``add``: at once, so the keys typed next reach
    the dialog it opens."""

    DEFAULT_CSS = """
    FirstSteps { width: 1fr; height: 1fr; align: center middle; }
    FirstSteps:focus #first-steps-add { text-style: bold reverse; }
    FirstSteps > * { width: 72; max-width: 100%; height: auto; }
    FirstSteps #first-steps-text { margin-bottom: 1; }
    FirstSteps #first-steps-status { color: $text-muted; margin-top: 1; }
    FirstSteps #first-steps-bar { display: none; }
    FirstSteps.-scanning #first-steps-bar { display: block; }
    FirstSteps #first-steps-shell { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("enter,space", "add", "Add folder", show=False)]

    def __init__(self, add: Callable[[], None], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.add = add

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup(WELCOME), id="first-steps-text")
        with Center():
            button = Button("Add folder", variant="primary", id="first-steps-add")
            button.can_focus = False
            yield button
        yield Static("", id="first-steps-status", markup=False)
        yield ProgressBar(id="first-steps-bar", show_eta=False)
        yield Static("Or from a shell: termkam scan ~/Pictures   ·   press + to add a folder",
                     id="first-steps-shell", markup=False)

    @property
    def status(self) -> str:
        return str(self.query_one("#first-steps-status", Static).render())

    def show(self, folders: Sequence[str], scanning: bool) -> None:
        """The welcome text; once folders were added, that they are being scanned, or that
        they hold no photo."""
        if scanning:  # the bar goes when the scan ends (``finished``)
            self.add_class("-scanning")
        shown = ", ".join(printable(f) for f in folders)
        text = Content.from_markup(WELCOME) if not folders else Content.from_markup(
            SCANNING if scanning else NOTHING_FOUND, folders=shown)
        self.query_one("#first-steps-text", Static).update(text)

    def progress(self, event: Progress) -> None:
        """A scan is filling the library: its phase, counts and rate."""
        self.add_class("-scanning")
        bar = self.query_one(ProgressBar)
        bar.update(total=event.total or None, progress=event.done)
        counted = f"{event.done:,}/{event.total:,} {event.unit}" if event.total \
            else f"{event.done:,} files"
        rate = f", {event.rate:.1f} {event.unit}/s" if event.total and event.rate else ""
        self._say(f"Scanning: {event.phase} {counted}{rate}")

    def finished(self, event: JobFinished) -> None:
        """The scan ended (the pane shows the photos if it found some)."""
        self.remove_class("-scanning")
        self._say(f"Scan {event.state}: {event.summary}")

    def _say(self, text: str) -> None:
        self.query_one("#first-steps-status", Static).update(printable(text))

    def action_add(self) -> None:
        self.add()

    @on(Button.Pressed, "#first-steps-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.add()
