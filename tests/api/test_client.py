"""AllegroClient against the emulator over real HTTP: endpoints, retries, 429, 401, errors.

Results are checked against the emulator's ground truth (`GET /__emulator__/checkout-forms`).
Faults are scripted through the control API; backoff waits are recorded, not slept.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from allegro_desktop.api.client import API_MEDIA_TYPE, AllegroClient, make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    ConflictError,
    ForbiddenError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    NotAcceptableError,
    NotFoundError,
    RateLimitedError,
    ReconnectNeededError,
    ServerError,
    ValidationError,
)
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.domain.errors import Text
from tests.helpers.api_stack import FAST_RETRY, T0, Api, FakeClock, MakeApi

# -- a stand-in Allegro -------------------------------------------------------------------


class _StaticTokens:
    async def access_token(self) -> str:
        return "token-1"

    async def token_rejected(self, token: str) -> str:
        raise AssertionError("unexpected 401")


Handler = Callable[[httpx.Request], httpx.Response]
StandIn = Callable[[Handler], AllegroClient]


@pytest.fixture
async def stand_in() -> AsyncIterator[StandIn]:
    """A client talking to a stand-in Allegro (`httpx.MockTransport`), for what the emulator
    never answers (a captive portal, a Retry-After) or to look at the raw request."""
    clients: list[httpx.AsyncClient] = []

    def make(handler: Handler) -> AllegroClient:
        environment = Environment("production", "https://allegro.pl", "https://api.allegro.pl",
                                  "app", "secret")
        http = make_http_client(transport=httpx.MockTransport(handler))
        clients.append(http)
        return AllegroClient(environment, http=http, tokens=_StaticTokens(),
                             governor=RequestGovernor(), accept_language="en-US",
                             retry=RetryPolicy(max_attempts=1))

    yield make
    for http in clients:
        await http.aclose()


# -- the endpoints ---------------------------------------------------------------------------


async def test_me(api: Api) -> None:
    profile = await api.client.me()
    seller = api.stats()["sellers"][0]
    assert (profile.seller_id, profile.login) == (seller["id"], seller["login"])
    assert profile.email
    assert "@" in profile.email
    assert profile.base_marketplace == "allegro-pl"


async def test_checkout_forms_page_is_the_truth(api: Api) -> None:
    truth = api.truth()
    page = await api.client.checkout_forms(limit=25)
    assert page["count"] == 25
    assert page["totalCount"] == len(truth)
    newest_first = sorted(truth, key=lambda f: max(li["boughtAt"] for li in f["lineItems"]),
                          reverse=True)
    assert [f["id"] for f in page["checkoutForms"]] == [f["id"] for f in newest_first[:25]]
    by_id = {f["id"]: f for f in truth}
    assert all(form == by_id[form["id"]] for form in page["checkoutForms"])

    rest = await api.client.checkout_forms(offset=25, limit=100, sort="-lineItems.boughtAt")
    assert [f["id"] for f in rest["checkoutForms"]] == [f["id"] for f in newest_first[25:]]


async def test_checkout_forms_filters_use_allegros_dotted_names(api: Api) -> None:
    truth = api.truth()
    wanted = [f for f in truth if f["status"] == "READY_FOR_PROCESSING"
              and f["fulfillment"]["status"] == "NEW"]
    page = await api.client.checkout_forms({"status": "READY_FOR_PROCESSING",
                                            "fulfillment.status": "NEW"})
    assert sorted(f["id"] for f in page["checkoutForms"]) == sorted(f["id"] for f in wanted)
    assert page["totalCount"] == len(wanted)
    with pytest.raises(ValueError, match="limit"):
        await api.client.checkout_forms({"limit": "5"})


async def test_checkout_form(api: Api) -> None:
    truth = api.truth()
    form = await api.client.checkout_form(truth[3]["id"])
    assert form == truth[3]


async def test_order_events_and_event_stats(api: Api) -> None:
    events = await api.client.order_events()
    assert events, "40 orders have recent events"
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)  # oldest first
    known = {f["id"] for f in api.truth()}
    assert {e["order"]["checkoutForm"]["id"] for e in events} <= known

    after = await api.client.order_events(from_id=events[2]["id"])
    assert after == events[3:]
    assert await api.client.order_events(from_id=events[-1]["id"]) == []
    first_two = await api.client.order_events(limit=2)
    assert first_two == events[:2]

    wanted = {"READY_FOR_PROCESSING", "BUYER_CANCELLED"}
    typed = await api.client.order_events(types=sorted(wanted))
    assert typed == [e for e in events if e["type"] in wanted]

    latest = await api.client.event_stats()
    assert latest is not None
    assert latest["id"] == events[-1]["id"]


async def test_event_stats_without_events(make_api: MakeApi) -> None:
    api = await make_api(orders=0)
    assert await api.client.event_stats() is None
    assert await api.client.order_events() == []


async def test_set_fulfillment(api: Api) -> None:
    form = next(f for f in api.truth() if f["status"] == "READY_FOR_PROCESSING")
    await api.client.set_fulfillment(form["id"], "PROCESSING")
    assert (await api.client.checkout_form(form["id"]))["fulfillment"]["status"] == "PROCESSING"

    current = await api.client.checkout_form(form["id"])
    await api.client.set_fulfillment(form["id"], "READY_FOR_SHIPMENT",
                                     revision=current["revision"])
    truth = {f["id"]: f for f in api.truth()}
    assert truth[form["id"]]["fulfillment"]["status"] == "READY_FOR_SHIPMENT"

    with pytest.raises(ConflictError) as conflict:
        await api.client.set_fulfillment(form["id"], "SENT", revision="00000000")
    assert conflict.value.status == 409
    with pytest.raises(ValidationError) as refused:
        await api.client.set_fulfillment(form["id"], "RETURNED")  # sellers cannot set it
    assert refused.value.status == 422


# -- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["500", "502", "503", "drop", "truncate"])
async def test_transient_failures_are_retried(api: Api, fault: str) -> None:
    before = api.api_requests()
    api.emu.control("POST", "/faults", {"script": [fault, fault, "ok"]})
    page = await api.client.checkout_forms()  # a big body: `truncate` cuts it half-way
    assert page["totalCount"] == 40
    assert api.api_requests() == before + 3
    assert len(api.sleep.calls) == 2
    assert all(0 <= delay <= FAST_RETRY.max_delay for delay in api.sleep.calls)


@pytest.mark.parametrize(("fault", "error"), [("500", ServerError), ("503", ServerError),
                                              ("drop", NetworkError)])
async def test_retries_give_up_after_max_attempts(api: Api, fault: str,
                                                  error: type[Exception]) -> None:
    before = api.api_requests()
    api.emu.control("POST", "/faults", {"script": [fault] * 5})
    with pytest.raises(error) as caught:
        await api.client.me()
    assert api.api_requests() == before + FAST_RETRY.max_attempts
    if isinstance(caught.value, ServerError):
        assert caught.value.status == int(fault)
        assert caught.value.trace_id


async def test_a_read_timeout_is_retried(make_api: MakeApi) -> None:
    api = await make_api(timeout=0.3)
    api.emu.control("POST", "/faults", {"script": ["slow"], "slow_seconds": 2})
    before = api.api_requests()
    profile = await api.client.me()
    assert profile.login
    assert api.api_requests() == before + 2
    assert len(api.sleep.calls) == 1


async def test_put_is_retried_too(api: Api) -> None:
    form = next(f for f in api.truth() if f["status"] == "READY_FOR_PROCESSING")
    api.emu.control("POST", "/faults", {"script": ["503", "drop"]})
    await api.client.set_fulfillment(form["id"], "PROCESSING")
    assert {f["id"]: f for f in api.truth()}[form["id"]]["fulfillment"]["status"] == "PROCESSING"


async def test_a_4xx_is_not_retried(api: Api) -> None:
    before = api.api_requests()
    with pytest.raises(NotFoundError):
        await api.client.checkout_form(str(uuid.uuid1()))
    assert api.api_requests() == before + 1
    assert api.sleep.calls == []


# -- 429 -------------------------------------------------------------------------------------


async def test_429_pauses_the_client_id_and_nothing_is_sent_until_it_ends(api: Api) -> None:
    api.emu.control("POST", "/faults", {"script": ["429"]})
    with pytest.raises(RateLimitedError) as caught:
        await api.client.event_stats()
    retry_at = caught.value.retry_at
    assert T0 + 60 <= retry_at <= T0 + 70  # a jittered minute: Allegro sends no Retry-After
    assert caught.value.trace_id
    assert api.governor.paused_until(api.client.client_id) == retry_at

    before = api.api_requests()
    for call in (api.client.me(), api.client.checkout_forms(), api.oauth.refresh("x")):
        with pytest.raises(RateLimitedError) as again:
            await call
        assert again.value.retry_at == retry_at
    assert api.api_requests() == before  # not a single probe during the block

    # Allegro's block is a minute of its clock; ours ends at retry_at. Both pass.
    api.emu.advance(61)
    api.clock.now = retry_at
    assert (await api.client.me()).login
    assert api.api_requests() == before + 1


async def test_the_emulators_real_limit_and_block(api: Api) -> None:
    api.emu.control("POST", "/ratelimit", {"per_minute": 3})
    for _ in range(3):
        await api.client.event_stats()
    with pytest.raises(RateLimitedError) as caught:
        await api.client.event_stats()
    before = api.api_requests()
    with pytest.raises(RateLimitedError):
        await api.client.event_stats()
    assert api.api_requests() == before
    # Both clocks move past the block: Allegro's minute and our pause.
    api.emu.advance(61)
    api.clock.now = caught.value.retry_at
    assert await api.client.event_stats() is not None
    blocked = api.emu.control("GET", "/ratelimit")["clients"][api.client.client_id]
    assert blocked["blocked_for"] == 0  # the block did not grow: we sent nothing during it


async def test_retry_after_is_honoured_when_given() -> None:
    """Allegro documents no Retry-After on 429; if one comes, it wins over the minute."""
    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "120", "trace-id": "t-1"})

    clock = FakeClock()
    governor = RequestGovernor(clock=clock)
    environment = Environment("production", "https://allegro.pl", "https://api.allegro.pl",
                              "app", "secret")
    async with make_http_client(transport=httpx.MockTransport(limited)) as http:
        client = AllegroClient(environment, http=http, tokens=_StaticTokens(), clock=clock,
                               governor=governor)
        with pytest.raises(RateLimitedError) as caught:
            await client.me()
    assert caught.value.retry_at == T0 + 120
    assert caught.value.trace_id == "t-1"


# -- 401 -------------------------------------------------------------------------------------


async def test_an_expired_token_is_refreshed_once_and_the_request_repeated(api: Api) -> None:
    old = api.tokens.pair
    api.emu.control("POST", "/tokens/expire", {})
    before = api.stats()["oauth"]["refreshes"]
    profile = await api.client.me()
    assert profile.login
    assert api.stats()["oauth"]["refreshes"] == before + 1
    assert api.tokens.refreshes == 1
    assert api.tokens.pair.access_token != old.access_token
    assert await api.client.event_stats() is not None  # the new token keeps working
    assert api.stats()["oauth"]["refreshes"] == before + 1


async def test_a_second_401_after_a_refresh_means_reconnect(api: Api) -> None:
    """A token source that hands back a token Allegro refuses again: no loop, one repeat."""

    class Stubborn:
        calls = 0

        async def access_token(self) -> str:
            return api.tokens.pair.access_token

        async def token_rejected(self, token: str) -> str:
            Stubborn.calls += 1
            return token

    client = AllegroClient(api.environment, http=api.http, tokens=Stubborn(),
                           governor=api.governor, sleep=api.sleep)
    api.emu.control("POST", "/tokens/expire", {})
    before = api.api_requests()
    with pytest.raises(ReconnectNeededError) as caught:
        await client.me()
    assert caught.value.error == "invalid_token"
    assert Stubborn.calls == 1
    assert api.api_requests() == before + 2


async def test_a_refused_refresh_surfaces_as_reconnect(api: Api) -> None:
    api.emu.control("POST", "/tokens/revoke", {})  # the seller unlinked the app
    with pytest.raises(ReconnectNeededError) as caught:
        await api.client.me()
    assert caught.value.error == "invalid_grant"


async def test_a_401_without_invalid_token_is_not_refreshed(stand_in: StandIn) -> None:
    def allegro(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={
            "error": "unauthorized",
            "error_description": "Full authentication is required to access this resource"})

    client = stand_in(allegro)  # its token source fails the test if asked to refresh
    with pytest.raises(InvalidTokenError) as caught:
        await client.me()
    assert caught.value.error == "unauthorized"


# -- error mapping ---------------------------------------------------------------------------


async def test_404_unknown_order(api: Api) -> None:
    with pytest.raises(NotFoundError) as caught:
        await api.client.checkout_form(str(uuid.uuid1()))
    error = caught.value
    assert (error.status, error.code) == (404, "CheckoutFormNotFoundException")
    assert error.user_message == "The order was not found."  # Allegro's userMessage
    assert error.trace_id
    assert error.trace_id in str(error)


async def test_user_messages_follow_accept_language(make_api: MakeApi) -> None:
    api = await make_api(accept_language="pl-PL")
    with pytest.raises(NotFoundError) as caught:
        await api.client.checkout_form(str(uuid.uuid1()))
    assert caught.value.user_message == "Nie znaleziono zamówienia."


async def test_422_past_the_10000_window(api: Api) -> None:
    with pytest.raises(ValidationError) as caught:
        await api.client.checkout_forms(offset=9950, limit=100)
    error = caught.value
    assert (error.status, error.code) == (422, "VALIDATION_ERROR")
    assert "10000" in str(error)
    assert error.errors[0]["userMessage"] is None  # as observed: we fall back to our words
    assert "invalid" in error.user_message
    assert error.trace_id


async def test_400_bad_parameter_value(api: Api) -> None:
    with pytest.raises(ValidationError) as caught:
        await api.client.checkout_forms({"status": "SHIPPED"})
    assert (caught.value.status, caught.value.code) == (400, "IllegalArgumentException")


async def test_406_wrong_accept(make_api: MakeApi) -> None:
    api = await make_api(media_type="application/json")
    with pytest.raises(NotAcceptableError) as caught:
        await api.client.event_stats()
    assert (caught.value.status, caught.value.code) == (406, "NotAcceptableException")
    assert caught.value.trace_id


async def test_403_token_without_the_scope(make_api: MakeApi) -> None:
    api = await make_api(scope="allegro:api:orders:read")
    form = api.truth()[0]
    assert (await api.client.checkout_form(form["id"]))["id"] == form["id"]
    with pytest.raises(ForbiddenError) as caught:
        await api.client.set_fulfillment(form["id"], "PROCESSING")
    assert (caught.value.status, caught.value.code) == (403, "AccessDenied")
    assert caught.value.trace_id


# -- what goes over the wire, and what comes back malformed ------------------------------


async def test_request_headers_and_parameters(stand_in: StandIn) -> None:
    seen: list[httpx.Request] = []

    def allegro(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "PUT":
            return httpx.Response(204)
        return httpx.Response(200, json={"events": []})

    client = stand_in(allegro)
    await client.order_events(from_id="123", types=["BOUGHT", "READY_FOR_PROCESSING"])
    await client.set_fulfillment("a/b", "SENT", revision="abc")
    get, put = seen
    assert str(get.url) == ("https://api.allegro.pl/order/events?limit=1000&from=123"
                            "&type=BOUGHT&type=READY_FOR_PROCESSING")
    assert get.headers["Accept"] == API_MEDIA_TYPE
    assert get.headers["Authorization"] == "Bearer token-1"
    assert get.headers["Accept-Language"] == "en-US"
    assert get.headers["User-Agent"].startswith("allegro-desktop/")
    assert put.url.raw_path == b"/order/checkout-forms/a%2Fb/fulfillment?checkoutForm.revision=abc"
    assert put.headers["Content-Type"] == API_MEDIA_TYPE
    assert put.content == b'{"status":"SENT"}'


@pytest.mark.parametrize(("status", "body", "content_type"), [
    (200, b"<html><body>Hotel Wi-Fi: log in</body></html>", "text/html"),  # captive portal
    (200, b"[]", API_MEDIA_TYPE),
    (200, b'{"checkoutForms": {}, "count": 0, "totalCount": 0}', API_MEDIA_TYPE),
    (200, b'{"checkoutForms": [], "count": "0", "totalCount": 0}', API_MEDIA_TYPE),
    (302, b"", "text/html"),
])
async def test_malformed_answers(stand_in: StandIn, status: int, body: bytes,
                                 content_type: str) -> None:
    def allegro(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    client = stand_in(allegro)
    with pytest.raises(MalformedResponseError) as caught:
        await client.checkout_forms()
    # what the window shows is the app's own text, in the seller's language
    assert isinstance(caught.value.user_text, Text)
