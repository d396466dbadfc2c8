"""Which cluster addresses termkam connects to, and how (Dask's ``Security``).

Photos of people travel to the workers, so the link must be encrypted: ``tls://`` with the
certificate files of the ``[compute]`` config, or plain ``tcp://`` on this machine's loopback
(an SSH tunnel ends there). Plain ``tcp://`` to another machine needs ``insecure``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import TermkamError

from .settings import ComputeSettings

SCHEMES = ("tcp", "tls")
INSECURE_WARNING = ("{address} is plain tcp: the photos (faces of people) and the "
                    "results cross the network unencrypted; use tls:// or an SSH tunnel "
                    "unless this network is yours alone")


@dataclass(frozen=True)
class Address:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_address(text: str) -> Address:
    """``tls://host:port``, ``tcp://host:port`` or ``host:port`` (tcp); ValueError saying
    what is wrong."""
    scheme, found, rest = text.strip().partition("://")
    if not found:
        scheme, rest = "tcp", text.strip()
    if scheme not in SCHEMES:
        raise ValueError(f"cluster address {text!r}: use tls://HOST:PORT (or tcp:// on this "
                         f"machine), not {scheme}://")
    host, colon, port = rest.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"cluster address {text!r} is not SCHEME://HOST:PORT "
                         "(e.g. tls://desktop:8786)")
    return Address(scheme, host, int(port))


def checked_address(text: str, insecure: bool) -> tuple[Address, str | None]:
    """The address to connect to and the warning to print (None: none); TermkamError for an
    address that would send photos unencrypted without ``insecure``."""
    try:
        address = parse_address(text)
    except ValueError as error:
        raise TermkamError(str(error)) from None
    if address.scheme == "tls" or address.loopback:
        return address, None
    if not insecure:
        raise TermkamError(
            f"{address} is plain tcp to another machine: photos of people would cross the "
            "network unencrypted. Use tls:// (certificate files in the [compute] config), an "
            "SSH tunnel to 127.0.0.1, or --insecure if this network is yours alone")
    return address, INSECURE_WARNING.format(address=address)


def tls_files(address: Address, settings: ComputeSettings) -> tuple[str, str, str]:
    """The certificate authority, certificate and key files for ``address``; TermkamError
    saying which is not set or not there."""
    files = {"tls_ca_file": settings.tls_ca_file, "tls_cert_file": settings.tls_cert_file,
             "tls_key_file": settings.tls_key_file}
    unset = [name for name, path in files.items() if not path]
    if unset:
        raise TermkamError(f"{address} needs TLS files: set {', '.join(unset)} in the "
                           "[compute] table of the config file (see README: Running the AI "
                           "on another machine)")
    for name, path in files.items():
        if not Path(path).expanduser().is_file():
            raise TermkamError(f"compute.{name} {path}: no such file")
    ca, cert, key = (str(Path(p).expanduser()) for p in files.values())
    return ca, cert, key


def security(address: Address, settings: ComputeSettings, role: str = "client") -> Any:
    """Dask's ``Security`` for ``address`` (None for tcp): TLS with the configured files,
    ``role`` client (a job) or worker."""
    if address.scheme != "tls":
        return None
    ca, cert, key = tls_files(address, settings)
    from distributed.security import Security

    return Security(tls_ca_file=ca, require_encryption=True,
                    **{f"tls_{role}_cert": cert, f"tls_{role}_key": key})
