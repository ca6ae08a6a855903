"""Python's cyclic garbage collector during a sync run (`fewer_collections`): a first sync
allocates millions of objects (decoded pages, parsed orders) that form no cycles, and the
default thresholds had the collector walk all of them again and again. ARCHITECTURE.md "The
sync engine".
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

__all__ = ["YOUNGEST_THRESHOLD", "fewer_collections"]

#: Allocations between two collections of the youngest generation during a sync (Python's
#: default: 700). The older generations' thresholds are left as they are, so every generation
#: is collected, about 29 times less often per allocation.
YOUNGEST_THRESHOLD: Final = 20_000

class _Runs:
    """The sync runs under way in the process, and the thresholds from before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.saved: tuple[int, int, int] = gc.get_threshold()


_RUNS: Final = _Runs()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While at least one sync runs in the process, the youngest generation is collected
    after `YOUNGEST_THRESHOLD` allocations (never fewer than it was set to); the thresholds
    as they were once the last run ends."""
    with _RUNS.lock:
        if _RUNS.count == 0:
            _RUNS.saved = gc.get_threshold()
            gc.set_threshold(max(_RUNS.saved[0], YOUNGEST_THRESHOLD), *_RUNS.saved[1:])
        _RUNS.count += 1
    try:
        yield
    finally:
        with _RUNS.lock:
            _RUNS.count -= 1
            if _RUNS.count == 0:
                gc.set_threshold(*_RUNS.saved)
