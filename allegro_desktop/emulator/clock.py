"""The emulator's clock: real time plus an offset that tests and the control API can advance.

Everything time-dependent in the emulator (token and device-code expiry, event retention, the
rate-limit window, the 7-day auto-cancel) reads this clock, so a test can jump an hour ahead
instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Monotonic-enough wall clock with a forward-only offset."""

    def __init__(self, *, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0 if start is None else start.timestamp() - time.time()

    def time(self) -> float:
        """Seconds since the epoch, emulator time."""
        with self._lock:
            return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (never backward: event ids and expiries depend on it)."""
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()
