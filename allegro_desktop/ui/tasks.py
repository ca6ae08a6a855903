"""Background work for the window: `TaskQueue` runs a callable off the GUI thread and brings
its outcome back to the GUI thread (the one way the window does this).

The window never waits for the database or the network on its own thread. Window code that
needs either owns a `TaskQueue` (a Qt child of the owner) and submits callables to it:

- `submit(work, done=, failed=, progress=)`: `work(task)` runs on one of the queue's threads.
  What it returns reaches `done`, what it raises reaches `failed`, what it hands to
  `task.report()` reaches `progress` — on the GUI thread, in the order it happened. An
  exception is never lost: one that is not an `AppError` (a bug) is logged with its traceback
  as it happens; with no `failed`, an `AppError` is logged as a warning.
- **Stale results are dropped by generation**: a submission to a `lane` gets the lane's next
  generation number and supersedes the lane's earlier ones — their outcomes, still on their
  way, are dropped (the seller typed another letter: only the newest query's result counts).
- **Cancel is cooperative**: `cancel(lane)`, `cancel_all()`, `Task.cancel()` drop a task's
  outcome and make `task.is_cancelled()` true; a long callable checks it between steps and
  gives up (`task.raise_if_cancelled()` raises `Cancelled`, which goes nowhere). A superseded
  or cancelled task that has not started yet never runs.
- **Order**: `threads` threads take the waiting tasks oldest first — one thread is a serial
  queue — or, with `newest_first`, newest first; `max_waiting` bounds the waiting tasks, the
  oldest dropped (`dropped` is called) when a new one comes.
- **Shutdown**: `shutdown(timeout_ms)` (before the database the tasks read closes) drops the
  waiting tasks, cancels the running ones and waits for them up to the deadline; nothing is
  delivered afterwards.
- **Nothing is delivered into a deleted object**: outcomes travel as queued events to the
  queue, and Qt discards those of a deleted receiver — the queue is deleted with its owner;
  a `context` object (a dialog using its controller's queue) drops them once deleted too.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Final, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.i18n import translated

__all__ = ["SHUTDOWN_TIMEOUT_MS", "Cancelled", "Task", "TaskQueue", "failure_text"]

log = logging.getLogger("allegro_desktop.ui")

#: How long `TaskQueue.shutdown` waits for the running tasks by default.
SHUTDOWN_TIMEOUT_MS: Final = 30_000

R = TypeVar("R")
P = TypeVar("P")


class Cancelled(Exception):  # noqa: N818 - what happened, not an error
    """Raised by a task's callable to give up once the task is cancelled: it reaches no
    callback and is not logged."""


def failure_text(error: Exception) -> str:
    """What a failed task tells the seller: an `AppError` in the window's language, anything
    else (a bug, already logged with its traceback) as its type and message."""
    if isinstance(error, AppError):
        return translated(error)
    return f"{type(error).__name__}: {error}"


class Task(Generic[P]):
    """One submission to a `TaskQueue`: what its callable is handed, and what `submit`
    returns. `P` is the type of the values the callable reports (`report`)."""

    def __init__(self, queue: TaskQueue, work: Callable[[Task[P]], Any], *,
                 lane: str | None, generation: int, context: QObject | None,
                 done: Callable[[Any], object] | None,
                 failed: Callable[[Exception], object] | None,
                 progress: Callable[[P], object] | None,
                 dropped: Callable[[], object] | None) -> None:
        self._queue = queue
        self._work = work
        self._lane = lane
        self._generation = generation
        self._context = context
        self._done = done
        self._failed = failed
        self._progress = progress
        self._dropped = dropped
        # Set on the GUI thread, read by the task's thread: a plain bool under the GIL.
        self._cancelled = False

    @property
    def lane(self) -> str | None:
        return self._lane

    @property
    def generation(self) -> int:
        """Its number in its lane (0 without a lane)."""
        return self._generation

    def is_cancelled(self) -> bool:
        """True once the task was cancelled, superseded in its lane or its queue shut down:
        its outcome will be dropped, so the callable may give up. Any thread."""
        return self._cancelled or self._queue._is_stale(self)

    def raise_if_cancelled(self) -> None:
        """For the callable: raise `Cancelled` if `is_cancelled()`."""
        if self.is_cancelled():
            raise Cancelled

    def cancel(self) -> None:
        """Drop the task's outcome (and ask its callable to give up). GUI thread."""
        self._cancelled = True

    def report(self, value: P) -> None:
        """For the callable: hand `value` to the submission's `progress` on the GUI thread
        (dropped if the task is cancelled by then)."""
        if self._progress is not None and not self.is_cancelled():
            self._queue._deliver(self, self._progress, value)


class _Courier(QObject):
    """Carries a task's outcome from the queue's threads to the queue on the GUI thread.

    Owned by Python, not by the queue: the threads hold it, so it outlives a queue deleted
    while a task runs, and then carries into nothing (the queue's connection is gone)."""

    carried = Signal(object)  # (task, callback, value)


