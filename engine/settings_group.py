"""A group of typed settings kept in the catalog under one prefix (``faces.``, ``tags.`` ...).

Each group is a frozen dataclass whose field defaults are the defaults and whose numbers
declare their allowed range with ``ranged``. The group is the one place a value is checked,
for the CLI, the Settings pane and the values stored in the catalog alike: its type, that a
number is finite and in its range, the group's choices and extra check, then how the values
go together (the dataclass's ``__post_init__``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any, Generic, TypeVar, cast

from engine import user_config
from engine.catalog import Library, settings
from engine.errors import TermkamError

T = TypeVar("T")
N = TypeVar("N", int, float)
RANGE = "range"  # field metadata: (lowest, highest) allowed, both included


def ranged(default: N, low: float, high: float) -> N:
    """A dataclass field for a number allowed from ``low`` to ``high`` (finite)."""
    return cast(N, field(default=default, metadata={RANGE: (low, high)}))


def check_ranges(values: Any) -> None:
    """ValueError naming the first number of a settings dataclass that is not a finite number
    in its range (for the dataclass's ``__post_init__``)."""
    for found in fields(values):
        if RANGE in found.metadata:
            value = getattr(values, found.name)
            try:
                _typed(found, value)
            except ValueError as error:
                raise ValueError(_refusal(found.name, value, str(error))) from None


@dataclass(frozen=True)
class Stored:
    """What the catalog holds for a group, each value checked alone."""

    values: dict[str, Any]      # every setting; the default if not set or if invalid
    refused: dict[str, Any]     # the invalid stored values, as stored
    problems: dict[str, str]    # for each of them, one line saying why and how to fix it


@dataclass(frozen=True)
class SettingsGroup(Generic[T]):
    """How one dataclass of settings is loaded, checked and saved."""

    prefix: str
    defaults: T
    choices: Mapping[str, Collection[Any]] = field(default_factory=dict)
    extra_check: Callable[[str, Any], None] | None = None  # TermkamError with the reason

    def __post_init__(self) -> None:
        loose = [f.name for f in self._fields().values() if type(f.default) in (int, float)
                 and RANGE not in f.metadata and f.name not in self.choices]
        if loose:
            raise TypeError(f"{self.prefix} settings without a range: {', '.join(loose)}")

    @property
    def tool(self) -> str:
        """The tool's name on the command line: ``faces``, ``tags``, ``quality``."""
        return self.prefix.rstrip(".")

    def bounds(self, name: str) -> tuple[float, float] | None:
        """The lowest and highest value of a number setting (None for others)."""
        return self._fields()[name].metadata.get(RANGE)

    def default(self, name: str) -> Any:
        """The setting's default value."""
        return getattr(self.defaults, name)

    def load(self) -> T:
        """The library's settings (defaults for anything not set); TermkamError, one line
        saying how to fix it, if a stored value is invalid."""
        stored = self.stored()
        if stored.problems:
            raise TermkamError(next(iter(stored.problems.values())))
        try:
            return cast(T, replace(cast(Any, self.defaults), **stored.values))
        except ValueError as error:
            raise TermkamError(
                f"stored {self.tool} settings do not go together ({error}): change one with "
                f"`termkam {self.tool} settings NAME VALUE`") from None

    def stored(self) -> Stored:
        """Every setting as stored, checked one by one (invalid ones are not raised)."""
        found = settings.all_settings()
        values: dict[str, Any] = {}
        refused: dict[str, Any] = {}
        problems: dict[str, str] = {}
        configured = user_config.values()
        for name in self._fields():
            key = self.prefix + name
            values[name] = self.default(name)
            if key in found:                 # the library's own value
                value, fix = found[key], f"set it with `termkam {self.tool} settings {name} VALUE`"
                where = f"stored setting {key}"
            elif key in configured:          # the user's default for every library
                value, fix = configured[key], f"fix it in {user_config.config_path()}"
                where = f"{key} in the config file"
            else:
                continue
            try:
                values[name] = self._checked(name, value)
            except _Refused as error:
                refused[name] = value
                problems[name] = (f"{where} = {json.dumps(value)} is invalid "
                                  f"({error.reason}): {fix}")
        return Stored(values, refused, problems)

    def validate(self, name: str, value: Any) -> Any:
        """``value`` converted to the setting's type; TermkamError for a bad name or value.

        Settings it must go with are taken as stored, invalid stored ones as their default
        (so a good value can always replace a bad one)."""
        if name not in self._fields():
            raise TermkamError(f"unknown {self.tool} setting {name!r}; "
                               f"known: {', '.join(self._fields())}")
        converted = self._checked(name, value)
        stored = self.stored()
        try:
            replace(cast(Any, self.defaults), **{**stored.values, name: converted})
        except ValueError as error:
            raise TermkamError(str(error)) from None
        return converted

    def save(self, name: str, value: Any) -> Any:
        """Store one setting (inside the caller's write transaction); the value as stored."""
        converted = self.validate(name, value)
        settings.set_setting(self.prefix + name, converted)
        return converted

    def update(self, library: Library, name: str, value: Any) -> Any:
        """Store one setting in its own transaction; the value as stored."""
        with library.writing():
            return self.save(name, value)

    def _fields(self) -> dict[str, Field[Any]]:
        return {f.name: f for f in fields(cast(Any, self.defaults))}

    def _checked(self, name: str, value: Any) -> Any:
        """One value alone: type, finite, range, choices and the extra check."""
        try:
            converted = _typed(self._fields()[name], value)
            if name in self.choices and converted not in self.choices[name]:
                raise ValueError(f"one of {', '.join(map(str, self.choices[name]))}")
        except ValueError as error:
            raise _Refused(_refusal(name, value, str(error)), f"must be {error}") from None
        if self.extra_check is not None:
            try:
                self.extra_check(name, converted)
            except TermkamError as error:
                raise _Refused(str(error), str(error)) from None
        return converted


class _Refused(TermkamError):
    """A value its setting does not allow: the whole message, and the reason alone."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _refusal(name: str, value: Any, reason: str) -> str:
    shown = value if not isinstance(value, str) or value.strip() else repr(value)
    return f"{name} must be {reason}, not {shown}"


def _typed(setting: Field[Any], value: Any) -> Any:
    """``value`` as the type of the field's default, a finite number in its range;
    ValueError with what it must be."""
    kind = type(setting.default)
    if kind is bool:
        return _as_bool(value)
    if kind is str:
        return str(value).strip()
    number = _as_int(value) if kind is int else _as_float(value)
    low, high = setting.metadata.get(RANGE, (-math.inf, math.inf))
    if not low <= number <= high:
        raise ValueError(f"between {low:g} and {high:g}")
    return number


def _as_int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | str) and not isinstance(value, bool):
        try:
            return int(value)
        except ValueError:
            pass
    raise ValueError("an integer")


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("a number") from None
    if not math.isfinite(number):
        raise ValueError("a finite number")
    return number


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("on or off")
