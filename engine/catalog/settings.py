"""Settings persisted in the catalog as JSON values."""

from __future__ import annotations

import json
from typing import Any

from .schema import Setting


def get_setting(key: str, default: Any = None) -> Any:
    value = Setting.select(Setting.value).where(Setting.key == key).scalar()
    return default if value is None else json.loads(value)


def set_setting(key: str, value: Any) -> None:
    (Setting.insert(key=key, value=json.dumps(value))
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: json.dumps(value)})
     .execute())


def all_settings() -> dict[str, Any]:
    return {key: json.loads(value) for key, value in Setting.select().tuples()}
