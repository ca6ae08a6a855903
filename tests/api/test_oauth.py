"""OAuthClient against the emulator's OAuth endpoints, over real HTTP (ALLEGRO-API.md §3, §4)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    AccessDenied,
    AuthorizationPending,
    ClientCredentialsError,
    DeviceFlowError,
    InvalidDeviceCode,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ReconnectNeededError,
    SlowDown,
    UnauthorizedClientError,
)
from allegro_desktop.api.oauth import (
    REFRESH_TOKEN_LIFETIME,
    OAuthClient,
    parse_device_authorization,
    parse_token_pair,
)
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.emulator.core import WEB_CLIENT_ID, WEB_CLIENT_SECRET
from tests.helpers.api_stack import (
    T0,
    FakeClock,
    RecordingSleep,
    device_login,
    emulator_environment,
)
from tests.helpers.emulator import RunningEmulator, StartEmulator

ORDERS_READ = "allegro:api:orders:read"


class Harness:
    """An OAuthClient for an emulator, with the fake clock and sleep it was given."""

    def __init__(self, emu: RunningEmulator, http: httpx.AsyncClient,
                 environment: Environment | None = None) -> None:
        self.emu = emu
        self.clock = FakeClock()
        self.sleep = RecordingSleep(self.clock)
        self.governor = RequestGovernor(clock=self.clock, sleep=self.sleep)
        self.environment = environment or emulator_environment(emu)
        self.oauth = OAuthClient(self.environment, http=http, governor=self.governor,
                                 clock=self.clock, sleep=self.sleep,
                                 retry=RetryPolicy(max_attempts=3, base_delay=0.01))

    def counters(self) -> dict[str, int]:
        stats = self.emu.control("GET", "/stats")
        return {"api_requests": stats["api_requests"], **stats["oauth"]}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client() as client:
        yield client


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator()


@pytest.fixture
def h(emu: RunningEmulator, http: httpx.AsyncClient) -> Harness:
    return Harness(emu, http)


# -- step 1: device authorization ------------------------------------------------------------


async def test_device_flow_start_parses_the_answer(h: Harness) -> None:
    device = await h.oauth.start_device_flow()
    assert len(device.user_code) == 9
    assert len(device.device_code) == 32
    assert device.expires_at == T0 + 3600  # relative to when we asked, on our clock
    assert device.interval == 5
    assert device.verification_uri == f"{h.emu.base_url}/skojarz-aplikacje"
    assert device.verification_uri_complete.endswith(f"?code={device.user_code}")
    assert device.device_code not in repr(device)
    pending = h.emu.control("GET", "/device")
    assert [d["user_code"] for d in pending] == [device.user_code]


async def test_device_answer_with_strings_as_the_docs_show_them() -> None:
    """Allegro's tutorial shows `"expires_in": "3600", "interval": "5"`; real answers (and the
    emulator) have numbers, so the string form is served by a stand-in Allegro here."""
    seen: list[httpx.Request] = []

    def docs_allegro(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={
            "user_code": "cbt3zdu4g", "device_code": "645629715", "expires_in": "3600",
            "interval": "5", "verification_uri": "https://allegro.pl/skojarz-aplikacje",
            "verification_uri_complete": "https://allegro.pl/skojarz-aplikacje?code=cbt3zdu4g"})

    clock = FakeClock()
    environment = Environment("production", "https://allegro.pl", "https://api.allegro.pl",
                              "app-id", "app-secret")
    async with make_http_client(transport=httpx.MockTransport(docs_allegro)) as http:
        oauth = OAuthClient(environment, http=http, clock=clock,
                            governor=RequestGovernor(clock=clock))
        device = await oauth.start_device_flow(["allegro:api:orders:read",
                                                "allegro:api:orders:write"])
    assert device.expires_at == T0 + 3600
    assert device.interval == 5.0
    assert device.formatted_user_code == "CBT 3ZD U4G"
    request = seen[0]
    assert request.url.path == "/auth/oauth/device"
    assert request.url.params["client_id"] == "app-id"
    assert request.headers["Authorization"] == "Basic YXBwLWlkOmFwcC1zZWNyZXQ="
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == b"scope=allegro%3Aapi%3Aorders%3Aread+allegro%3Aapi%3Aorders%3Awrite"


def test_parsing_tolerates_what_the_rfc_allows_and_refuses_garbage() -> None:
    body = {"user_code": "abc", "device_code": "d", "expires_in": 600,
            "verification_uri": "https://allegro.pl/skojarz-aplikacje"}
    device = parse_device_authorization(body, now=100.0)
    assert device.interval == 5.0  # RFC 8628's default
    assert device.verification_uri_complete == "https://allegro.pl/skojarz-aplikacje?code=abc"
    for bad in ({**body, "expires_in": "soon"}, {**body, "interval": -1},
                {**body, "expires_in": True}, {k: v for k, v in body.items() if k != "user_code"},
                ["not", "an", "object"]):
        with pytest.raises(MalformedResponseError):
            parse_device_authorization(bad, now=100.0)
    pair = parse_token_pair({"access_token": "a", "refresh_token": "r", "expires_in": "43199",
                             "scope": ["x", "y"]}, now=100.0)
    assert (pair.access_expires_at, pair.scope) == (100.0 + 43199, "x y")
    with pytest.raises(MalformedResponseError):
        parse_token_pair({"access_token": "a", "expires_in": 1}, now=0.0)


# -- step 3: polling -------------------------------------------------------------------------


async def test_every_poll_outcome_until_the_token(h: Harness) -> None:
    device = await h.oauth.start_device_flow()
    with pytest.raises(AuthorizationPending):
        await h.oauth.poll_device_token(device.device_code)
    with pytest.raises(SlowDown) as slow:  # again at once: sooner than `interval`
        await h.oauth.poll_device_token(device.device_code)
    assert slow.value.add_seconds == 5.0
    assert slow.value.error == "slow_down"
    h.emu.advance(10)
    h.emu.control("POST", "/device/approve", {"user_code": device.user_code})
    h.clock.advance(30)
    pair = await h.oauth.poll_device_token(device.device_code)
    assert pair.access_token.startswith("eyJ")
    assert pair.refresh_token.startswith("eyJ")
    assert pair.refresh_token != pair.access_token
    assert pair.access_expires_at == T0 + 30 + 43199  # from our request time
    assert pair.refresh_expires_at == T0 + 30 + REFRESH_TOKEN_LIFETIME
    assert "allegro:api:orders:read" in pair.scope.split()
    assert pair.access_token not in repr(pair)

    h.emu.advance(10)
    with pytest.raises(InvalidDeviceCode) as used:  # a device code yields one token only
        await h.oauth.poll_device_token(device.device_code)
    assert used.value.error == "invalid_request"
    assert isinstance(used.value, DeviceFlowError)


async def test_denied(h: Harness) -> None:
    device = await h.oauth.start_device_flow()
    h.emu.control("POST", "/device/deny", {"user_code": device.user_code})
    with pytest.raises(AccessDenied) as denied:
        await h.oauth.poll_device_token(device.device_code)
    assert "refused" in denied.value.user_message


async def test_unknown_and_expired_device_codes(h: Harness) -> None:
    with pytest.raises(InvalidDeviceCode):
        await h.oauth.poll_device_token("0" * 32)
    device = await h.oauth.start_device_flow()
    h.emu.advance(3601)  # past expires_in: Allegro names no expired_token, it is "invalid"
    with pytest.raises(InvalidDeviceCode) as expired:
        await h.oauth.poll_device_token(device.device_code)
    assert "expired" in expired.value.user_message
    assert device.device_code not in str(expired.value)


async def test_a_narrower_scope_is_granted_as_asked(h: Harness) -> None:
    pair = await device_login(h.emu, h.oauth, scope=ORDERS_READ)
    assert pair.scope == ORDERS_READ


# -- refresh ---------------------------------------------------------------------------------


async def test_refresh_rotates_the_pair(h: Harness) -> None:
    first = await device_login(h.emu, h.oauth)
    before = h.counters()
    h.clock.advance(3600)
    second = await h.oauth.refresh(first.refresh_token)
    assert h.counters()["refreshes"] == before["refreshes"] + 1
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert second.access_expires_at == T0 + 3600 + 43199
    assert second.refresh_expires_at == T0 + 3600 + REFRESH_TOKEN_LIFETIME
    # The new pair killed the old access token (ALLEGRO-API.md §4.3).
    assert h.emu.api(first.access_token, "/me").status_code == 401
    assert h.emu.api(second.access_token, "/me").status_code == 200


async def test_a_used_refresh_token_after_its_grace_needs_a_reconnect(h: Harness) -> None:
    first = await device_login(h.emu, h.oauth)
    await h.oauth.refresh(first.refresh_token)
    h.emu.advance(61)  # the used token's 60 s grace is over
    before = h.counters()
    with pytest.raises(ReconnectNeededError) as refused:
        await h.oauth.refresh(first.refresh_token)
    assert refused.value.error == "invalid_grant"
    assert h.counters()["api_requests"] == before["api_requests"] + 1  # a 4xx is not retried
    assert first.refresh_token not in str(refused.value)
    assert "<redacted>" in str(refused.value)  # Allegro echoed the token; it was scrubbed


async def test_revoked_authorization_needs_a_reconnect(h: Harness) -> None:
    pair = await device_login(h.emu, h.oauth)
    h.emu.control("POST", "/tokens/revoke", {})
    with pytest.raises(ReconnectNeededError):
        await h.oauth.refresh(pair.refresh_token)


# -- client credentials ----------------------------------------------------------------------


async def test_wrong_secret_names_the_environment(emu: RunningEmulator,
                                                  http: httpx.AsyncClient) -> None:
    custom = emulator_environment(emu, client_secret="not-the-secret")
    with pytest.raises(ClientCredentialsError) as caught:
        await Harness(emu, http, custom).oauth.start_device_flow()
    assert caught.value.error == "Unauthorized"
    assert emu.base_url in caught.value.user_message
    assert "not-the-secret" not in str(caught.value) + caught.value.user_message

    # The classic: sandbox credentials sent to production, or the reverse ([#11692]).
    sandbox = Environment("sandbox", emu.base_url, emu.base_url, "allegro-desktop-demo",
                          "a-production-secret")
    with pytest.raises(ClientCredentialsError) as caught:
        await Harness(emu, http, sandbox).oauth.start_device_flow()
    message = caught.value.user_message
    assert "Allegro Sandbox" in message
    assert "production" in message
    assert "client ID and secret" in message


async def test_wrong_secret_on_refresh(emu: RunningEmulator, h: Harness,
                                       http: httpx.AsyncClient) -> None:
    pair = await device_login(emu, h.oauth)
    other = Harness(emu, http, emulator_environment(emu, client_secret="stale"))
    with pytest.raises(ClientCredentialsError):
        await other.oauth.refresh(pair.refresh_token)


async def test_a_web_app_cannot_use_the_device_flow(emu: RunningEmulator,
                                                    http: httpx.AsyncClient) -> None:
    web = emulator_environment(emu, client_id=WEB_CLIENT_ID, client_secret=WEB_CLIENT_SECRET)
    with pytest.raises(UnauthorizedClientError) as caught:
        await Harness(emu, http, web).oauth.start_device_flow()
    assert caught.value.error == "unauthorized_client"
    message = caught.value.user_message
    assert "web application" in message
    assert "device" in message
    assert "cannot be changed" in message
    assert "register a new app" in message


def test_credentials_are_required() -> None:
    environment = Environment("production", "https://allegro.pl", "https://api.allegro.pl")
    with pytest.raises(ValueError, match="client id and secret"):
        OAuthClient(environment, http=httpx.AsyncClient(), governor=RequestGovernor())


# -- retries, rate limit ---------------------------------------------------------------------


async def test_network_failures_are_retried(h: Harness) -> None:
    h.emu.control("POST", "/faults", {"script": ["drop", "503"]})
    device = await h.oauth.start_device_flow()
    assert len(h.sleep.calls) == 2  # two retries, each after a backoff

    h.emu.control("POST", "/device/approve", {"user_code": device.user_code})
    h.emu.control("POST", "/faults", {"script": ["drop"]})
    pair = await h.oauth.poll_device_token(device.device_code)

    before = h.counters()
    h.emu.control("POST", "/faults", {"script": ["drop"]})
    await h.oauth.refresh(pair.refresh_token)  # safe to repeat: the 60 s grace
    after = h.counters()
    assert after["api_requests"] == before["api_requests"] + 2
    assert after["refreshes"] == before["refreshes"] + 1  # the dropped one never got there


async def test_a_token_lost_on_the_way_cannot_be_fetched_again(h: Harness) -> None:
    """The body of the one answer with the token is cut off: Allegro has spent the code, so
    the retry learns it is used. Nothing can recover it; the seller starts again."""
    device = await h.oauth.start_device_flow()
    h.emu.control("POST", "/device/approve", {"user_code": device.user_code})
    h.emu.control("POST", "/faults", {"script": ["truncate"]})
    with pytest.raises(InvalidDeviceCode):
        await h.oauth.poll_device_token(device.device_code)
    assert h.emu.control("GET", "/stats")["oauth"]["pairs_issued"] == 1


async def test_network_failures_give_up_after_the_attempts(h: Harness) -> None:
    before = h.counters()
    h.emu.control("POST", "/faults", {"script": ["drop", "drop", "drop"]})
    with pytest.raises(NetworkError) as caught:
        await h.oauth.start_device_flow()
    assert h.counters()["api_requests"] == before["api_requests"] + 3
    assert "Could not reach" in caught.value.user_message


async def test_a_429_pauses_oauth_too(h: Harness) -> None:
    h.emu.control("POST", "/faults", {"script": ["429"]})
    with pytest.raises(RateLimitedError) as caught:
        await h.oauth.start_device_flow()
    client_id = h.environment.client_id
    assert h.governor.paused_until(client_id) == caught.value.retry_at
    assert caught.value.retry_at >= T0 + 60
    before = h.counters()["api_requests"]
    with pytest.raises(RateLimitedError):
        await h.oauth.start_device_flow()
    assert h.counters()["api_requests"] == before


async def test_wrong_app_type_message_names_a_long_client_id(
        start_emulator: StartEmulator) -> None:
    """Real client IDs are 32 hex characters: the message must show it, not '<redacted>'."""
    from allegro_desktop.api.environments import environment_from_key
    from allegro_desktop.api.errors import UnauthorizedClientError
    from allegro_desktop.api.oauth import OAuthClient
    from allegro_desktop.api.ratelimit import RequestGovernor

    emu = start_emulator()
    client_id = "0123456789abcdef0123456789abcdef"
    emu.control("POST", "/clients", {"client_id": client_id, "client_secret": "s" * 64,
                                     "type": "web"})
    environment = environment_from_key(emu.base_url).with_credentials(client_id, "s" * 64)
    async with httpx.AsyncClient() as http:
        oauth = OAuthClient(environment, http=http, governor=RequestGovernor())
        with pytest.raises(UnauthorizedClientError) as caught:
            await oauth.start_device_flow()
    assert client_id in caught.value.user_message
    assert "s" * 64 not in caught.value.user_message
    assert "s" * 64 not in str(caught.value)


async def test_a_refresh_is_not_repeated_after_its_safe_window(
        start_emulator: StartEmulator) -> None:
    """If the first attempt may have rotated the pair on Allegro, a repeat more than ~60 s later
    would meet invalid_grant: past the window the error is reported instead."""
    import itertools

    from allegro_desktop.api.environments import environment_from_key
    from allegro_desktop.api.errors import NetworkError
    from allegro_desktop.api.oauth import REFRESH_RETRY_WINDOW, OAuthClient
    from allegro_desktop.api.ratelimit import RequestGovernor

    emu = start_emulator()
    pair = emu.login()
    emu.control("POST", "/faults", {"script": ["drop", "ok"]})
    # The first attempt "takes" longer than the window (as a slow timeout would).
    clock = itertools.chain([1000.0], itertools.repeat(1000.0 + REFRESH_RETRY_WINDOW + 5)).__next__
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    environment = environment_from_key(emu.base_url).with_credentials(
        "allegro-desktop-demo", "demo-secret")
    async with httpx.AsyncClient() as http:
        oauth = OAuthClient(environment, http=http, governor=RequestGovernor(), clock=clock,
                            sleep=sleep)
        with pytest.raises(NetworkError):
            await oauth.refresh(pair["refresh_token"])
    assert sleeps == []  # no retry was even scheduled
    assert emu.control("GET", "/faults")["script"] == ["ok"]
