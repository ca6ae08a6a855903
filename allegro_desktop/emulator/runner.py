"""Running the emulator's HTTP server on a loopback port.

`EmulatorServer` runs it on a thread of its own (its own asyncio loop), for demo mode and tests:
the app's GUI thread and the sync thread talk to it over real HTTP like they would to allegro.pl.
`serve_forever` runs it in the foreground for `allegro-desktop emulator`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from allegro_desktop.emulator.core import Emulator
from allegro_desktop.emulator.server import build_app

log = logging.getLogger("allegro_desktop.emulator")

LOOPBACK = "127.0.0.1"


async def _start(emulator: Emulator, host: str, port: int) -> tuple[web.AppRunner, str]:
    # A short shutdown timeout: injected "slow" answers must not hold up stopping.
    runner = web.AppRunner(build_app(emulator), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    return runner, f"http://{bound_host}:{bound_port}"


class EmulatorServer:
    """The emulator served from a background thread. Use as a context manager or start/stop."""

    def __init__(self, emulator: Emulator, *, host: str = LOOPBACK, port: int = 0) -> None:
        self.emulator = emulator
        self._host = host
        self._port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.base_url = ""

    def start(self) -> str:
        """Start serving; returns the base URL (`http://127.0.0.1:PORT`) once it accepts."""
        if self._thread is not None:
            return self.base_url
        self._thread = threading.Thread(target=self._run, name="allegro-emulator", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError(f"the emulator could not start: {self._error}") from self._error
        return self.base_url

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start(); the thread ends here
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        runner, self.base_url = await _start(self.emulator, self._host, self._port)
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended on its own already
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve_forever(emulator: Emulator, *, host: str = LOOPBACK, port: int = 0,
                  on_ready: Callable[[str], None]) -> None:
    """Serve in the foreground until SIGINT/SIGTERM; `on_ready` gets the base URL."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
                loop.add_signal_handler(sig, stop.set)
        runner, base_url = await _start(emulator, host, port)
        on_ready(base_url)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
