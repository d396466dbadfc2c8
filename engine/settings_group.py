"""A group of typed settings kept in the catalog under one prefix (``faces.``, ``tags.`` ...).

Each group is a frozen dataclass whose field defaults are the defaults; values are checked
against the default's type, against a table of allowed choices, and must not be negative.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Generic, TypeVar, cast

from engine.catalog import Library, settings
from engine.errors import TermkamError

T = TypeVar("T")


@dataclass(frozen=True)
class SettingsGroup(Generic[T]):
    """How one dataclass of settings is loaded, checked and saved."""

    prefix: str
    defaults: T
    choices: Mapping[str, Collection[Any]] = field(default_factory=dict)
    extra_check: Callable[[str, Any], None] | None = None

    def load(self) -> T:
        """The library's settings (defaults for anything not set)."""
        stored = settings.all_settings()
        defaults = cast(Any, self.defaults)
        values = {f.name: stored[self.prefix + f.name] for f in fields(defaults)
                  if self.prefix + f.name in stored}
        return cast(T, replace(defaults, **values))

    def validate(self, name: str, value: Any) -> Any:
        """``value`` converted to the setting's type; TermkamError for a bad name or value."""
        known = [f.name for f in fields(cast(Any, self.defaults))]
        if name not in known:
            raise TermkamError(f"unknown {self.prefix.rstrip('.')} setting {name!r}; "
                               f"known: {', '.join(known)}")
        default = getattr(self.defaults, name)
        try:
            converted = _as_bool(value) if isinstance(default, bool) else type(default)(value)
        except (TypeError, ValueError):
            raise TermkamError(
                f"{name} must be a {type(default).__name__}, not {value!r}") from None
        if name in self.choices and converted not in self.choices[name]:
            raise TermkamError(f"{name} must be one of {', '.join(map(str, self.choices[name]))}")
        if isinstance(converted, float | int) and not isinstance(converted, bool) \
                and converted < 0:
            raise TermkamError(f"{name} cannot be negative")
        if self.extra_check is not None:
            self.extra_check(name, converted)
        try:  # the dataclass checks how settings go together (e.g. a low <= high pair)
            replace(cast(Any, self.load()), **{name: converted})
        except ValueError as error:
            raise TermkamError(str(error)) from None
        return converted

    def save(self, name: str, value: Any) -> None:
        """Store one setting (inside the caller's write transaction)."""
        settings.set_setting(self.prefix + name, self.validate(name, value))

    def update(self, library: Library, name: str, value: Any) -> Any:
        """Store one setting in its own transaction; the value as stored."""
        with library.writing():
            self.save(name, value)
        return getattr(self.load(), name)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)
