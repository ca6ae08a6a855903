"""The GUI thread's asyncio event loop: qasync's `QEventLoop`, asyncio run by Qt's own loop.

The window's short network work (the Connect dialog's device flow and `/me`) runs as coroutines
on the GUI thread: while one awaits the network Qt paints and handles input, and its result
needs no hop between threads. Its httpx clients are made and closed on this loop. `TaskSet`
keeps the tasks a part of the window started, cancels them together and logs an error none of
them handled. `app.run_gui` runs the window with `run_event_loop`; as the app quits,
`close_event_loop` cancels what still runs and lets it close its clients before the sync thread
stops. The sync keeps its own thread and loop (`sync/worker.py`); the GUI thread gets Python's
lock back from it sooner than Python's default allows (`SWITCH_INTERVAL`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import Any, cast

from PySide6.QtCore import QCoreApplication

__all__ = ["TaskSet", "close_event_loop", "new_event_loop", "run_event_loop"]

log = logging.getLogger("allegro_desktop.ui")

#: How long the tasks left when the app quits may take to end once cancelled (seconds).
CLOSE_GRACE = 5.0
#: Python's thread switch interval while the window runs (seconds; Python's default is 5 ms).
#: Every cell the window paints calls into Python, and each such call waits up to this long
#: for Python's lock while another thread computes (the sync sending orders, a background
#: read): at 5 ms a paint of the table could stall the window over 50 ms (docs/PERFORMANCE.md,
#: "The window during a bulk change").
SWITCH_INTERVAL = 0.001


def _qasync() -> Any:
    """qasync bound to PySide6. It serves the Qt binding `QT_API` names when that is set (users
    of other Qt programs set it, e.g. to PyQt5 for matplotlib): hidden while qasync is first
    imported, or the app would not start."""
    hidden = os.environ.pop("QT_API", None)
    try:
        import qasync
    finally:
        if hidden is not None:
            os.environ["QT_API"] = hidden
    return qasync


def new_event_loop(app: QCoreApplication) -> asyncio.AbstractEventLoop:
    """A qasync loop on `app`'s event loop, the GUI thread's current asyncio loop from now on;
    an error no task handled is logged; Python's switch interval is `SWITCH_INTERVAL`. Close
    it with `close_event_loop`."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    loop: asyncio.AbstractEventLoop = _qasync().QEventLoop(app)
    loop.set_exception_handler(_log_unhandled)
    loop.set_default_executor(_DaemonCalls())
    asyncio.set_event_loop(loop)
    # qasync logs every call it hands to a thread, with its arguments, at DEBUG: not for our log.
    logging.getLogger("qasync").setLevel(logging.INFO)
    return loop


def run_event_loop(loop: asyncio.AbstractEventLoop) -> int:
    """Run Qt's event loop (`QApplication.exec`) with `loop` running on it, until the app
    quits; Qt's exit code."""
    code = cast(Any, loop).run_forever()  # qasync returns exec()'s code
    return int(code)


def close_event_loop(loop: asyncio.AbstractEventLoop, *, grace: float = CLOSE_GRACE) -> None:
    """As the app quits, after Qt's event loop has ended: cancel the tasks still on `loop` and
    let them end (a login closes its httpx client as it stops) — for `grace` seconds at most,
    Qt's event loop running meanwhile — then close the loop. Never hangs: what has not ended
    by then is logged and left."""
    if loop.is_closed():
        return
    if asyncio.all_tasks(loop):
        try:
            loop.run_until_complete(_cancel_all(grace))
        except RuntimeError:  # Qt's event loop was told to exit meanwhile (a second SIGTERM)
            log.warning("the window's background work was not waited for as the app quit")
    loop.close()
    asyncio.set_event_loop(None)


async def _cancel_all(grace: float) -> None:
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    if not tasks:  # they ended by themselves since `close_event_loop` looked
        return
    for task in tasks:
        task.cancel()
    _done, pending = await asyncio.wait(tasks, timeout=grace)
    if pending:
        log.warning("%d background tasks of the window did not stop in time: %s",
                    len(pending), ", ".join(sorted(t.get_name() for t in pending)))


class _DaemonCalls(concurrent.futures.Executor):
    """The loop's executor for blocking calls (`asyncio.to_thread`, httpx's name lookups, a
    keyring save): each on a daemon thread of its own, which closing the loop — or the
    process ending — never waits for. A call blocked for ever (a keyring's unlock prompt,
    a name server that does not answer) cannot hold up the quit; the few calls the window
    makes need no pool."""

    def submit(self, fn: Callable[..., Any], /, *args: Any,
               **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def call() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever awaits the call
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=call, name="gui-loop-call", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Waits for nothing (see the class)."""


def _log_unhandled(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    log.error("%s", context.get("message") or "an error in the window's event loop",
              exc_info=error if isinstance(error, BaseException) else None)


class TaskSet:
    """The asyncio tasks one part of the window started on the GUI thread's loop: referenced
    until they end (the loop holds tasks only weakly), cancelled together, and an error a task
    did not handle itself logged — never lost."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run `coroutine` as a task on the running loop (the GUI thread's)."""
        task = asyncio.get_running_loop().create_task(coroutine, name=self._what)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)

    @property
    def pending(self) -> bool:
        """Whether a task has yet to end (a cancelled one too, until it has stopped)."""
        return bool(self._tasks)

    def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("%s failed", self._what, exc_info=error)
