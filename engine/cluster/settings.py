"""The ``compute.`` settings: where a library's model jobs run. Kept in the catalog, with
defaults from the ``[compute]`` table of the config file (the TLS files belong there: they
are this machine's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.errors import TermkamError
from engine.settings_group import SettingsGroup

if TYPE_CHECKING:
    from engine.catalog import Library


@dataclass(frozen=True)
class ComputeSettings:
    cluster: str = ""          # "" runs on this machine; tls://host:8786, tcp://127.0.0.1:8786
    path_map: str = ""         # "" sends the photos' bytes; SERVER_PREFIX=WORKER_PREFIX
    insecure: bool = False     # allow a plain tcp:// address beyond this machine
    tls_ca_file: str = ""      # tls://: the certificate authority
    tls_cert_file: str = ""    # tls://: this machine's certificate
    tls_key_file: str = ""     # tls://: and its key


def _check(name: str, value: Any) -> None:
    from .address import parse_address
    from .transfer import PathMap

    try:
        if name == "cluster" and value:
            parse_address(value)
        elif name == "path_map" and value:
            PathMap.parse(value)
    except ValueError as error:
        raise TermkamError(str(error)) from None


GROUP = SettingsGroup("compute.", ComputeSettings(), extra_check=_check)
load, validate, save = GROUP.load, GROUP.validate, GROUP.save


class ComputeService:
    """The engine's view of the ``compute.`` settings."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @staticmethod
    def settings() -> ComputeSettings:
        return load()

    def set_setting(self, name: str, value: Any) -> Any:
        """Store one setting (checked); the value as stored."""
        return GROUP.update(self.library, name, value)
