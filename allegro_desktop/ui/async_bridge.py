"""Short network work for the GUI (device flow, /me) on a private asyncio thread.

The GUI thread never waits on the network (ARCHITECTURE.md "Threads and event loops"). Instead
of running asyncio inside Qt's event loop (qasync), GUI-initiated coroutines run on one background
thread with its own event loop — and its own httpx clients, since an AsyncClient belongs to one loop
— and their results come back to the GUI thread as queued Qt signals. This keeps the two event loops
independent and lets tests wait for results with `qtbot.waitSignal` instead of spinning an asyncio
loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("allegro_desktop.ui")

T = TypeVar("T")


class AsyncBridge(QObject):
    """Runs coroutines on a background event loop; calls back on the GUI thread.

    Signals:
        delivered(object): internal — a callable to run on the GUI thread.
    """

    delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="allegro-gui-async", daemon=True)
        self._thread.start()
        self.delivered.connect(self._on_delivered)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def submit(self, coroutine: Awaitable[T], *,
               on_result: Callable[[T], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               ) -> concurrent.futures.Future[T]:
        """Run `coroutine` on the background loop; `on_result` / `on_error` run on the GUI
        thread. Cancelling the returned future cancels the coroutine; neither callback runs
        then."""

        future: concurrent.futures.Future[T] | None = None

        async def wrapper() -> T:
            try:
                return await coroutine
            except Exception:
                if future is not None and future.cancelled():
                    # Its caller gave up on it (e.g. a cancelled login stopping with its own
                    # error): nobody will read this, so don't leave it "never retrieved".
                    log.debug("a cancelled background task ended with an error", exc_info=True)
                    return cast(T, None)
                raise

        future = asyncio.run_coroutine_threadsafe(wrapper(), self._loop)

        def done(f: concurrent.futures.Future[T]) -> None:
            if f.cancelled():
                return
            error = f.exception()
            if error is None:
                if on_result is not None:
                    result = f.result()
                    self.delivered.emit(lambda: on_result(result))
            elif on_error is not None:
                self.delivered.emit(lambda: on_error(error))
            else:
                log.error("background task failed", exc_info=error)

        future.add_done_callback(done)
        return future

    def call_soon(self, callback: Callable[[], Any]) -> None:
        """Run a plain callable on the background loop (e.g. to cancel something there)."""
        self._loop.call_soon_threadsafe(callback)

    def _on_delivered(self, callback: Callable[[], None]) -> None:
        callback()

    def shutdown(self) -> None:
        """Cancel what is running and stop the loop thread."""
        if not self._thread.is_alive():
            return

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(timeout=5)
        except (concurrent.futures.TimeoutError, RuntimeError):
            log.warning("background tasks did not stop in time")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()
