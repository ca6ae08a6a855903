"""One "Connect Allegro" attempt, start to finish: what the Connect dialog and `allegro-desktop
login` drive.

It owns the pieces a login needs for its own event loop: an `httpx.AsyncClient` (a client
belongs to one loop), the `OAuthClient` and the `DeviceFlow`; `finish()` closes them whatever
happens. One object per attempt: "Try again" makes a new one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.models import DeviceAuthorization
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry, connect_account
from allegro_desktop.auth.device_flow import DeviceFlow, FlowCancelledError, FlowState
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.accounts import Account


class DeviceLogin:
    """`start()` (show the code it returns), then `finish()` (the connected account);
    `cancel()` at any time stops it. Use both coroutines on the same loop."""

    def __init__(self, *, environment: Environment, store: TokenStore,
                 registry: AccountRegistry, governor: RequestGovernor,
                 http_factory: Callable[[], httpx.AsyncClient] = make_http_client,
                 scope: str | None = None, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._environment = environment
        self._store = store
        self._registry = registry
        self._governor = governor
        self._http_factory = http_factory
        self._scope = scope
        self._clock = clock
        self._sleep = sleep
        self._http: httpx.AsyncClient | None = None
        self._flow: DeviceFlow | None = None
        self._cancelled = False
        self._finishing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing: asyncio.Future[None] | None = None

    @property
    def state(self) -> FlowState:
        if self._flow is None:
            return FlowState.CANCELLED if self._cancelled else FlowState.STARTING
        return self._flow.state

    @property
    def flow(self) -> DeviceFlow | None:
        return self._flow

    async def start(self) -> DeviceAuthorization:
        if self._flow is not None:
            raise RuntimeError("a DeviceLogin is started once: make a new one to try again")
        if self._cancelled:
            raise FlowCancelledError()
        self._loop = asyncio.get_running_loop()
        self._http = self._http_factory()
        oauth = OAuthClient(self._environment, http=self._http, governor=self._governor,
                            clock=self._clock)
        self._flow = DeviceFlow(oauth=oauth, clock=self._clock, sleep=self._sleep)
        try:
            return await self._flow.start(self._scope)
        except BaseException:
            await self._close()
            raise

    async def finish(self, on_state: Callable[[FlowState], None] | None = None) -> Account:
        if self._flow is None or self._http is None:
            raise RuntimeError("start() the login first")
        self._finishing = True
        try:
            return await connect_account(flow=self._flow, environment=self._environment,
                                         store=self._store, registry=self._registry,
                                         governor=self._governor, http=self._http,
                                         on_state=on_state)
        finally:
            await self._close()

    def cancel(self) -> None:
        """Stop the login at once. Safe from any thread: the work is done on the login's loop
        (the flow's task belongs to it)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._cancelled = True
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._cancel_here()
        else:
            loop.call_soon_threadsafe(self._cancel_here)

    def _cancel_here(self) -> None:
        self._cancelled = True
        if self._flow is not None:
            self._flow.cancel()
        if not self._finishing and self._http is not None:
            # finish() will never run to close the client: close it now.
            self._closing = asyncio.ensure_future(self._close())

    async def _close(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()
