"""The process-wide request budget per Allegro client id: a token bucket and the 429 pause.

Allegro allows 9000 requests a minute per client id — shared by every seller, every thread and,
in production, every installed copy of the app — and answers 429 past it with a block of a
minute that grows with every request made during it (ALLEGRO-API.md §6.1, §6.3; staff in
[#3454]). So:

- one `RequestGovernor` per process, created by the composition root and passed to every
  `AllegroClient` and `OAuthClient` in every thread and event loop;
- before each request, `await governor.acquire(client_id)`: it waits (with the loop's sleep,
  never blocking a thread) until the bucket has a token;
- after a 429, `governor.pause(client_id, seconds)`: until then `acquire` raises
  `RateLimitedError` at once and nothing is sent — probing a block only makes it longer.

State is guarded by a `threading.Lock` held only for arithmetic, never across an `await`, so
tasks of different loops in different threads can share one instance.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from allegro_desktop.api.errors import RateLimitedError

#: Allegro's documented limit per client id (ALLEGRO-API.md §6.1).
DEFAULT_PER_MINUTE = 9000

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RequestGovernor:
    """Token bucket and 429 pause per client id; thread-safe, loop-agnostic.

    `per_minute` is the refill rate; `burst` the bucket's size (default: one second's worth, so
    a burst never eats a large slice of the minute that other copies of the app share).
    The bucket lends ahead: an acquire that finds it empty takes a token anyway (the level goes
    negative) and sleeps until that token would have arrived. Each waiter sleeps once, for
    exactly its turn, and waiters are served in arrival order.

    `clock` gives epoch seconds (the pause's `retry_at` is shown to the user as a time);
    `clock` and `sleep` are injectable so tests run without waiting.
    """

    def __init__(self, *, per_minute: int = DEFAULT_PER_MINUTE, burst: int | None = None,
                 clock: Clock = time.time, sleep: Sleep = asyncio.sleep) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        if burst is not None and burst < 1:
            raise ValueError("burst must be at least 1")
        self.per_minute = per_minute
        self.burst = burst if burst is not None else max(1, per_minute // 60)
        self._rate = per_minute / 60.0  # tokens a second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self._paused_until: dict[str, float] = {}

    async def acquire(self, client_id: str) -> None:
        """Wait for this client id's turn to send one request.

        Raises `RateLimitedError` without waiting while the client id is paused (also when a
        pause starts while this call waits for its token): a caller must not send anything
        then, and should not sit in a queue for a minute either.
        """
        wait = self._take(client_id)
        if wait <= 0:
            return
        try:
            await self._sleep(wait)
        except asyncio.CancelledError:
            self._give_back(client_id)
            raise
        self._check_pause(client_id)

    def pause(self, client_id: str, seconds: float) -> float:
        """Stop all requests of `client_id` for `seconds` from now (a 429 was answered).

        An existing longer pause is kept. Returns the time (epoch seconds) the pause ends.
        """
        with self._lock:
            until = max(self._clock() + max(seconds, 0.0), self._paused_until.get(client_id, 0.0))
            self._paused_until[client_id] = until
            return until

    def paused_until(self, client_id: str) -> float | None:
        """When the current pause of `client_id` ends (epoch seconds), or None if not paused."""
        with self._lock:
            until = self._paused_until.get(client_id)
            if until is None:
                return None
            if until <= self._clock():
                del self._paused_until[client_id]
                return None
            return until

    # -- internals -------------------------------------------------------------------------

    def _check_pause(self, client_id: str) -> None:
        until = self.paused_until(client_id)
        if until is not None:
            raise RateLimitedError(
                f"requests of client {client_id} are paused after a 429", retry_at=until)

    def _take(self, client_id: str) -> float:
        """Take a token (possibly on credit); the seconds to wait before using it."""
        self._check_pause(client_id)
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(client_id)
            if bucket is None:
                bucket = self._buckets[client_id] = _Bucket(float(self.burst), now)
            # max(): a wall clock stepped backwards must not drain the bucket.
            elapsed = max(now - bucket.updated, 0.0)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self._rate)
            bucket.updated = now
            bucket.tokens -= 1.0
            return 0.0 if bucket.tokens >= 0 else -bucket.tokens / self._rate

    def _give_back(self, client_id: str) -> None:
        """A waiter was cancelled: the token it borrowed goes back to the bucket."""
        with self._lock:
            bucket = self._buckets.get(client_id)
            if bucket is not None:
                bucket.tokens = min(float(self.burst), bucket.tokens + 1.0)
