"""After a whole connect → use → refresh → revoke cycle, no token, refresh token, device code or
client secret is in the accounts file or in any log line of the app (ARCHITECTURE.md "Secrets",
"Conventions")."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import ReconnectNeededError
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry, connect_account
from allegro_desktop.auth.device_flow import DeviceFlow
from allegro_desktop.auth.token_provider import TokenProvider
from allegro_desktop.auth.token_store import TokenStore
from tests.helpers.auth_flow import EmulatorTime, approve_first_pending, stats
from tests.helpers.emulator import RunningEmulator

#: The emulator plays Allegro's servers: what it logs is not the app's log.
SERVER_SIDE = ("allegro_desktop.emulator", "aiohttp")


def tokens_of(store: TokenStore, key: str) -> set[str]:
    pair = store.load(key)
    assert pair is not None
    return {pair.access_token, pair.refresh_token}


async def test_no_secret_reaches_the_logs_or_the_accounts_file(
        *, emu: RunningEmulator, make_flow: Callable[[], DeviceFlow], etime: EmulatorTime,
        environment: Environment, store: TokenStore,
        governor: RequestGovernor, http: httpx.AsyncClient, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    registry = AccountRegistry(tmp_path / "accounts.json")
    secrets: set[str] = {environment.client_secret, base64.b64encode(
        f"{environment.client_id}:{environment.client_secret}".encode()).decode()}

    # connect
    flow = make_flow()
    authorization = await flow.start()
    secrets.add(authorization.device_code)
    etime.before_return = approve_first_pending(emu)
    account = await connect_account(flow=flow, environment=environment, store=store,
                                    registry=registry, governor=governor, http=http)
    etime.before_return = None
    secrets |= tokens_of(store, account.key)

    # use, with a token Allegro has expired meanwhile: the client asks for a newer one
    reconnect: list[str] = []
    provider = TokenProvider(account_key=account.key, environment=environment, store=store,
                             governor=governor, clock=etime.clock, sleep=etime.sleep,
                             on_reconnect_needed=reconnect.append)
    client = AllegroClient(environment, http=http, tokens=provider, governor=governor,
                           clock=etime.clock, sleep=etime.sleep)
    emu.control("POST", "/tokens/expire", {})
    assert (await client.me()).login == "DomOgrodPlus"
    assert stats(emu)["refreshes"] == 1
    secrets |= tokens_of(store, account.key)

    # refresh ahead of expiry
    emu.advance(43200 - 100)
    await provider.access_token()
    assert stats(emu)["refreshes"] == 2
    secrets |= tokens_of(store, account.key)

    # the seller unlinks the app: Allegro echoes the refused refresh token in its answer
    emu.control("POST", "/tokens/revoke", {})
    emu.control("POST", "/tokens/expire", {})
    with pytest.raises(ReconnectNeededError) as caught:
        await client.me()
    assert reconnect == [account.key]

    secrets = {s for s in secrets if s}
    assert len(secrets) >= 8  # 3 pairs, device code, client secret, Basic credentials
    app_log = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
        if not r.name.startswith(SERVER_SIDE))
    assert "Refreshing the tokens" in app_log  # the log was captured at all
    registry_file = registry.path.read_text(encoding="utf-8")
    shown = f"{caught.value} {caught.value.user_message}"
    for secret in secrets:
        assert secret not in app_log
        assert secret not in registry_file
        assert secret not in shown
