"""`StatsLoader`: the Statistics tab's computations, run off the GUI thread (ARCHITECTURE.md
"Statistics").

All the statistics of a period read every order of it: on a big shop that is longer than a
frame, so each computation runs on a `TaskQueue` (`ui/tasks.py`) and its result comes back to
the GUI thread. Every request is the newest generation of one lane: a result (or error) of a
request that is no longer the newest is dropped, so the tab only ever shows what the seller
asked for last. A job is handed a `stale()` callable, true once a newer request came: it may
give up early (`StatsService.compute` checks it between its queries). The queue has two
threads, so a new request starts at once instead of waiting for an outdated one to give up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QObject, Signal

from allegro_desktop.ui.tasks import Task, TaskQueue, failure_text

__all__ = ["StatsLoader"]

_LANE: Final = "statistics"


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
        self._tasks = TaskQueue("statistics", threads=threads, parent=self)
        self._busy = False

    @property
    def generation(self) -> int:
        """The newest request's generation (0 before the first)."""
        return self._tasks.generation(_LANE)

    def is_busy(self) -> bool:
        return self._busy

    def submit(self, job: Callable[[Callable[[], bool]], Any]) -> int:
        """Run `job(stale)` on the queue; older requests' outcomes will be dropped. Returns its
        generation."""
        if self._tasks.is_shut_down:
            raise RuntimeError("the statistics loader is stopped")

        def run(task: Task[None]) -> Any:
            return job(task.is_cancelled)

        task = self._tasks.submit(run, lane=_LANE, done=self._on_done, failed=self._on_failed)
        self._set_busy(True)
        return task.generation

    def cancel(self) -> None:
        """Drop the outcome of every running request."""
        self._tasks.cancel(_LANE)
        self._set_busy(False)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Wait until no job runs (their outcomes may still be queued for the GUI thread);
        False if they did not end in time."""
        return self._tasks.wait(timeout_ms)

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Drop everything and wait for the queue's threads; False if they did not end in
        time. The loader takes no request afterwards."""
        self.cancel()
        return self._tasks.shutdown(timeout_ms)

    # -- results (GUI thread) --------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # Only the newest request's outcome arrives: its generation is the lane's.

    def _on_done(self, result: Any) -> None:
        self._set_busy(False)
        self.computed.emit(self.generation, result)

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.failed.emit(self.generation, failure_text(error))
