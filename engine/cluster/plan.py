"""Where a job's model stage runs: the job's options (``--cluster``, ``--path-map``,
``--insecure``) over the library's ``compute.`` settings."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from engine.errors import OptionError, TermkamError

from . import settings as compute_settings
from .address import Address, checked_address, tls_files
from .settings import ComputeSettings
from .transfer import PathMap

LOCAL = "local"      # --cluster local: this machine, whatever the settings say


@dataclass(frozen=True)
class ClusterPlan:
    address: Address
    settings: ComputeSettings          # with the run's options applied
    path_map: PathMap | None           # None: the photos' bytes are sent
    warning: str | None                # said once when the job starts (plain tcp)


def check_options(options: Mapping[str, Any]) -> None:
    """OptionError for a run's cluster options that cannot work (before a job is made):
    the address, the path map, the TLS files."""
    try:
        plan = cluster_plan(options)
        if plan is not None:
            require_dask()
        if plan is not None and plan.address.scheme == "tls":
            tls_files(plan.address, plan.settings)
    except TermkamError as error:
        raise OptionError(str(error)) from None


def require_dask() -> None:
    """TermkamError saying how to install Dask when it is not there."""
    if importlib.util.find_spec("distributed") is None:
        raise TermkamError("running on a cluster needs Dask: pip install 'termkam[cluster]' "
                           "(or --cluster local)")


def cluster_plan(options: Mapping[str, Any]) -> ClusterPlan | None:
    """The plan for a job with ``options``; None to run on this machine."""
    settings = compute_settings.load()
    given = {name: options[name] for name in ("cluster", "path_map", "insecure")
             if options.get(name) not in (None, "")}
    settings = replace(settings, **{name: compute_settings.validate(name, value)
                                    for name, value in given.items()
                                    if not (name == "cluster" and value == LOCAL)})
    if options.get("cluster") == LOCAL or not settings.cluster:
        return None
    address, warning = checked_address(settings.cluster, settings.insecure)
    try:
        path_map = PathMap.parse(settings.path_map) if settings.path_map else None
    except ValueError as error:
        raise TermkamError(str(error)) from None
    return ClusterPlan(address, settings, path_map, warning)
