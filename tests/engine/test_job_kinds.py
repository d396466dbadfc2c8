"""The tools are declared apart from their work: every reference must name a real function."""

from __future__ import annotations

import inspect

from engine.job_kinds import JOB_KINDS
from engine.jobs import resolved


def test_every_tool_names_a_function_that_takes_a_job_context() -> None:
    for kind in JOB_KINDS.values():
        work = resolved(kind.run)
        assert callable(work), kind.kind
        assert list(inspect.signature(work).parameters) == ["ctx"], kind.kind
        if kind.check_options is not None:
            assert callable(resolved(kind.check_options)), kind.kind


def test_the_tools_run_in_digikams_order() -> None:
    assert list(JOB_KINDS) == ["scan", "thumbnails", "faces.detect", "faces.recognize",
                               "faces.cluster", "faces.rebuild", "tags.auto", "quality.sort",
                               "metadata.write"]
