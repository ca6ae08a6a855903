"""Every exchange of the app's HTTP clients has an overall deadline and a cap on the answer it
reads: real clients, through a hostile proxy in front of a real emulator (trickling and endless
answers), a raw server trickling even the answer's head, and a stand-in for what no proxy sends
(a compressed bomb, a 1 GiB announced body).

Deadlines here are a second, so real time passes; the tests assert on outcomes (which error,
how many requests, what the seller is told), never on how long something took.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from allegro_desktop.api.errors import MalformedResponseError, TooSlowError
from allegro_desktop.api.limits import (
    API_LIMITS,
    OAUTH_LIMITS,
    PROBE_LIMITS,
    WEBHOOK_LIMITS,
    NetworkLimits,
)
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy, is_retryable
from allegro_desktop.api.wire import AnswerTooLarge, DeadlineExceeded, send
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.services.health import CheckId, HealthChecker, Status
from tests.helpers.api_stack import (
    FakeClock,
    MakeApi,
    RecordingSleep,
    device_login,
    emulator_environment,
)
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.hostile_proxy import HostileProxy, Rule
from tests.helpers.memory_keyring import MemoryKeyring

#: A deadline of a second (the per-read timeouts longer: only the deadline can end a trickle).
SHORT = NetworkLimits(deadline=1.0, max_body=API_LIMITS.max_body, connect=5.0, idle=30.0)
#: One byte every half second: a page of orders would take days.
TRICKLE = (1, 0.5)
TWO_TRIES = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02)


@dataclass
class Proxied:
    """An emulator, and the hostile proxy the app reaches it through."""

    emu: RunningEmulator  # the test's own line to the emulator
    proxy: HostileProxy
    app_side: RunningEmulator  # the same emulator as the app sees it: through the proxy


@pytest.fixture
def proxied(start_emulator: StartEmulator) -> Iterator[Proxied]:
    emu = start_emulator(orders=20)
    with HostileProxy(emu.base_url) as proxy, \
            httpx.Client(base_url=proxy.base_url, timeout=10) as http:
        yield Proxied(emu, proxy, RunningEmulator(emu.emulator, proxy.base_url, http))


def test_the_app_s_limits_are_sane() -> None:
    for limits in (API_LIMITS, OAUTH_LIMITS, WEBHOOK_LIMITS, PROBE_LIMITS):
        assert max(limits.connect, limits.idle) <= limits.deadline  # no phase outlives it
        assert limits.timeout.read == limits.idle
    assert OAUTH_LIMITS.max_body < API_LIMITS.max_body
    with pytest.raises(ValueError, match="positive"):
        NetworkLimits(deadline=0, max_body=1, connect=1, idle=1)


# -- the REST client ---------------------------------------------------------------------------


async def test_a_trickling_answer_ends_at_its_deadline_is_retried_then_too_slow(
        proxied: Proxied, make_api: MakeApi, caplog: pytest.LogCaptureFixture) -> None:
    api = await make_api(emu=proxied.app_side, limits=SHORT, retry=TWO_TRIES)
    rule = proxied.proxy.add(Rule(path=r"^/me$", trickle=TRICKLE))
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.api"), \
            pytest.raises(TooSlowError) as caught:
        await api.client.me()
    assert proxied.proxy.hits(rule) == 2  # retried like a timeout, then given up
    assert "too slowly" in caught.value.user_message
    assert "within 1 s" in caught.value.user_message
    assert "DeadlineExceeded" in str(caught.value)
    final = [r for r in caplog.records if "failed after" in r.getMessage()]
    assert len(final) == 1  # the give-up logged once
    assert "DeadlineExceeded" in final[0].getMessage()

    proxied.proxy.clear()  # the fault stops: the same client works again
    profile = await api.client.me()
    assert profile.login


async def test_an_endless_answer_is_not_read_past_the_cap_nor_asked_again(
        proxied: Proxied, make_api: MakeApi) -> None:
    api = await make_api(emu=proxied.app_side)  # the real caps (32 MB)
    rule = proxied.proxy.add(Rule(path=r"^/order/events$", endless=65536))
    with pytest.raises(MalformedResponseError) as caught:
        await api.client.order_events()
    assert proxied.proxy.hits(rule) == 1  # the same request would get the same answer
    assert "larger than the 32.0 MB" in caught.value.user_message
    assert "AnswerTooLarge" in str(caught.value)

    proxied.proxy.clear()
    assert isinstance(await api.client.order_events(), list)


async def test_an_answer_announcing_more_than_the_cap_is_not_read_at_all(
        proxied: Proxied, make_api: MakeApi) -> None:
    small = NetworkLimits(deadline=10.0, max_body=4096, connect=5.0, idle=10.0)
    api = await make_api(emu=proxied.app_side, limits=small)
    proxied.proxy.add(Rule(path=r"^/order/checkout-forms$", times=1,
                           raw=lambda body, request: body + b" " * 8192))
    with pytest.raises(MalformedResponseError, match="announces"):
        await api.client.checkout_forms()


class _Endless(httpx.AsyncByteStream):
    """A body that never ends; counts the chunks anyone read of it."""

    def __init__(self) -> None:
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            self.read += 1
            yield b"0" * 65536


async def test_a_1_gib_or_a_compressed_bomb_is_never_read_into_memory() -> None:
    limits = NetworkLimits(deadline=10.0, max_body=1024 * 1024, connect=5.0, idle=10.0)
    endless = _Endless()
    bomb = gzip.compress(b"0" * (20 * 1024 * 1024))  # 20 kB on the wire, 20 MB decoded

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/huge":
            return httpx.Response(200, headers={"Content-Length": str(1 << 30)}, stream=endless)
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(AnswerTooLarge, match="announces 1073741824 bytes") as huge:
            await send(http, "GET", "https://api.example/huge", what="GET /huge",
                       limits=limits)
        assert endless.read == 0
        assert huge.value.head.status_code == 200
        assert not is_retryable(huge.value)
        with pytest.raises(AnswerTooLarge, match="longer than the 1048576 bytes"):
            await send(http, "GET", "https://api.example/bomb", what="GET /bomb",
                       limits=limits)
        # A body within the cap comes back decoded, its headers describing it as it is.
        fits = NetworkLimits(deadline=10.0, max_body=len(bomb) * 2000, connect=5.0, idle=10.0)
        response = await send(http, "GET", "https://api.example/bomb", what="GET /bomb",
                              limits=fits)
        assert len(response.content) == 20 * 1024 * 1024
        assert "content-encoding" not in response.headers
        assert response.headers["content-length"] == str(20 * 1024 * 1024)


async def test_the_deadline_covers_a_head_that_trickles_too() -> None:
    """A server trickling its status line and headers: each byte would restart httpx's read
    timeout; the deadline ends the exchange all the same."""
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    stop = asyncio.Event()

    async def trickle(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One byte of the answer every 0.2 s, until the test is over."""
        try:
            for byte in answer:
                writer.write(bytes([byte]))
                await writer.drain()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)
                if stop.is_set():
                    break
        except ConnectionError:  # the client gave up and closed the connection
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(trickle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(timeout=API_LIMITS.timeout) as http:
            with pytest.raises(DeadlineExceeded) as caught:
                await send(http, "GET", f"http://127.0.0.1:{port}/", what="GET /",
                           limits=SHORT)
        assert caught.value.head is None  # not even the head came
        assert is_retryable(caught.value)
    finally:
        stop.set()
        server.close()
        await server.wait_closed()


# -- the OAuth client ----------------------------------------------------------------------


async def test_a_trickling_token_answer_ends_at_its_deadline_and_the_refresh_recovers(
        proxied: Proxied) -> None:
    clock = FakeClock()
    sleep = RecordingSleep(clock)
    short = NetworkLimits(deadline=1.0, max_body=OAUTH_LIMITS.max_body, connect=5.0, idle=30.0)
    async with httpx.AsyncClient(timeout=API_LIMITS.timeout) as http:
        oauth = OAuthClient(emulator_environment(proxied.app_side), http=http,
                            governor=RequestGovernor(clock=clock, sleep=sleep), clock=clock,
                            sleep=sleep, retry=RetryPolicy(max_attempts=3, base_delay=0.01),
                            limits=short)
        pair = await device_login(proxied.app_side, oauth)
        rule = proxied.proxy.add(Rule(path=r"^/auth/oauth/token$", method="POST",
                                      trickle=TRICKLE))
        with pytest.raises(TooSlowError) as caught:
            await oauth.refresh(pair.refresh_token)
        assert proxied.proxy.hits(rule) == 3
        assert "too slowly" in caught.value.user_message
        assert pair.refresh_token not in str(caught.value)

        proxied.proxy.clear()  # Allegro did refresh; the used token still works a minute
        renewed = await oauth.refresh(pair.refresh_token)
        assert renewed.access_token != pair.access_token

        proxied.proxy.add(Rule(path=r"^/auth/oauth/device$", method="POST", trickle=TRICKLE))
        with pytest.raises(TooSlowError):
            await oauth.start_device_flow()


async def test_an_endless_token_answer_is_refused_unread(proxied: Proxied) -> None:
    async with httpx.AsyncClient() as http:
        oauth = OAuthClient(emulator_environment(proxied.app_side), http=http,
                            governor=RequestGovernor())
        rule = proxied.proxy.add(Rule(path=r"^/auth/oauth/device$", method="POST",
                                      endless=65536))
        with pytest.raises(MalformedResponseError) as caught:
            await oauth.start_device_flow()
        assert proxied.proxy.hits(rule) == 1
        assert "64.0 KB" in caught.value.user_message


# -- the health check ----------------------------------------------------------------------


def test_the_reachability_check_ends_at_its_deadline(proxied: Proxied, tmp_path: Path) -> None:
    checker = HealthChecker(data_dir=tmp_path, database_path=tmp_path / "orders.sqlite3",
                            store=TokenStore(backend=MemoryKeyring()),
                            registry=AccountRegistry(tmp_path / "accounts.json"),
                            environment_keys=[proxied.app_side.base_url], timeout=1.0)
    proxied.proxy.add(Rule(path=r"^/me$", trickle=TRICKLE))
    [result] = checker.check_api()
    assert result.check is CheckId.API
    assert result.status is Status.FAILED
    assert "did not answer within 1 s" in str(result.detail)

    proxied.proxy.clear()
    [result] = checker.check_api()
    assert result.status is Status.OK
