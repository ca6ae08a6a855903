"""The control API under /__emulator__/ and live mode."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.openapi_validation import assert_valid


def _events_of(emu: RunningEmulator, token: str, order_id: str) -> list[str]:
    events = emu.api(token, "/order/events", {"limit": 1000}).json()["events"]
    return [e["type"] for e in events if e["order"]["checkoutForm"]["id"] == order_id]


def test_index_lists_the_endpoints(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    paths = {e["path"] for e in emu.control("GET", "/")["endpoints"]}
    assert {"/__emulator__/device", "/__emulator__/device/approve", "/__emulator__/orders",
            "/__emulator__/checkout-forms", "/__emulator__/clock/advance",
            "/__emulator__/faults", "/__emulator__/orders/{id}/shipments",
            "/__emulator__/settings"} <= paths


def test_created_random_orders_have_events_and_match_the_api(
        start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    created = emu.control("POST", "/orders", {"count": 5})["checkoutForms"]
    assert len(created) == 5
    listed = emu.control("GET", "/checkout-forms")["checkoutForms"]
    assert {f["id"] for f in listed} == {f["id"] for f in created}
    for form in listed:
        response = emu.api(token, f"/order/checkout-forms/{form['id']}")
        assert_valid(response)
        assert response.json() == form
        assert _events_of(emu, token, form["id"])[0] == "BOUGHT"


def test_a_given_checkout_form_is_completed_and_stored(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    given = {
        "status": "READY_FOR_PROCESSING",
        "buyer": {"login": "zosia_testowa", "email": "zosia@example.pl", "firstName": "Zofia"},
        "lineItems": [{"offer": {"id": "12345678901", "name": "Kubek z napisem Zażółć"},
                       "quantity": 2, "price": {"amount": "19.99", "currency": "PLN"}}],
        "summary": {"totalToPay": {"amount": "39.98", "currency": "PLN"}},
    }
    stored = emu.control("POST", "/orders", {"checkoutForm": given})["checkoutForms"][0]
    assert uuid.UUID(stored["id"]).version == 1
    assert stored["buyer"]["login"] == "zosia_testowa"
    assert stored["buyer"]["id"]  # filled in
    assert stored["lineItems"][0]["offer"]["name"] == "Kubek z napisem Zażółć"
    assert stored["lineItems"][0]["originalPrice"] == {"amount": "19.99", "currency": "PLN"}
    response = emu.api(token, f"/order/checkout-forms/{stored['id']}")
    assert_valid(response)
    assert response.json() == stored
    assert _events_of(emu, token, stored["id"]) == ["BOUGHT", "FILLED_IN",
                                                    "READY_FOR_PROCESSING"]
    clash = emu.http.post("/__emulator__/orders", json={"checkoutForm": stored})
    assert clash.status_code == 409


def test_buyer_and_seller_actions_record_events(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]

    def new(status: str) -> dict[str, Any]:
        form: dict[str, Any] = emu.control("POST", "/orders", {
            "checkoutForm": {"status": status}})["checkoutForms"][0]
        return form

    unpaid = new("BOUGHT")
    paid = emu.control("POST", f"/orders/{unpaid['id']}/pay")
    assert paid["status"] == "READY_FOR_PROCESSING"
    assert paid["payment"]["finishedAt"]
    assert paid["revision"] != unpaid["revision"]
    assert _events_of(emu, token, unpaid["id"]) == ["BOUGHT", "FILLED_IN",
                                                    "READY_FOR_PROCESSING"]

    moved = emu.control("POST", f"/orders/{paid['id']}/address", {"address": {"city": "Łódź"}})
    assert moved["delivery"]["address"]["city"] == "Łódź"
    assert moved["delivery"]["address"]["modifiedAt"] == moved["updatedAt"]
    assert _events_of(emu, token, paid["id"])[-1] == "BUYER_MODIFIED"

    cancelled = emu.control("POST", f"/orders/{paid['id']}/cancel", {"by": "buyer"})
    assert cancelled["status"] == "CANCELLED"
    assert _events_of(emu, token, paid["id"])[-1] == "BUYER_CANCELLED"
    again = emu.http.post(f"/__emulator__/orders/{paid['id']}/cancel", json={"by": "buyer"})
    assert again.status_code == 409

    stale = new("FILLED_IN")
    emu.control("POST", f"/orders/{stale['id']}/cancel", {"by": "auto"})
    assert _events_of(emu, token, stale["id"])[-1] == "AUTO_CANCELLED"

    shipped = new("READY_FOR_PROCESSING")
    emu.control("POST", f"/orders/{shipped['id']}/cancel", {"by": "seller"})
    form = emu.api(token, f"/order/checkout-forms/{shipped['id']}").json()
    assert form["status"] == "READY_FOR_PROCESSING"  # a seller cancel is a fulfillment status
    assert form["fulfillment"]["status"] == "CANCELLED"
    assert _events_of(emu, token, shipped["id"])[-1] == "FULFILLMENT_STATUS_CHANGED"


def test_control_errors(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    missing = str(uuid.uuid1())
    cases = [
        ("POST", f"/orders/{missing}/pay", None, 404),
        ("POST", "/orders", {"count": 0}, 400),
        ("POST", "/orders", {"checkoutForm": {"status": "SHIPPED"}}, 400),
        ("POST", "/device/approve", {"user_code": "nope"}, 404),
        ("POST", "/device/approve", {}, 400),
        ("POST", "/clock/advance", {"seconds": -5}, 400),
        ("POST", "/clock/advance", {"seconds": "soon"}, 400),
        ("POST", "/orders/merge", {"ids": "x"}, 400),
        ("POST", "/orders", {"seller": "nobody", "count": 1}, 404),
    ]
    for method, path, body, status in cases:
        response = emu.http.request(method, f"/__emulator__{path}", json=body)
        assert response.status_code == status, (path, response.text)
        assert response.json()["error"]
    broken = emu.http.post("/__emulator__/orders", content=b"{not json")
    assert broken.status_code == 400


def test_clock_moves_forward_only(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    before = emu.control("GET", "/clock")["epoch"]
    after = emu.control("POST", "/clock/advance", {"seconds": 86400})["epoch"]
    assert 86400 <= after - before < 86400 + 60


def test_live_step_and_settings(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=50)
    assert emu.control("GET", "/live")["enabled"] is False
    actions = [emu.control("POST", "/live/step")["action"] for _ in range(40)]
    assert "new_order" in actions
    assert set(actions) & {"paid", "fulfillment", "buyer_cancelled", "buyer_modified"}
    settings = emu.control("POST", "/live", {"enabled": True, "orders_per_minute": 30})
    assert settings == {"enabled": True, "orders_per_minute": 30.0, "changes_per_minute": 4.0}
    assert emu.http.post("/__emulator__/live", json={"orders_per_minute": -1}).status_code == 400


def test_live_mode_keeps_orders_coming(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=10, live=True, live_orders_per_minute=3000,
                         live_changes_per_minute=0)
    deadline = time.monotonic() + 10
    count = emu.control("GET", "/stats")["sellers"][0]["orders"]
    while count < 13 and time.monotonic() < deadline:
        count = emu.control("GET", "/stats")["sellers"][0]["orders"]
    assert count >= 13


def _post_form(emu: RunningEmulator, form: dict[str, Any]) -> Any:
    return emu.http.post("/__emulator__/orders", json={"checkoutForm": form})


def test_given_forms_are_checked_before_anything_is_stored(
        start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    item = {"offer": {"id": "1", "name": "Kubek"}, "price": {"amount": "10.00",
                                                             "currency": "PLN"}}
    bad = [
        {"id": str(uuid.uuid4())},
        {"id": "not-a-uuid"},
        {"lineItems": []},
        {"lineItems": [{"price": item["price"]}]},
        {"lineItems": [{**item, "quantity": 0}]},
        {"lineItems": [item], "marketplace": {"id": "allegro-cz"}},  # PLN on the Czech site
        {"marketplace": {"id": "allegro-de"}},
    ]
    for form in bad:
        response = _post_form(emu, form)
        assert response.status_code == 400, (form, response.text)
    assert emu.control("GET", "/stats")["sellers"][0]["orders"] == 0


def test_given_forms_are_consistent(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    items = [{"offer": {"id": str(n), "name": f"Produkt {n}"}, "quantity": n,
              "price": {"amount": "10.00", "currency": "CZK"}} for n in (1, 2, 3)]
    form = emu.control("POST", "/orders", {"checkoutForm": {
        "marketplace": {"id": "allegro-cz"}, "lineItems": items,
        "delivery": {"address": {"city": "Brno"}}}})["checkoutForms"][0]
    response = emu.api(token, f"/order/checkout-forms/{form['id']}")
    assert_valid(response)
    assert form["delivery"]["address"]["city"] == "Brno"
    assert form["delivery"]["address"]["zipCode"]  # the rest of the address is kept
    cost = form["delivery"]["cost"]
    assert cost["currency"] == "CZK"
    total = form["summary"]["totalToPay"]
    assert total == {"amount": f"{60 + float(cost['amount']):.2f}", "currency": "CZK"}
    assert form["payment"]["paidAmount"] == total

    cancelled = emu.control("POST", "/orders", {"checkoutForm": {"status": "CANCELLED"}})
    assert cancelled["checkoutForms"][0]["fulfillment"]["status"] == "CANCELLED"


def test_merge_is_consistent(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    buyer = {"login": "jan_k", "email": "jan@example.pl", "id": "123456789", "guest": False}
    a, b = (emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT",
                                                             "buyer": buyer}})
            ["checkoutForms"][0] for _ in range(2))
    other = emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT"}})
    assert emu.http.post("/__emulator__/orders/merge",
                         json={"ids": [a["id"], a["id"]]}).status_code == 400
    assert emu.http.post("/__emulator__/orders/merge", json={
        "ids": [a["id"], other["checkoutForms"][0]["id"]]}).status_code == 400
    merged = emu.control("POST", "/orders/merge", {"ids": [a["id"], b["id"]]})
    items = sum(float(li["price"]["amount"]) * li["quantity"] for li in merged["lineItems"])
    delivery = float(merged["delivery"]["cost"]["amount"])
    assert float(merged["summary"]["totalToPay"]["amount"]) == round(items + delivery, 2)


def test_unpaid_orders_are_auto_cancelled_after_7_days(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    unpaid = emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT"}})
    order_id = unpaid["checkoutForms"][0]["id"]
    assert emu.control("POST", "/clock/advance", {"seconds": 6 * 86400})["auto_cancelled"] == 0
    moved = emu.control("POST", "/clock/advance", {"seconds": 86400 + 600})
    assert moved["auto_cancelled"] == 1
    token = emu.login()["access_token"]
    form = emu.api(token, f"/order/checkout-forms/{order_id}").json()
    assert form["status"] == "CANCELLED"
    assert _events_of(emu, token, order_id)[-1] == "AUTO_CANCELLED"
