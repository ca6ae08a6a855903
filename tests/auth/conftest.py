"""Fixtures of the auth tests: a fresh in-memory keyring, an emulator whose clock the code under
test reads and moves (so a 5 s polling interval costs no real time), and the app's pieces wired
to it the way the composition root wires them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.auth.credentials import resolve_environment
from allegro_desktop.auth.device_flow import DeviceFlow
from allegro_desktop.auth.token_store import TokenStore
from tests.helpers.auth_flow import EmulatorTime
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring


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
