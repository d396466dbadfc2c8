"""The tmux check of the People pane: the real `termkam` in a 120x40 tmux pane, driven with
send-keys, its screen captured as text.

    .venv/bin/python bench/tmux_check.py [--keep DIR]

Builds a small library (ORL faces of four people and a group photo, scanned, faces detected
by the real models, two people named so suggestions and clusters exist), starts termkam on
it, switches to People, moves the cursor, confirms a face with `y`, and checks the captures.
tests/tui/test_people.py runs it under pytest.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from engine import samples  # noqa: E402
from engine.engine import Engine  # noqa: E402
from engine.faces import orl  # noqa: E402
from tui.widgets.person_list import person_row  # noqa: E402

PEOPLE, SHOTS = 4, 6
NAMED = {1: "Ann Example", 2: "Bob Example"}     # ORL person -> name given to 2 of its faces
TMUX = shutil.which("tmux") or "/usr/bin/tmux"


def _finished(engine: Engine, kind: str) -> None:
    result = engine.start(kind).wait(300)
    if result is None or result.state != "done":
        raise RuntimeError(f"{kind} did not finish: {result}")


def build_people_library(base: Path) -> Path:
    """A library of ORL faces (4 people x 6 photos) and a real group photo, faces detected;
    two people named on two faces each, then recognition and clustering run. Returns the
    library folder."""
    photos = base / "photos"
    orl.build_collection(photos)
    for folder in photos.iterdir():
        if int(folder.name[1:]) > PEOPLE:
            shutil.rmtree(folder)
            continue
        for shot in folder.iterdir():
            if int(shot.stem) > SHOTS:
                shot.unlink()
    group = photos / "group"
    group.mkdir()
    shutil.copy2(samples.fetch_set("faces")["feat/multi_face.jpg"], group / "multi_face.jpg")
    library = base / "library"
    with Engine(library) as engine:
        engine.scan([str(photos)]).wait(120)
        _finished(engine, "faces.detect")
        for person, name in NAMED.items():
            faces = sorted(f.id for f in engine.faces.find()
                           if Path(f.image_path).parent.name == f"s{person}")
            engine.faces.name(faces[:2], name)
        _finished(engine, "faces.recognize")
        _finished(engine, "faces.cluster")
    return library


@dataclass
class TmuxSession:
    """A detached tmux session running one command in a pane of a fixed size."""

    name: str
    command: str
    width: int = 120
    height: int = 40
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        """Create the session at its size, then start the command: it waits on a tmux channel
        so it never sees the session's default size first."""
        if not Path(TMUX).exists():
            raise RuntimeError("tmux is not installed: the tmux check needs /usr/bin/tmux "
                               "(apt-get install tmux)")
        channel = f"{self.name}-go"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        script = f"{shlex.quote(TMUX)} wait-for {channel}; exec env {exports} {self.command}"
        subprocess.run([TMUX, "new-session", "-d", "-s", self.name, "-x", str(self.width),
                        "-y", str(self.height), script], check=True)
        for option, value in (("window-size", "manual"), ("remain-on-exit", "on")):
            subprocess.run([TMUX, "set-option", "-t", self.name, option, value], check=True)
        subprocess.run([TMUX, "resize-window", "-t", self.name, "-x", str(self.width),
                        "-y", str(self.height)], check=True)
        if self.size() != f"{self.width}x{self.height}":
            raise RuntimeError(f"tmux made a {self.size()} pane, not {self.width}x{self.height}")
        subprocess.run([TMUX, "wait-for", "-S", channel], check=True)

    def resize(self, width: int, height: int) -> None:
        """Resize the window (the program sees SIGWINCH); raise if tmux did not."""
        subprocess.run([TMUX, "resize-window", "-t", self.name, "-x", str(width), "-y",
                        str(height)], check=True)
        self.width, self.height = width, height
        if self.size() != f"{width}x{height}":
            raise RuntimeError(f"tmux made the pane {self.size()}, not {width}x{height}")

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def size(self) -> str:
        """The pane's size as tmux reports it, "WxH"."""
        return subprocess.run([TMUX, "display-message", "-p", "-t", self.name,
                               "#{pane_width}x#{pane_height}"], check=True,
                              capture_output=True, text=True).stdout.strip()

    def capture(self) -> str:
        return subprocess.run([TMUX, "capture-pane", "-p", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, ready: Callable[[str], bool], timeout: float = 30.0) -> str:
        """Capture until ``ready(screen)``; raise with the last screen on timeout."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if ready(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def settle(self, quiet: float = 0.6, timeout: float = 10.0) -> str:
        """Capture until the screen stops changing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        screen, since = self.capture(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.capture()
            if now != screen:
                screen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return screen

    def kill(self) -> None:
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)


def person_line(screen: str, name: str) -> str:
    """The list row of a person on a captured screen ('' if not shown)."""
    return next((line for line in screen.splitlines() if name in line and "/" in line), "")


def run_check(workdir: Path, library: Path | None = None) -> dict[str, str]:
    """Run the whole check; returns the captured screens by step. Raises AssertionError when
    a screen does not show what it should."""
    library = library or build_people_library(workdir)
    with Engine(library) as engine:
        persons = {p.name: p for p in engine.faces.persons()}
        best = engine.faces.find(status="unconfirmed", order="confidence", limit=2)
    # the cursor starts on the best suggestion; one step right is the second best
    target = best[1]
    who = target.suggested
    assert who is not None and who in persons, best
    before = persons[who]
    session = TmuxSession(f"termkam-check-{os.getpid()}",
                          f"{shlex.quote(str(REPO / '.venv' / 'bin' / 'termkam'))} "
                          f"--library {shlex.quote(str(library))}",
                          env={"XDG_DATA_HOME": str(workdir / "xdg"), "TERM": "xterm-256color",
                               "COLORTERM": "truecolor",
                               **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}})
    screens: dict[str, str] = {}

    def step(name: str, ready: Callable[[str], bool]) -> str:
        """Wait for a screen; keep it (in ``screens`` and as workdir/tmux-NAME.txt)."""
        try:
            screens[name] = session.wait_for(ready)
        except AssertionError as error:
            screens[name] = str(error)
            raise AssertionError(f"step {name!r}: {error}") from None
        finally:
            (workdir / f"tmux-{name}.txt").write_text(screens[name])
        return screens[name]

    session.start()
    try:
        step("start", lambda s: "Albums" in s and "People" in s)
        # textual-image asks the terminal about graphics when first imported; if that
        # happened after the app started, the answer (ESC[?1;2c) would arrive as the keys
        # ? 1 2 c about two seconds in, and the help screen would open by itself.
        screens["start"] = session.settle(quiet=2.5)
        assert "termkam keys" not in screens["start"], \
            "keys nobody typed reached termkam at start-up (a late terminal answer?)"
        session.keys("3")
        row = person_line(step("people", lambda s: "Suggestions" in s and who in s
                               and "face 1/" in s), who)
        assert f"{before.confirmed:>4} /{before.suggested:>3}" in row, row
        # look at the pane before typing on: the app moves the focus when the tab-activated
        # message comes round, so a key sent in the same instant as `3` can still go to Albums
        session.settle()
        session.keys("Right")
        step("moved", lambda s: "face 2/" in s)
        session.keys("y")
        # one more confirmed face (the suggestions are refreshed too, so that count may move)
        step("confirmed", lambda s: "confirmed 1 face" in s and
             f"{before.confirmed + 1:>4} /" in person_line(s, who))
        session.keys("q")
        time.sleep(0.5)
    finally:
        session.kill()
    with Engine(library) as engine:
        face = engine.faces.get(target.id)
        assert face is not None and face.status == "confirmed" and face.person == who, face
        after = next(p for p in engine.faces.persons() if p.name == who)
    assert person_row(after) in person_line(screens["confirmed"], who), (after, screens)
    return screens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the library here and keep it")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="termkam-tmux-"))
    try:
        for step, screen in run_check(workdir).items():
            print(f"===== {step} =====\n{screen}")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
