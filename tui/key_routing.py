"""Keys reach the screen they were typed for, in the order they were typed, even when an
earlier key opens a dialog, closes one or switches the pane.

Textual sends a key to the focused widget as soon as it arrives and matches bindings when the
key has bubbled back up to the app. Keys typed quickly were therefore all sent to the widget
focused before the first of them took effect: the letters of a name went to the grid behind
its dialog and became commands, a key after a pane key acted on the pane left behind.

So the app lets one key through at a time: a key waits until the one before it has been
dealt with, that is, its binding has run (with the focus changes and screens it asked for)
or a widget consumed it (an input took a letter). A key sent before the screen it went to
had given the focus to a widget (a dialog still mounting) comes back unconsumed: it is sent
again to where the focus is now.

A terminal sends Escape followed at once by a key as that key with Alt (tmux does so within
its escape-time, 500 ms by default): "escape n" arrives as alt+n, "escape 1" as the Option
character "¡", and Escape before keys and an arrow as "^". termkam binds no Alt key and no
"^", so outside an input such a key is Escape, then the key typed.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import NamedTuple

from textual import events
from textual._dispatch_key import dispatch_key
from textual.app import App
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

REMEMBERED = 512        # keys consumed on the way never come back: forget the oldest
SETTLE_S = 1.0          # a key neither back nor seen consumed by then: let the next one go
OPTION_DIGITS = {"¡": "1", "™": "2", "£": "3", "¢": "4"}  # escape + 1..4, as Textual reads them
# Textual's parser shows the Escape of a sequence it could not read (Escape and keys typed
# fast, then another escape sequence such as an arrow) as "^", the keys after it as typed
ESCAPE_SHOWN_AS = "circumflex_accent"


def typed_after_escape(key: events.Key, digits: bool = True) -> str | None:
    """The key typed just after Escape when ``key`` is the two sent as one (alt+n; with
    ``digits``, the Option characters of escape 1..4 too), else None."""
    if digits and key.character in OPTION_DIGITS:
        return OPTION_DIGITS[key.character]
    if key.key.startswith("alt+") and key.character and key.character.isprintable():
        return _character_to_key(key.character)
    return None


def unfold_escape(key: events.Key, in_input: bool) -> list[events.Key]:
    """The keys typed, Escape first, when the terminal sent Escape as part of ``key``. An
    input keeps "^" and "¡" as the text they may be (a field row's input knows escape 1)."""
    escape = events.Key("escape", "\x1b")
    if key.key == ESCAPE_SHOWN_AS and not in_input:
        return [escape]
    after = typed_after_escape(key, digits=not in_input)
    if after is None:
        return [key]
    return [escape, events.Key(after, OPTION_DIGITS.get(key.character or "", key.character))]


class Route(NamedTuple):
    """Where a key was sent: the top screen then, and its focused widget (None: the screen)."""

    key: events.Key      # kept, so its id is not reused while it is remembered
    screen: Screen
    focused: Widget | None


class KeyRoutingApp(App):
    """An app that deals with typed keys one at a time, each where the focus is by then."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._routes: OrderedDict[int, Route] = OrderedDict()
        self._waiting: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None
        self._flight_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._in_flight is not None:
                self._waiting.append(event)
            else:
                await self._send(event)
            return
        await super().on_event(event)

    async def _send(self, key: events.Key) -> None:
        """Send a typed key on its way (Textual's priority bindings, else the focus)."""
        key, *after = unfold_escape(key, isinstance(self.screen.focused, Input))
        self._waiting.extendleft(reversed(after))
        target = self.screen.focused or self.screen
        self._in_flight = key
        self._routes[id(key)] = Route(key, self.screen, self.screen.focused)
        while len(self._routes) > REMEMBERED:
            self._routes.popitem(last=False)
        self._flight_timer = self.set_timer(SETTLE_S, lambda: self._landed(key))
        await super().on_event(key)
        if key.is_forwarded:
            # runs once the target has handled the key: consumed there, or on its way back
            target.call_later(self._check_consumed, key)
        else:                                   # a priority binding took it
            self.call_later(self._landed, key)

    def _check_consumed(self, key: events.Key) -> None:
        if key._stop_propagation:
            self._landed(key)

    def _landed(self, key: events.Key) -> None:
        """``key`` has been dealt with: the next key typed goes."""
        if self._in_flight is not key:
            return
        self._clear_flight()
        if self._waiting:
            self.call_later(self._send_waiting)

    def _clear_flight(self) -> None:
        self._in_flight = None
        if self._flight_timer is not None:
            self._flight_timer.stop()
            self._flight_timer = None

    async def _send_waiting(self) -> None:
        if self._in_flight is None and self._waiting:
            await self._send(self._waiting.popleft())

    async def _on_key(self, event: events.Key) -> None:
        """A key back from its widget: its binding, or sent again if its screen changed."""
        event.prevent_default()  # App._on_key's work is done here, before the next key goes
        route = self._routes.pop(id(event), None)
        if route is not None and route.key is event and self._moved(route):
            event.stop()
            again = events.Key(event.key, event.character)
            again.time = event.time
            if self._in_flight is event:
                self._clear_flight()
            await self._send(again)
            return
        if not await self._check_bindings(event.key):
            await dispatch_key(self, event)
        # after the callbacks the binding queued (a focus given, a screen pushed)
        self.call_later(self._landed, event)

    def _moved(self, route: Route) -> bool:
        screen = self.screen
        return route.screen is not screen or (route.focused is None
                                              and screen.focused is not None)
