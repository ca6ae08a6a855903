"""An account's access token for the API client, refreshed single-flight (ALLEGRO-API.md §4.2).

Allegro's refresh tokens rotate: each refresh returns a new pair, the used refresh token works
60 s more, and **a new pair invalidates the previous access token**. Two refreshes racing (two
threads, two tasks, two processes) therefore log each other out, and a refresh whose result is
lost leaves only the dying old refresh token (ALLEGRO-API.md §4.3, §4.4). So:

- one refresh at a time per account, across the GUI thread's loop and the sync thread's loop: a
  `threading.Lock`, acquired without blocking either event loop; whoever gets it second re-checks
  whether the token changed meanwhile (and re-reads the keyring, in case another process of the
  app refreshed) before refreshing again;
- the new pair is saved to the keyring before it is returned or used; if saving fails it is kept
  and saved on the next call rather than thrown away;
- a refused refresh (`invalid_grant`) or missing tokens mean the seller must connect again
  (`on_reconnect_needed`); the dead refresh token is never tried again: token issuance is
  rate-limited and retrying cannot help;
- refreshes are rare, so each one gets a short-lived `httpx.AsyncClient` of its own: a client
  belongs to the loop it was made on, and this object serves two loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import ReconnectNeededError
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text

log = logging.getLogger("allegro_desktop.auth")

_LOCK_POLL_MIN = 0.001
_LOCK_POLL_MAX = 0.02


class TokenProvider:
    """The `AccessTokenSource` of one account in one environment (see `api.tokens`).

    Shared by every thread and loop that calls Allegro for the account. `on_reconnect_needed`
    is called with the account key each time `ReconnectNeededError` is raised (possibly from the
    sync thread, and more than once): make it idempotent and thread-safe (e.g. a queued signal).
    """

    def __init__(self, *, account_key: str, environment: Environment, store: TokenStore,
                 governor: RequestGovernor,
                 http_factory: Callable[[], httpx.AsyncClient] = make_http_client,
                 on_reconnect_needed: Callable[[str], None] | None = None,
                 refresh_margin: float = 300.0,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._account_key = account_key
        self._environment = environment
        self._store = store
        self._governor = governor
        self._http_factory = http_factory
        self._on_reconnect_needed = on_reconnect_needed
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._sleep = sleep  # paces the OAuth client's retries of a failed refresh request
        self._lock = threading.Lock()
        # Read without the lock on the fast paths (a reference read is atomic); written only
        # with the lock held.
        self._pair: TokenPair | None = None
        self._lifetime: tuple[str, float] | None = None  # (access token, lifetime) we saw issued
        self._unsaved: TokenPair | None = None  # refreshed, but the keyring refused it so far
        self._dead_refresh_token: str | None = None  # refused by Allegro: never sent again

    @property
    def account_key(self) -> str:
        return self._account_key

    # -- AccessTokenSource ---------------------------------------------------------------

    async def access_token(self) -> str:
        """A token with more than `refresh_margin` seconds left (refreshed ahead if needed)."""
        pair = self._pair
        if pair is not None and not self._expiring(pair):
            return pair.access_token
        async with self._single_flight():
            pair = self._pair
            if pair is None or self._expiring(pair):  # nobody refreshed while we waited
                pair = await self._reload()
                if self._expiring(pair):
                    pair = await self._refresh(pair)
            return pair.access_token

    async def token_rejected(self, token: str) -> str:
        """Allegro answered 401 invalid_token to `token`: a newer token, refreshing only if
        nobody did already."""
        pair = self._pair
        if pair is not None and pair.access_token != token:
            return pair.access_token  # already replaced
        async with self._single_flight():
            pair = self._pair
            if pair is None or pair.access_token == token:
                pair = await self._reload()
                if pair.access_token == token:
                    pair = await self._refresh(pair)
            return pair.access_token

    # -- internals -----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _single_flight(self) -> AsyncIterator[None]:
        """Hold the account's refresh lock without blocking the event loop.

        A short polling acquire rather than `to_thread(lock.acquire)`: a cancelled waiter
        leaves no thread behind that would take the lock later and never release it, and no
        executor worker is tied up while another refresh runs.
        """
        delay = _LOCK_POLL_MIN
        while not self._lock.acquire(blocking=False):
            await asyncio.sleep(delay)
            delay = min(delay * 2, _LOCK_POLL_MAX)
        try:
            yield
        finally:
            self._lock.release()

    def _expiring(self, pair: TokenPair) -> bool:
        margin = self._refresh_margin
        if self._lifetime is not None and self._lifetime[0] == pair.access_token:
            # A pair living shorter than the margin would otherwise be refreshed on every call.
            margin = min(margin, self._lifetime[1] / 2)
        return pair.access_expires_at - self._clock() < margin

    async def _reload(self) -> TokenPair:
        """The account's current pair from the keyring (lock held): another process of the app
        may have refreshed it, or the seller connected the account again."""
        if self._unsaved is not None:
            await asyncio.to_thread(self._store.save, self._account_key, self._unsaved)
            self._pair, self._unsaved = self._unsaved, None
        stored = await asyncio.to_thread(self._store.load, self._account_key)
        if stored is None:
            self._pair = None
            self._notify_reconnect_needed()
            raise ReconnectNeededError(
                f"no tokens are stored for {self._account_key}", error="no_tokens",
                user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "This Allegro account is not connected on this computer any "
                    "more. Connect it again.")))
        if stored.refresh_token == self._dead_refresh_token:
            self._pair = None
            self._notify_reconnect_needed()
            raise ReconnectNeededError(
                f"the refresh token of {self._account_key} was refused earlier",
                error="invalid_grant",
                user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "Allegro no longer accepts this app's access to the account. "
                    "Connect the account again.")))
        if self._pair is None or stored.access_token != self._pair.access_token:
            log.debug("Using the token pair stored for %s", self._account_key)
        self._pair = stored
        return stored

    async def _refresh(self, pair: TokenPair) -> TokenPair:
        """Exchange the refresh token for a new pair and save it (lock held).

        Shielded from cancellation: once the request may have reached Allegro, the old pair
        is dead, and dropping the answer (the app closing, a sync cancelled) would cost the
        account its connection. A cancelled caller waits for the exchange to finish and be
        saved — keeping the single-flight lock meanwhile — and is cancelled after that.
        """
        exchange = asyncio.ensure_future(self._exchange(pair))
        try:
            return await asyncio.shield(exchange)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await exchange
            raise

    async def _exchange(self, pair: TokenPair) -> TokenPair:
        log.info("Refreshing the tokens of %s", self._account_key)
        started = self._clock()
        async with self._http_factory() as http:
            oauth = OAuthClient(self._environment, http=http, governor=self._governor,
                                clock=self._clock, sleep=self._sleep)
            try:
                new = await oauth.refresh(pair.refresh_token)
            except ReconnectNeededError:
                self._dead_refresh_token = pair.refresh_token
                self._pair = None
                log.warning("Allegro refused to refresh the tokens of %s: the account must be "
                            "connected again", self._account_key)
                self._notify_reconnect_needed()
                raise
        # The old pair is dead from now on: the new one must reach the keyring before use.
        # Until it has, nothing is handed out (the next call tries to save it again).
        self._pair, self._unsaved = None, new
        await asyncio.to_thread(self._store.save, self._account_key, new)
        self._pair, self._unsaved = new, None
        self._lifetime = (new.access_token, new.access_expires_at - started)
        log.info("Refreshed the tokens of %s", self._account_key)
        return new

    def _notify_reconnect_needed(self) -> None:
        if self._on_reconnect_needed is not None:
            self._on_reconnect_needed(self._account_key)
