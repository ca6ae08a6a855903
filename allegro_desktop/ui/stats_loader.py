"""`StatsLoader`: the Statistics tab's computations, run off the GUI thread (ARCHITECTURE.md
"Statistics").

All the statistics of a period read every order of it: on a big shop that is longer than a
frame, so each computation runs on a small private `QThreadPool` and its result comes back as
a queued signal. Every request gets a generation number; a result (or error) of a request that
is no longer the newest is dropped on the GUI thread, so the tab only ever shows what the
seller asked for last. A job is handed a `stale()` callable, true once a newer request came:
it may give up early (`StatsService.compute` checks it between its queries). The pool has two
threads, so a new request starts at once instead of waiting for an outdated one to give up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.i18n import translated

__all__ = ["StatsLoader"]

log = logging.getLogger("allegro_desktop.ui")


class _Relay(QObject):
    """Carries results from pool threads to the loader (queued: the loader lives on the GUI
    thread). A separate object so a pool thread never touches the loader itself."""

    done = Signal(int, object)  # generation, the job's result
    error = Signal(int, str)  # generation, message


class StatsLoader(QObject):
    """Runs one job at a time as far as anyone sees: only the newest job's outcome is emitted.

    Call `stop()` before the loader or the database the jobs read goes away.

    Signals:
        computed(int, object): generation, what the newest job returned.
        failed(int, str): generation, what went wrong in words for the seller.
        busy_changed(bool): whether the newest job is still running.
    """

    computed = Signal(int, object)
    failed = Signal(int, str)
    busy_changed = Signal(bool)

    def __init__(self, *, threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._generation = 0
        self._busy = False
        self._stopped = False
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.done.connect(self._on_relay_done, queued)
        self._relay.error.connect(self._on_relay_error, queued)

    @property
    def generation(self) -> int:
        """The newest request's generation (0 before the first)."""
        return self._generation

    def is_busy(self) -> bool:
        return self._busy

    def submit(self, job: Callable[[Callable[[], bool]], Any]) -> int:
        """Run `job(stale)` on the pool; older requests' outcomes will be dropped. Returns its
        generation."""
        if self._stopped:
            raise RuntimeError("the statistics loader is stopped")
        self._generation += 1
        generation = self._generation
        self._pool.start(lambda: self._run(generation, job))
        self._set_busy(True)
        return generation

    def cancel(self) -> None:
        """Drop the outcome of every running request."""
        self._generation += 1
        self._set_busy(False)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Wait until no job runs (their outcomes may still be queued for the GUI thread);
        False if they did not end in time."""
        return bool(self._pool.waitForDone(timeout_ms))

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Drop everything and wait for the pool's threads; False if they did not end in
        time. The loader takes no request afterwards."""
        self._stopped = True
        self.cancel()
        return bool(self._pool.waitForDone(timeout_ms))

    # -- pool threads ----------------------------------------------------------------------

    def _run(self, generation: int, job: Callable[[Callable[[], bool]], Any]) -> None:
        def stale() -> bool:
            return generation != self._generation

        if stale():
            return  # outdated before it started: not worth computing
        try:
            result = job(stale)
        except AppError as exc:
            if not stale():  # a stale job's giving up (or failing) concerns nobody
                self._relay.error.emit(generation, translated(exc))
            return
        except Exception as exc:  # a bug: logged with its traceback and shown as one
            log.exception("statistics failed")
            self._relay.error.emit(generation, f"{type(exc).__name__}: {exc}")
            return
        self._relay.done.emit(generation, result)

    # -- results (GUI thread) --------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @Slot(int, object)
    def _on_relay_done(self, generation: int, result: Any) -> None:
        if generation != self._generation or self._stopped:
            return
        self._set_busy(False)
        self.computed.emit(generation, result)

    @Slot(int, str)
    def _on_relay_error(self, generation: int, message: str) -> None:
        if generation != self._generation or self._stopped:
            return
        self._set_busy(False)
        self.failed.emit(generation, message)
