"""The emulator's REST resources over real HTTP: /me, order events, checkout forms (ALLEGRO-API.md
§5, §7-§10, §13).

Every response is validated against Allegro's OpenAPI spec (tests/data/allegro-openapi-subset.yaml).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.openapi_validation import assert_valid

EVENTS = "/order/events"
FORMS = "/order/checkout-forms"


def _walk_events(emu: RunningEmulator, token: str, **params: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": 1000, **params} | ({"from": cursor} if cursor else {})
        response = emu.api(token, EVENTS, query)
        assert_valid(response)
        page = response.json()["events"]
        if not page:
            return events
        events += page
        cursor = page[-1]["id"]


def _authoritative(emu: RunningEmulator) -> list[dict[str, Any]]:
    forms: list[dict[str, Any]] = emu.control("GET", "/checkout-forms")["checkoutForms"]
    return forms


def _bought(form: dict[str, Any]) -> str:
    return min(li["boughtAt"] for li in form["lineItems"])


# -- headers and errors --------------------------------------------------------------------


def test_accept_header_is_required(shop: RunningEmulator, shop_token: str) -> None:
    for accept in ("", "application/json", "application/vnd.allegro.beta.v1+json", "*/*"):
        response = shop.api(shop_token, FORMS, accept=accept)
        assert_valid(response, allow_undocumented_status=True)  # /me & events omit 406
        assert response.status_code == 406
        [error] = response.json()["errors"]
        assert error["code"] == "NotAcceptableException"
        assert "Accept" in error["message"]


def test_user_message_follows_accept_language(shop: RunningEmulator, shop_token: str) -> None:
    pl = shop.api(shop_token, FORMS, {"limit": 0}, **{"Accept-Language": "pl-PL"})
    en = shop.api(shop_token, FORMS, {"limit": 0}, **{"Accept-Language": "en-US"})
    assert pl.status_code == en.status_code == 422
    assert pl.json()["errors"][0]["message"] == en.json()["errors"][0]["message"]
    assert pl.json()["errors"][0]["userMessage"] != en.json()["errors"][0]["userMessage"]
    assert "Żądanie" in pl.json()["errors"][0]["userMessage"]


def test_every_response_has_a_trace_id(shop: RunningEmulator, shop_token: str) -> None:
    responses = [
        shop.api(shop_token, "/me"),
        shop.api(shop_token, FORMS, {"limit": 1}),
        shop.api(shop_token, "/nowhere"),
        shop.http.get("/me"),
        shop.http.get("/skojarz-aplikacje"),
        shop.http.get("/__emulator__/clock"),
        shop.http.post("/auth/oauth/token"),
        shop.http.delete("/me"),
    ]
    ids = [r.headers.get("trace-id") for r in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)
    assert responses[2].status_code == 404
    assert responses[7].status_code == 405


def test_me_describes_the_seller(shop: RunningEmulator, shop_token: str) -> None:
    response = shop.api(shop_token, "/me")
    assert_valid(response)
    assert response.headers["content-type"] == "application/vnd.allegro.public.v1+json"
    me = response.json()
    assert me["id"] == shop.emulator.default_seller_id
    assert me["login"]
    assert me["email"]
    assert me["baseMarketplace"] == {"id": "allegro-pl"}


# -- order events --------------------------------------------------------------------------


def test_events_oldest_first_increasing_and_within_retention(
        shop: RunningEmulator, shop_token: str) -> None:
    first = shop.api(shop_token, EVENTS)  # no `from`: the oldest retained events, 100 of them
    assert_valid(first)
    page = first.json()["events"]
    assert len(page) == 100
    events = _walk_events(shop, shop_token)
    assert events[:100] == page
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(len(e["id"]) == 16 for e in events)
    now = datetime.fromisoformat(shop.control("GET", "/clock")["now"])
    oldest_recorded = datetime.fromtimestamp(ids[0] / 1e6, now.tzinfo)
    assert now - oldest_recorded <= timedelta(days=60)
    assert now - oldest_recorded > timedelta(days=55)  # the journal does reach back 60 days
    stats = shop.api(shop_token, "/order/event-stats")
    assert_valid(stats)
    assert stats.json()["latestEvent"] == {"id": events[-1]["id"],
                                           "occurredAt": events[-1]["occurredAt"]}
    types = {e["type"] for e in events}
    assert {"BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING",
            "FULFILLMENT_STATUS_CHANGED"} <= types


def test_events_from_returns_only_later_events(shop: RunningEmulator, shop_token: str) -> None:
    page = shop.api(shop_token, EVENTS, {"limit": 10}).json()["events"]
    after = shop.api(shop_token, EVENTS, {"limit": 5, "from": page[4]["id"]}).json()["events"]
    assert after == page[5:10]
    latest = shop.api(shop_token, "/order/event-stats").json()["latestEvent"]["id"]
    assert shop.api(shop_token, EVENTS, {"from": latest}).json() == {"events": []}


def test_events_type_filter(shop: RunningEmulator, shop_token: str) -> None:
    wanted = {"BUYER_CANCELLED", "READY_FOR_PROCESSING"}
    response = shop.http.get(EVENTS, params=[("type", "BUYER_CANCELLED"),
                                             ("type", "READY_FOR_PROCESSING"),
                                             ("limit", "1000")],
                             headers={"Authorization": f"Bearer {shop_token}",
                                      "Accept": "application/vnd.allegro.public.v1+json"})
    assert_valid(response)
    filtered = response.json()["events"]
    expected = [e for e in _walk_events(shop, shop_token) if e["type"] in wanted][:1000]
    assert filtered == expected
    assert "READY_FOR_PROCESSING" in {e["type"] for e in filtered}


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"limit": "ten"},
                                    {"type": "SHIPPED"}, {"from": "abc"}])
def test_events_bad_parameters_are_422(shop: RunningEmulator, shop_token: str,
                                       params: dict[str, Any]) -> None:
    response = shop.api(shop_token, EVENTS, params)
    assert_valid(response)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "VALIDATION_ERROR"


def test_events_age_out_after_60_days(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=40)
    token = emu.login()["access_token"]
    assert _walk_events(emu, token)
    jump = 61 * 86400
    before = emu.control("GET", "/clock")["epoch"]
    moved = emu.control("POST", "/clock/advance", {"seconds": jump})
    token = emu.login()["access_token"]  # the first token expired meanwhile
    events = _walk_events(emu, token)
    # Only what the jump itself caused is left: unpaid orders auto-cancelled on the way.
    assert len(events) == moved["auto_cancelled"]
    assert all(e["type"] == "AUTO_CANCELLED" for e in events)
    assert all(int(e["id"]) / 1e6 >= before + jump for e in events)
    # Another 61 days: nothing is left to cancel, and nothing happened within 60 days.
    assert emu.control("POST", "/clock/advance", {"seconds": jump})["auto_cancelled"] == 0
    token = emu.login()["access_token"]
    assert _walk_events(emu, token) == []
    stats = emu.api(token, "/order/event-stats")
    assert_valid(stats)
    assert stats.json() == {"latestEvent": None}


def test_event_order_summary_matches_the_form(shop: RunningEmulator, shop_token: str) -> None:
    events = shop.api(shop_token, EVENTS, {"limit": 50}).json()["events"]
    forms = {f["id"]: f for f in _authoritative(shop)}
    for event in events:
        form = forms[event["order"]["checkoutForm"]["id"]]
        assert event["order"]["seller"]["id"] == shop.emulator.default_seller_id
        assert event["order"]["buyer"]["login"] == form["buyer"]["login"]
        assert [li["id"] for li in event["order"]["lineItems"]] == [
            li["id"] for li in form["lineItems"]]


# -- checkout forms ------------------------------------------------------------------------


def test_list_default_sort_and_counts(shop: RunningEmulator, shop_token: str) -> None:
    response = shop.api(shop_token, FORMS)
    assert_valid(response)
    body = response.json()
    truth = _authoritative(shop)
    assert body["totalCount"] == len(truth) == 600
    assert body["count"] == len(body["checkoutForms"]) == 100
    bought = [_bought(f) for f in body["checkoutForms"]]
    assert bought == sorted(bought, reverse=True)  # default: lineItems.boughtAt descending
    assert body["checkoutForms"][0] == max(truth, key=_bought)


def test_paging_covers_every_order_once(shop: RunningEmulator, shop_token: str) -> None:
    seen: list[str] = []
    for offset in range(0, 700, 100):
        page = shop.api(shop_token, FORMS, {"offset": offset, "limit": 100}).json()
        seen += [f["id"] for f in page["checkoutForms"]]
    assert len(seen) == len(set(seen)) == 600


@pytest.mark.parametrize("sort", ["lineItems.boughtAt", "-lineItems.boughtAt", "updatedAt",
                                  "-updatedAt"])
def test_sorting(shop: RunningEmulator, shop_token: str, sort: str) -> None:
    response = shop.api(shop_token, FORMS, {"sort": sort, "limit": 100, "offset": 50})
    assert_valid(response)
    forms = response.json()["checkoutForms"]
    key = _bought if "boughtAt" in sort else (lambda f: f["updatedAt"])
    values = [key(f) for f in forms]
    assert values == sorted(values, reverse=sort.startswith("-"))
    truth = sorted(_authoritative(shop), key=lambda f: (key(f), f["id"]),
                   reverse=sort.startswith("-"))
    assert [key(f) for f in forms] == [key(f) for f in truth[50:150]]


def test_filters_match_the_authoritative_state(shop: RunningEmulator, shop_token: str) -> None:
    truth = _authoritative(shop)
    sample = truth[123]
    middle = sorted(_bought(f) for f in truth)[300]
    cases: list[tuple[dict[str, str], Any]] = [
        ({"status": "READY_FOR_PROCESSING"}, lambda f: f["status"] == "READY_FOR_PROCESSING"),
        ({"status": "CANCELLED"}, lambda f: f["status"] == "CANCELLED"),
        ({"fulfillment.status": "SENT"}, lambda f: f["fulfillment"]["status"] == "SENT"),
        ({"fulfillment.provider.id": "SELLER"},
         lambda f: f["fulfillment"]["provider"]["id"] == "SELLER"),
        ({"fulfillment.shipmentSummary.lineItemsSent": "ALL"},
         lambda f: f["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "ALL"),
        ({"marketplace.id": "allegro-cz"}, lambda f: f["marketplace"]["id"] == "allegro-cz"),
        ({"buyer.login": sample["buyer"]["login"]},
         lambda f: f["buyer"]["login"] == sample["buyer"]["login"]),
        ({"delivery.method.id": sample["delivery"]["method"]["id"]},
         lambda f: f["delivery"]["method"]["id"] == sample["delivery"]["method"]["id"]),
        ({"lineItems.boughtAt.gte": middle}, lambda f: _bought(f) >= middle),
        ({"lineItems.boughtAt.lte": middle}, lambda f: _bought(f) <= middle),
        ({"updatedAt.gte": sample["updatedAt"]}, lambda f: f["updatedAt"] >= sample["updatedAt"]),
        ({"updatedAt.lte": sample["updatedAt"]}, lambda f: f["updatedAt"] <= sample["updatedAt"]),
        ({"status": "READY_FOR_PROCESSING", "fulfillment.status": "NEW",
          "marketplace.id": "allegro-pl"},
         lambda f: f["status"] == "READY_FOR_PROCESSING" and f["fulfillment"]["status"] == "NEW"
         and f["marketplace"]["id"] == "allegro-pl"),
    ]
    if sample.get("payment"):
        cases.append(({"payment.id": sample["payment"]["id"]},
                      lambda f: (f.get("payment") or {}).get("id") == sample["payment"]["id"]))
    with_surcharge = [f for f in truth if f["surcharges"]]
    if with_surcharge:
        sid = with_surcharge[0]["surcharges"][0]["id"]
        cases.append(({"surcharges.id": sid},
                      lambda f: any(s["id"] == sid for s in f["surcharges"])))
    for params, predicate in cases:
        expected = {f["id"] for f in truth if predicate(f)}
        got: set[str] = set()
        offset = 0
        while True:
            response = shop.api(shop_token, FORMS, {**params, "offset": offset})
            assert_valid(response)
            body = response.json()
            assert body["totalCount"] == len(expected), params
            got |= {f["id"] for f in body["checkoutForms"]}
            offset += 100
            if offset >= body["totalCount"]:
                break
        assert got == expected, params
        assert expected, f"the sample data should hold orders for {params}"


def test_offset_plus_limit_above_10000_is_422(shop: RunningEmulator, shop_token: str) -> None:
    ok = shop.api(shop_token, FORMS, {"offset": 9900, "limit": 100})
    assert ok.status_code == 200
    assert ok.json()["checkoutForms"] == []
    response = shop.api(shop_token, FORMS, {"offset": 9901, "limit": 100})
    # ALLEGRO-API.md §9.3: userMessage is null in this body although the spec types it as a string.
    assert_valid(response)
    assert response.status_code == 422
    assert response.json() == {"errors": [{
        "code": "VALIDATION_ERROR",
        "message": "Offset and limit parameters exceed maximal result size of 10000 items",
        "details": None, "path": "/order/checkout-forms", "userMessage": None,
        "metadata": {}}]}


@pytest.mark.parametrize(("params", "status"), [
    ({"limit": 0}, 422), ({"limit": 101}, 422), ({"offset": -1}, 422), ({"limit": "x"}, 422),
    ({"status": "SHIPPED"}, 400), ({"fulfillment.status": "LOST"}, 400),
    ({"sort": "price"}, 400), ({"lineItems.boughtAt.gte": "yesterday"}, 400),
])
def test_list_bad_parameters(shop: RunningEmulator, shop_token: str, params: dict[str, Any],
                             status: int) -> None:
    response = shop.api(shop_token, FORMS, params)
    assert_valid(response)
    assert response.status_code == status


def test_single_form_is_the_authoritative_form(shop: RunningEmulator, shop_token: str) -> None:
    for form in _authoritative(shop)[::97]:
        response = shop.api(shop_token, f"{FORMS}/{form['id']}")
        assert_valid(response)
        assert response.json() == form
        assert uuid.UUID(form["id"]).version == 1


def test_single_form_errors(shop: RunningEmulator, shop_token: str) -> None:
    missing = str(uuid.uuid1())
    not_found = shop.api(shop_token, f"{FORMS}/{missing}")
    assert_valid(not_found)
    assert not_found.status_code == 404
    [error] = not_found.json()["errors"]
    assert error["code"] == "CheckoutFormNotFoundException"
    assert missing in error["message"]
    for bad in ("not-a-uuid", str(uuid.uuid4())):
        response = shop.api(shop_token, f"{FORMS}/{bad}")
        assert_valid(response)
        assert response.status_code == 422


def test_other_sellers_orders_are_invisible(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=30, sellers=2)
    sellers = list(emu.emulator.store.sellers)
    first = emu.login(sellers[0])["access_token"]
    second = emu.login(sellers[1])["access_token"]
    theirs = emu.control("GET", f"/checkout-forms?seller={sellers[1]}")["checkoutForms"]
    assert theirs
    assert emu.api(first, f"{FORMS}/{theirs[0]['id']}").status_code == 404
    assert emu.api(second, f"{FORMS}/{theirs[0]['id']}").status_code == 200
    assert emu.api(second, FORMS).json()["totalCount"] == len(theirs)


def test_seller_sets_fulfillment_status(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=0)
    token = emu.login()["access_token"]
    form = emu.control("POST", "/orders", {"count": 1})["checkoutForms"][0]
    headers = {"Authorization": f"Bearer {token}",
               "Accept": "application/vnd.allegro.public.v1+json",
               "Content-Type": "application/vnd.allegro.public.v1+json"}
    url = f"{FORMS}/{form['id']}/fulfillment"
    ok = emu.http.put(url, params={"checkoutForm.revision": form["revision"]},
                      content=b'{"status":"PROCESSING"}', headers=headers)
    assert ok.status_code == 204, ok.text
    assert emu.api(token, f"{FORMS}/{form['id']}").json()["fulfillment"]["status"] == "PROCESSING"
    stale = emu.http.put(url, params={"checkoutForm.revision": "00000000"},
                         content=b'{"status":"SENT"}', headers=headers)
    assert_valid(stale)
    assert stale.status_code == 409
    returned = emu.http.put(url, content=b'{"status":"RETURNED"}', headers=headers)
    assert_valid(returned)
    assert returned.status_code == 422


def test_filters_and_sorts_stay_right_after_changes(start_emulator: StartEmulator) -> None:
    """The list endpoint's indexes follow every kind of change to an order."""
    emu = start_emulator(orders=150, seed=11)
    token = emu.login()["access_token"]

    buyer = {"login": "stala_klientka", "email": "k@example.pl", "id": "987654321",
             "guest": False}

    def new(status: str) -> dict[str, Any]:
        form: dict[str, Any] = emu.control("POST", "/orders", {
            "checkoutForm": {"status": status, "buyer": buyer}})["checkoutForms"][0]
        return form

    paid_new = [new("READY_FOR_PROCESSING") for _ in range(5)]
    unpaid = [new("BOUGHT") for _ in range(3)]
    emu.control("POST", "/orders", {"count": 5})
    for form in paid_new[:3]:
        emu.advance(30)
        emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": "SENT"})
    emu.control("POST", f"/orders/{paid_new[3]['id']}/cancel", {"by": "buyer"})
    emu.control("POST", f"/orders/{paid_new[4]['id']}/address", {})
    emu.control("POST", f"/orders/{unpaid[0]['id']}/pay")
    emu.control("POST", "/orders/merge", {"ids": [unpaid[1]["id"], unpaid[2]["id"]]})
    truth = _authoritative(emu)
    checks: list[tuple[dict[str, str], Any]] = [
        ({"fulfillment.status": "SENT"}, lambda f: f["fulfillment"]["status"] == "SENT"),
        ({"status": "CANCELLED"}, lambda f: f["status"] == "CANCELLED"),
        ({"status": "READY_FOR_PROCESSING", "fulfillment.status": "NEW"},
         lambda f: f["status"] == "READY_FOR_PROCESSING" and f["fulfillment"]["status"] == "NEW"),
        ({"status": "FILLED_IN"}, lambda f: f["status"] == "FILLED_IN"),
    ]
    for params, predicate in checks:
        expected = {f["id"] for f in truth if predicate(f)}
        for sort in ("-lineItems.boughtAt", "updatedAt"):
            got: list[str] = []
            for offset in range(0, len(expected) + 100, 100):
                body = emu.api(token, FORMS, {**params, "sort": sort, "offset": offset}).json()
                assert body["totalCount"] == len(expected), (params, sort)
                got += [f["id"] for f in body["checkoutForms"]]
            assert len(got) == len(set(got))
            assert set(got) == expected, (params, sort)
    everything = emu.api(token, FORMS, {"sort": "-updatedAt"}).json()
    assert everything["totalCount"] == len(truth)
    stamps = [f["updatedAt"] for f in everything["checkoutForms"]]
    assert stamps == sorted(stamps, reverse=True)


def test_every_sellers_journal_keeps_60_days(start_emulator: StartEmulator) -> None:
    """Event ids are recording timestamps for every seller, so retention applies to all."""
    emu = start_emulator(orders=240, sellers=2)
    emu.advance(30 * 86400)
    now = emu.control("GET", "/clock")["epoch"]
    for seller in emu.emulator.store.sellers:
        token = emu.login(seller)["access_token"]
        events = emu.api(token, EVENTS, {"limit": 1000}).json()["events"]
        assert events, seller
        oldest = int(events[0]["id"]) / 1e6
        assert now - 60 * 86400 <= oldest <= now - 25 * 86400, seller
