"""Image-quality settings, persisted in the catalog (defaults in ``scoring.QualitySettings``)."""

from __future__ import annotations

from engine.settings_group import SettingsGroup

from .scoring import QualitySettings

GROUP = SettingsGroup("quality.", QualitySettings())
load, validate, save = GROUP.load, GROUP.validate, GROUP.save