class TaskQueue(QObject):
    """Threads running submitted callables for one owner (see the module's docstring).

    `name` says what the queue does, in the log. Used from the GUI thread (the callbacks run
    there); only the callables run elsewhere. Call `shutdown()` before the owner's database or
    service goes away.

    Signals: none (outcomes reach the callbacks given to `submit`).
    """

    def __init__(self, name: str, *, threads: int = 1, newest_first: bool = False,
                 max_waiting: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._name = name
        self._newest_first = newest_first
        self._max_waiting = max_waiting
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._lock = threading.Lock()  # guards _waiting and _unlaned
        self._waiting: deque[Task[Any]] = deque()
        self._unlaned: set[Task[Any]] = set()  # submitted without a lane, not finished
        self._generations: dict[str, int] = {}  # lane -> its newest generation
        self._stopped = False
        self._courier = _Courier()
        self._courier.carried.connect(self._on_courier_carried,
                                      Qt.ConnectionType.QueuedConnection)

    # -- GUI thread -----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def is_shut_down(self) -> bool:
        return self._stopped

    def generation(self, lane: str) -> int:
        """The newest generation of `lane` (0 before its first submission)."""
        return self._generations.get(lane, 0)

    def submit(self, work: Callable[[Task[P]], R], *,
               done: Callable[[R], object] | None = None,
               failed: Callable[[Exception], object] | None = None,
               progress: Callable[[P], object] | None = None,
               lane: str | None = None, context: QObject | None = None,
               dropped: Callable[[], object] | None = None) -> Task[P]:
        """Run `work(task)` on the queue's threads; its outcome reaches the callbacks on the
        GUI thread unless the task is cancelled by then, or `context` (if given) deleted.

        With a `lane`, the lane's earlier submissions are superseded. `dropped` is called
        (at once) if the task is dropped unstarted to make room for a newer one
        (`max_waiting`). Raises RuntimeError once the queue is shut down."""
        if self._stopped:
            raise RuntimeError(f"the {self._name} task queue is shut down")
        generation = 0
        if lane is not None:
            generation = self._generations[lane] = self._generations.get(lane, 0) + 1
        task: Task[P] = Task(self, work, lane=lane, generation=generation, context=context,
                             done=done, failed=failed, progress=progress, dropped=dropped)
        pushed_out: list[Task[Any]] = []
        with self._lock:
            self._waiting.append(task)
            if lane is None:
                self._unlaned.add(task)
            while self._max_waiting is not None and len(self._waiting) > self._max_waiting:
                oldest = self._waiting.popleft()
                self._unlaned.discard(oldest)
                if not oldest.is_cancelled():
                    oldest.cancel()
                    pushed_out.append(oldest)
        for oldest in pushed_out:
            if oldest._dropped is not None:
                oldest._dropped()
        self._pool.start(self._run_next)
        return task

    def cancel(self, lane: str) -> None:
        """Supersede every submission of `lane` (the lane's generation moves on)."""
        self._generations[lane] = self._generations.get(lane, 0) + 1

    def cancel_all(self) -> None:
        """Cancel every task submitted so far, of every lane or none."""
        for lane in list(self._generations):
            self.cancel(lane)
        with self._lock:
            unlaned = list(self._unlaned)
        for task in unlaned:
            task.cancel()

    def wait(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> bool:
        """Wait until no task waits or runs (their outcomes may still be on their way to the
        GUI thread); False if some still ran after `timeout_ms`."""
        return bool(self._pool.waitForDone(timeout_ms))

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> bool:
        """Take no more tasks, drop the waiting ones, cancel the running ones and wait for
        them up to `timeout_ms`; nothing is delivered afterwards. False (and logged) if some
        still ran at the deadline."""
        self._stopped = True
        with self._lock:
            self._waiting.clear()
            self._unlaned.clear()
        self._pool.clear()
        if self._pool.waitForDone(timeout_ms):
            return True
        log.warning("%s: background work still running after %d ms", self._name, timeout_ms)
        return False

    @Slot(object)
    def _on_courier_carried(self, delivery: tuple[Task[Any], Callable[[Any], object],
                                                  Any]) -> None:
        task, callback, value = delivery
        if task.is_cancelled():
            return
        if task._context is not None and not shiboken6.isValid(task._context):
            return
        callback(value)

    # -- the queue's threads --------------------------------------------------------------

    def _is_stale(self, task: Task[Any]) -> bool:
        lane = task._lane
        return self._stopped or (lane is not None
                                 and self._generations.get(lane) != task._generation)

    def _deliver(self, task: Task[Any], callback: Callable[[Any], object], value: Any) -> None:
        self._courier.carried.emit((task, callback, value))

    def _run_next(self) -> None:
        """One pool job per submission: run the next waiting task (none if it was dropped)."""
        with self._lock:
            if not self._waiting:
                return
            task = self._waiting.pop() if self._newest_first else self._waiting.popleft()
        try:
            if not task.is_cancelled():
                self._run(task)
        finally:
            with self._lock:
                self._unlaned.discard(task)

    def _run(self, task: Task[Any]) -> None:
        try:
            result = task._work(task)
        except Cancelled:
            if not task.is_cancelled():
                log.error("%s: a task gave up without being cancelled", self._name)
            return
        except Exception as exc:
            if not isinstance(exc, AppError):  # a bug: logged now, whoever gets it
                log.error("%s: a background task failed", self._name, exc_info=exc)
            elif task.is_cancelled():
                log.debug("%s: a cancelled task ended with %s", self._name, exc)
            elif task._failed is None:
                log.warning("%s: %s", self._name, exc)
            if task._failed is not None:
                self._deliver(task, task._failed, exc)
            return
        if task._done is not None:
            self._deliver(task, task._done, result)
