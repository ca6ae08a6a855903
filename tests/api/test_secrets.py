"""No token, secret or device code in any log record or exception text (ARCHITECTURE.md
"Conventions").

One whole life of an account runs with every logger at DEBUG: the device flow (pending, token,
a reused code), REST calls, an expired token refreshed on 401, a rotation, a refused refresh
(Allegro echoes the token in that answer), a wrong client secret. Then every log record and
every exception text is searched for every secret that existed.
"""

from __future__ import annotations

import base64
import logging

import httpx
import pytest

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.api.errors import (
    AuthorizationPending,
    ClientCredentialsError,
    InvalidDeviceCode,
    ReconnectNeededError,
)
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.emulator.core import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.helpers.api_stack import (
    FAST_RETRY,
    FakeClock,
    RecordingSleep,
    RefreshingTokens,
    emulator_environment,
)
from tests.helpers.emulator import StartEmulator

WRONG_SECRET = "a-wrong-secret-typed-by-hand"


def _texts(exc: BaseException) -> list[str]:
    """Everything an exception could show: its text, its user message, its chain."""
    texts: list[str] = []
    current: BaseException | None = exc
    while current is not None:
        texts += [str(current), repr(current), str(getattr(current, "user_message", ""))]
        current = current.__cause__ or current.__context__
    return texts


async def test_no_secret_reaches_a_log_record_or_an_exception(
        start_emulator: StartEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's and httpcore's
    emu = start_emulator(orders=10)
    clock = FakeClock()
    sleep = RecordingSleep(clock)
    governor = RequestGovernor(clock=clock, sleep=sleep)
    environment = emulator_environment(emu)
    secrets: set[str] = {DEMO_CLIENT_SECRET, WRONG_SECRET}
    for secret in (DEMO_CLIENT_SECRET, WRONG_SECRET):
        secrets.add(base64.b64encode(f"{DEMO_CLIENT_ID}:{secret}".encode()).decode())
    errors: list[BaseException] = []

    async with make_http_client() as http:
        oauth = OAuthClient(environment, http=http, governor=governor, clock=clock, sleep=sleep)
        device = await oauth.start_device_flow()
        secrets.add(device.device_code)
        with pytest.raises(AuthorizationPending) as pending:
            await oauth.poll_device_token(device.device_code)
        errors.append(pending.value)
        emu.advance(10)
        emu.control("POST", "/device/approve", {"user_code": device.user_code})
        pair = await oauth.poll_device_token(device.device_code)
        secrets |= {pair.access_token, pair.refresh_token}
        emu.advance(10)
        with pytest.raises(InvalidDeviceCode) as reused:
            await oauth.poll_device_token(device.device_code)
        errors.append(reused.value)

        tokens = RefreshingTokens(pair, oauth=oauth)
        client = AllegroClient(environment, http=http, tokens=tokens, governor=governor,
                               retry=FAST_RETRY, sleep=sleep, clock=clock)
        await client.me()
        emu.control("POST", "/tokens/expire", {})
        await client.checkout_forms()  # 401 "Access token expired: <token>", refresh, repeat
        secrets |= {tokens.pair.access_token, tokens.pair.refresh_token}
        emu.control("POST", "/faults", {"script": ["drop"]})  # a retried refresh, logged
        rotated = await oauth.refresh(tokens.pair.refresh_token)
        secrets |= {rotated.access_token, rotated.refresh_token}

        emu.advance(61)  # the used refresh token's grace is over
        with pytest.raises(ReconnectNeededError) as refused:  # "Invalid refresh token: <t>"
            await oauth.refresh(tokens.pair.refresh_token)
        errors.append(refused.value)

        wrong = OAuthClient(emulator_environment(emu, client_secret=WRONG_SECRET), http=http,
                            governor=governor, clock=clock, sleep=sleep)
        with pytest.raises(ClientCredentialsError) as bad_secret:
            await wrong.refresh(rotated.refresh_token)
        errors.append(bad_secret.value)
        assert "<redacted>" in str(refused.value)  # the echoed token was there, and scrubbed

    records = [record.getMessage() for record in caplog.records]
    assert any(record.name == "allegro_desktop.api" for record in caplog.records)
    assert any("-> 401" in message for message in records)
    shown = records + [text for exc in errors for text in _texts(exc)]
    leaks = sorted({secret[:12] + "…" for secret in secrets
                    for text in shown if secret in text})
    assert leaks == []
    assert all(secret not in repr(x) for x in (pair, rotated, device, oauth, client,
                                              environment) for secret in secrets)


def test_an_httpx_error_text_never_carries_the_request_headers() -> None:
    """Our NetworkError quotes httpx's exception text: make sure that text has no headers."""
    request = httpx.Request("GET", "https://api.allegro.pl/me",
                            headers={"Authorization": "Bearer eyJsecret.eyJsecret.sig"})
    for exc in (httpx.ReadTimeout("timed out", request=request),
                httpx.RemoteProtocolError("peer closed", request=request)):
        assert "eyJ" not in str(exc)
        assert "eyJ" not in repr(exc)


def test_scrub_keeps_order_ids_but_not_tokens() -> None:
    from allegro_desktop.api.errors import scrub

    order = "17e1d810-21ff-11f1-9f37-050f56aa6fd6"
    token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX25hbWUiOiIxIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU"
    device_code = "0123456789abcdef0123456789abcdef"
    text = scrub(f"Checkout form {order} not found; token {token}; code {device_code}")
    assert order in text
    assert token not in text
    assert device_code not in text
