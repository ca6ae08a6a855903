"""How long one network exchange may take and how much of its answer is read: the app's
numbers for every HTTP request it makes, declared here once.

httpx's own timeouts bound each phase (connecting, each read), but a read timeout starts again
with every byte: a server that trickles one byte every few seconds would hold a request for
ever. So every exchange also has a *deadline* — connecting, the answer's head and its whole
body, however the bytes trickle — and a *cap* on the body it reads, so an endless or 1 GiB
answer is never read into memory. `api.wire.send` enforces both; the callers pass the
`NetworkLimits` of their use (tests pass their own, e.g. a deadline of a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import httpx

__all__ = [
    "API_LIMITS",
    "OAUTH_LIMITS",
    "PROBE_LIMITS",
    "QUIT_GRACE",
    "WEBHOOK_LIMITS",
    "NetworkLimits",
]

_KIB: Final = 1024
_MIB: Final = 1024 * _KIB


@dataclass(frozen=True, slots=True)
class NetworkLimits:
    """The bounds of one HTTP exchange.

    `deadline`: seconds for the whole exchange (connect + head + whole body);
    `max_body`: bytes of the (decoded) body read at most;
    `connect`: seconds to open a connection; `idle`: seconds without a byte (httpx's read,
    write and pool timeouts). Whichever bound is reached first ends the exchange.
    """

    deadline: float
    max_body: int
    connect: float
    idle: float

    def __post_init__(self) -> None:
        if min(self.deadline, self.connect, self.idle) <= 0 or self.max_body <= 0:
            raise ValueError("network limits must be positive")

    @property
    def timeout(self) -> httpx.Timeout:
        """httpx's per-phase timeouts."""
        return httpx.Timeout(self.idle, connect=self.connect)


#: Allegro's REST API. A page of 100 checkout forms is a few hundred kB, an event page of 1000
#: events about as much: a second or two on a good line, seconds on a slow mobile one. 32 MB
#: is a hundred times the largest answer seen; a minute for one answer is far more than any
#: working line needs, and with the client's retries a trickling server costs a few minutes of
#: a sync, never hangs it.
API_LIMITS: Final = NetworkLimits(deadline=60.0, max_body=32 * _MIB, connect=10.0, idle=30.0)

#: Allegro's OAuth endpoints (device flow, token refresh): answers of a few kB. Short, so that a
#: failed refresh can be repeated within the 60 s the used refresh token keeps working.
OAUTH_LIMITS: Final = NetworkLimits(deadline=10.0, max_body=64 * _KIB, connect=10.0, idle=10.0)

#: The outgoing webhook's receiver (Slack, Discord, the seller's own server): only its status
#: matters, the answer is read no further than 64 kB.
WEBHOOK_LIMITS: Final = NetworkLimits(deadline=10.0, max_body=64 * _KIB, connect=10.0,
                                      idle=10.0)

#: The "Allegro reachable" health check: any answer will do, and the seller is waiting.
PROBE_LIMITS: Final = NetworkLimits(deadline=5.0, max_body=64 * _KIB, connect=5.0, idle=5.0)

#: Seconds the app, when it quits, lets a request under way finish (a delivery to be recorded,
#: a token refresh to be saved); after that the request is abandoned. Quitting never waits for
#: the network much longer than this.
QUIT_GRACE: Final = 2.0
