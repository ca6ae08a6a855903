"""Fixtures of the API client tests: `make_api` and `api`, our real clients against a real
emulator over HTTP, on a clock that moves only when told to (`tests/helpers/api_stack.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from tests.helpers.api_stack import (
    FAST_RETRY,
    Api,
    FakeClock,
    MakeApi,
    RecordingSleep,
    RefreshingTokens,
    device_login,
    emulator_environment,
)
from tests.helpers.emulator import RunningEmulator, StartEmulator


@pytest.fixture
async def make_api(start_emulator: StartEmulator) -> AsyncIterator[MakeApi]:
    """Build an `Api`: a fresh emulator (or the one given), a logged-in seller, our clients.

    Keyword arguments: `emu`, `orders`, `scope`, `timeout` (of the httpx client), `retry`,
    `governor`, and anything else `AllegroClient` takes.
    """
    clients: list[httpx.AsyncClient] = []

    async def make(*, emu: RunningEmulator | None = None, orders: int = 40,
                   scope: str | None = None, timeout: float | None = None,
                   retry: RetryPolicy = FAST_RETRY, governor: RequestGovernor | None = None,
                   **client_options: Any) -> Api:
        emu = emu or start_emulator(orders=orders)
        clock = FakeClock()
        sleep = RecordingSleep(clock)
        governor = governor or RequestGovernor(clock=clock, sleep=sleep)
        http = make_http_client(timeout=timeout)
        clients.append(http)
        environment = emulator_environment(emu)
        oauth = OAuthClient(environment, http=http, governor=governor, clock=clock,
                            sleep=sleep, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
        tokens = RefreshingTokens(await device_login(emu, oauth, scope), oauth=oauth)
        client = AllegroClient(environment, http=http, tokens=tokens, governor=governor,
                               retry=retry, sleep=sleep, clock=clock, **client_options)
        return Api(emu, environment, http, clock, sleep, governor, oauth, tokens, client)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def api(make_api: MakeApi) -> Api:
    """A seller with 40 orders of history, all scopes, default settings."""
    return await make_api()
