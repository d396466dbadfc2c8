"""Write-back settings, persisted in the catalog: whether decisions reach the files as they
are made (and where), and whether the models' tags go with them."""

from __future__ import annotations

from dataclasses import dataclass

from engine.settings_group import SettingsGroup

WRITE_BACK = ("off", "sidecar", "file")


@dataclass(frozen=True)
class MetadataSettings:
    write_back: str = "off"         # off | sidecar | file: where each decision is written
    auto_tags: bool = True          # write the models' tags too (above their thresholds)


GROUP = SettingsGroup("metadata.", MetadataSettings(), {"write_back": WRITE_BACK})
load, validate, save = GROUP.load, GROUP.validate, GROUP.save
