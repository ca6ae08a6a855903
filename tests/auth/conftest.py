"""Fixtures of the auth tests: a fresh in-memory keyring, an emulator whose clock the code under
test reads and moves (so a 5 s polling interval costs no real time), and the app's pieces wired
to it the way the composition root wires them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.oauth import OAuthClient, parse_token_pair
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.auth.credentials import resolve_environment
from allegro_desktop.auth.device_flow import DeviceFlow
from allegro_desktop.auth.token_store import TokenStore
from tests.conftest import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring


@dataclass
class EmulatorTime:
    """The emulator's clock, as `clock` and `sleep` for the code under test.

    `sleep(s)` advances the emulator's clock by `s` (through its control API, from a worker
    thread so the loop keeps running) and returns at once; `sleeps` records every request.
    `skew` maps a requested sleep to the seconds actually advanced: a clock running fast.
    """

    emu: RunningEmulator
    sleeps: list[float] = field(default_factory=list)
    skew: Callable[[int, float], float] | None = None
    before_return: Callable[[int], Awaitable[None]] | None = None

    def clock(self) -> float:
        return self.emu.emulator.clock.time()

    async def sleep(self, seconds: float) -> None:
        index = len(self.sleeps)
        self.sleeps.append(seconds)
        advance = self.skew(index, seconds) if self.skew else seconds
        await asyncio.to_thread(self.emu.advance, advance)
        if self.before_return is not None:
            await self.before_return(index)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(memory_keyring: MemoryKeyring) -> TokenStore:
    return TokenStore(backend=memory_keyring)


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator()


@pytest.fixture
def environment(emu: RunningEmulator) -> Environment:
    """The emulator as an environment, with the credentials the app would resolve for it."""
    return resolve_environment(emu.base_url, settings_client_id=None, store=None, env={})


@pytest.fixture
def etime(emu: RunningEmulator) -> EmulatorTime:
    return EmulatorTime(emu)


@pytest.fixture
def governor() -> RequestGovernor:
    return RequestGovernor()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client() as client:
        yield client


@pytest.fixture
def oauth(environment: Environment, http: httpx.AsyncClient, governor: RequestGovernor,
          etime: EmulatorTime) -> OAuthClient:
    # No retries inside one poll: the flow's own handling of failures is what is tested.
    return OAuthClient(environment, http=http, governor=governor, clock=etime.clock,
                       sleep=etime.sleep, retry=RetryPolicy(max_attempts=1))


@pytest.fixture
def make_flow(oauth: OAuthClient, etime: EmulatorTime) -> Callable[[], DeviceFlow]:
    return lambda: DeviceFlow(oauth=oauth, clock=etime.clock, sleep=etime.sleep)


def a_pair(length: int = 40, tag: str = "a") -> TokenPair:
    """A made-up pair (for the store's own tests: no server involved)."""
    return TokenPair(access_token="A" * length + tag, refresh_token="R" * length + tag,
                     access_expires_at=1_800_000_000.5, refresh_expires_at=1_807_776_000.0,
                     scope="allegro:api:orders:read allegro:api:profile:read")


def stats(emu: RunningEmulator) -> dict[str, int]:
    """The emulator's OAuth counters (device_polls, refreshes, pairs_issued, ...)."""
    counters: dict[str, int] = emu.control("GET", "/stats")["oauth"]
    return counters


def login_pair(emu: RunningEmulator, etime: EmulatorTime) -> TokenPair:
    """A token pair of the first seller, through the emulator's real device flow."""
    return parse_token_pair(emu.login(), now=etime.clock())


def pending_user_code(emu: RunningEmulator) -> str:
    (device,) = emu.control("GET", "/device")
    code: str = device["user_code"]
    return code
