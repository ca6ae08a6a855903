"""Our API clients wired to a real emulator over HTTP (`Api`), with time that is ours to move.

The clients get a `FakeClock` and a `RecordingSleep` that records each requested wait and moves
the clock instead of waiting, so backoff, token-bucket spacing and the 429 pause are asserted as
numbers, never as wall time. The emulator's own clock moves through its control API
(`emu.advance`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.environments import Environment, environment_from_key
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.emulator.core import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.helpers.emulator import RunningEmulator

#: Where the fake clock starts (2027-01-15, epoch seconds); any fixed value would do.
T0 = 1_800_000_000.0


class FakeClock:
    """Epoch seconds that move only when told to."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """An injectable `sleep`: records the wait, moves the fake clock, yields to the loop once."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)
        await asyncio.sleep(0)


class RefreshingTokens:
    """A minimal `AccessTokenSource` (auth/ has the real one): one pair in memory, refreshed
    single-flight through `OAuthClient.refresh` when the API client reports a rejection."""

    def __init__(self, pair: TokenPair, *, oauth: OAuthClient) -> None:
        self.pair = pair
        self.oauth = oauth
        self.refreshes = 0
        self._lock = asyncio.Lock()

    async def access_token(self) -> str:
        return self.pair.access_token

    async def token_rejected(self, token: str) -> str:
        async with self._lock:
            if token == self.pair.access_token:  # nobody refreshed since it was handed out
                self.pair = await self.oauth.refresh(self.pair.refresh_token)
                self.refreshes += 1
            return self.pair.access_token


def emulator_environment(emu: RunningEmulator, *, client_id: str = DEMO_CLIENT_ID,
                         client_secret: str = DEMO_CLIENT_SECRET) -> Environment:
    return environment_from_key(emu.base_url).with_credentials(client_id, client_secret)


async def device_login(emu: RunningEmulator, oauth: OAuthClient,
                       scope: str | None = None) -> TokenPair:
    """The whole device flow through our client; the seller approves through the control API."""
    device = await oauth.start_device_flow(scope)
    emu.control("POST", "/device/approve", {"user_code": device.user_code})
    return await oauth.poll_device_token(device.device_code)


#: Retries without real waiting: RecordingSleep records the backoff instead of sleeping.
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


@dataclass
class Api:
    """Everything one test needs: the emulator and our stack wired to it."""

    emu: RunningEmulator
    environment: Environment
    http: httpx.AsyncClient
    clock: FakeClock
    sleep: RecordingSleep
    governor: RequestGovernor
    oauth: OAuthClient
    tokens: RefreshingTokens
    client: AllegroClient

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.emu.control("GET", "/stats")
        return stats

    def api_requests(self) -> int:
        return int(self.stats()["api_requests"])

    def truth(self) -> list[dict[str, Any]]:
        """Every order exactly as GET /order/checkout-forms/{id} returns it (ground truth)."""
        forms: list[dict[str, Any]] = self.emu.control("GET", "/checkout-forms")["checkoutForms"]
        return forms


MakeApi = Callable[..., Awaitable[Api]]
