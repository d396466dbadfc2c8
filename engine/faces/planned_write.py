"""Writing a whole-library result (suggestions, clusters) without holding the catalog's
write lock while it is computed, so a user's decision made meanwhile waits for one chunk at
most, never for the whole step.

The result is computed from one reading, then written in chunks, each in its own write
transaction that first checks nothing about faces changed since the reading; if something
did (a decision, new faces), the result is computed again and writing goes on from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from engine.catalog import Library
from engine.catalog.persons import decision_stamp

CHUNK = 1000
TRIES = 4


class Plan(Protocol):
    @property
    def face_ids(self) -> list[int]: ...


P = TypeVar("P", bound=Plan)


def write_planned(library: Library, plan: Callable[[], P],
                  write: Callable[[P, Sequence[int]], None], chunk: int = CHUNK) -> P:
    """Compute ``plan()`` outside the write lock and ``write`` it chunk by chunk; returns
    the plan that was written in full."""
    for _ in range(TRIES):
        stamp = decision_stamp()
        result = plan()
        ids = result.face_ids
        for start in range(0, len(ids), chunk):
            with library.writing():
                if decision_stamp() != stamp:
                    break
                write(result, ids[start:start + chunk])
                stamp = decision_stamp()
        else:
            return result
    with library.writing():  # decisions keep coming: compute once under the lock
        result = plan()
        write(result, result.face_ids)
    return result
