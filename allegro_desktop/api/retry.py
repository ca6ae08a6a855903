"""When and how long to wait before repeating a request, shared by the REST and OAuth clients.

What is worth a retry is what a desktop app meets on a real network and what Allegro's gateways
do now and then: timeouts, refused or dropped connections, bodies cut off half-way, 5xx answers
(often HTML from a gateway). 4xx answers never are: they will not change by asking again, and
429 must not be retried at all (it extends the block, ALLEGRO-API.md §6.3).
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

#: Transport failures after which the same request may well succeed. Not in the list:
#: `LocalProtocolError` and `UnsupportedProtocol` — a bug or a bad URL, not the network.
RETRYABLE_TRANSPORT_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,  # connect, read, write and pool timeouts
    httpx.NetworkError,  # connect errors, resets, reads and writes that fail
    httpx.RemoteProtocolError,  # the server closed the connection early or cut the body off
    httpx.ProxyError,
    httpx.DecodingError,  # a compressed body that ends half-way
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently idempotent requests are repeated.

    `max_attempts` counts the first try. The wait before retry n (1-based) is drawn uniformly
    from [0, min(max_delay, base_delay * 2**(n-1))] — capped exponential backoff with full
    jitter, so many clients that failed together do not come back together.

    After a 429 without `Retry-After` (Allegro documents none, ALLEGRO-API.md §6.4) the client id
    pauses `rate_limit_pause` seconds plus up to `rate_limit_jitter` more: Allegro's block is a
    minute, and every copy of the app shares the client id.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    rate_limit_pause: float = 60.0
    rate_limit_jitter: float = 10.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.base_delay, self.max_delay, self.rate_limit_pause,
               self.rate_limit_jitter) < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, retry: int, *, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number `retry` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** max(retry - 1, 0))
        return float(rng() * ceiling)

    def rate_limit_seconds(self, retry_after: str | None, *, now: float,
                           rng: Callable[[], float] = random.random) -> float:
        """How long to pause after a 429: its `Retry-After` if usable, else a jittered minute."""
        seconds = parse_retry_after(retry_after, now=now)
        if seconds is not None:
            return seconds
        return self.rate_limit_pause + rng() * self.rate_limit_jitter


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """`Retry-After` as seconds from `now` (delay-seconds or an HTTP date), None if unusable.

    Bounded to [1 s, 1 h]: zero would make the client hammer the block, and a far future date is
    more likely a broken clock than a real instruction.
    """
    if not value:
        return None
    value = value.strip()
    seconds: float
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            return None
        seconds = moment.timestamp() - now
    return min(max(seconds, 1.0), 3600.0)


def is_retryable(exc: BaseException) -> bool:
    """Whether a transport failure (not an HTTP status) is worth another try."""
    return isinstance(exc, RETRYABLE_TRANSPORT_ERRORS)
