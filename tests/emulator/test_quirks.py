"""Allegro's journal and order quirks, each on its switch (ALLEGRO-API.md §7.5-§7.6,
§9.5-§9.6, §10.3, §10.7)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.openapi_validation import assert_valid

FORMS = "/order/checkout-forms"


def _events(emu: RunningEmulator, token: str) -> list[dict[str, Any]]:
    response = emu.api(token, "/order/events", {"limit": 1000})
    assert_valid(response)
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def _of(events: list[dict[str, Any]], order_id: str) -> list[dict[str, Any]]:
    return [e for e in events if e["order"]["checkoutForm"]["id"] == order_id]


def _new_paid_order(emu: RunningEmulator) -> dict[str, Any]:
    form: dict[str, Any] = emu.control("POST", "/orders", {
        "checkoutForm": {"status": "READY_FOR_PROCESSING"}})["checkoutForms"][0]
    return form


def test_without_quirks_a_new_order_has_a_clean_history(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    form = _new_paid_order(emu)
    events = _of(_events(emu, token), form["id"])
    assert [e["type"] for e in events] == ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"]


def test_duplicate_ready_for_processing(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    emu.control("POST", "/quirks", {"duplicate_rfp": 1.0})
    token = emu.login()["access_token"]
    form = _new_paid_order(emu)
    rfp = [e for e in _of(_events(emu, token), form["id"]) if e["type"] == "READY_FOR_PROCESSING"]
    assert len(rfp) == 2
    assert rfp[0]["id"] != rfp[1]["id"]
    assert rfp[0]["occurredAt"] == rfp[1]["occurredAt"]


def test_out_of_order_events(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    emu.control("POST", "/quirks", {"out_of_order": 1.0})
    token = emu.login()["access_token"]
    form = _new_paid_order(emu)
    events = _of(_events(emu, token), form["id"])
    ids = {e["type"]: int(e["id"]) for e in events}
    assert ids["BOUGHT"] > ids["READY_FOR_PROCESSING"]  # recorded later: a higher id
    by_id = sorted(events, key=lambda e: int(e["id"]))
    assert by_id[-1]["type"] == "BOUGHT"
    assert by_id[-1]["occurredAt"] <= by_id[0]["occurredAt"]


def test_missing_early_events(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    emu.control("POST", "/quirks", {"missing_early": 1.0})
    token = emu.login()["access_token"]
    form = _new_paid_order(emu)
    assert [e["type"] for e in _of(_events(emu, token), form["id"])] == ["READY_FOR_PROCESSING"]


def test_quirks_shape_the_generated_history(start_emulator: StartEmulator) -> None:
    from allegro_desktop.emulator.store import Quirks

    def journal(emu: RunningEmulator) -> dict[str, list[dict[str, Any]]]:
        token = emu.login()["access_token"]
        by_order: dict[str, list[dict[str, Any]]] = {}
        cursor = None
        while True:
            page = emu.api(token, "/order/events",
                           {"limit": 1000} | ({"from": cursor} if cursor else {})).json()
            if not page["events"]:
                return by_order
            for event in page["events"]:
                by_order.setdefault(event["order"]["checkoutForm"]["id"], []).append(event)
            cursor = page["events"][-1]["id"]

    def counts(by_order: dict[str, list[dict[str, Any]]]) -> tuple[int, int, int]:
        duplicated = out_of_order = missing = 0
        for events in by_order.values():
            types = [e["type"] for e in events]
            duplicated += types.count("READY_FOR_PROCESSING") > 1
            ids = {e["type"]: int(e["id"]) for e in events}
            out_of_order += ids.get("BOUGHT", 0) > ids.get("READY_FOR_PROCESSING", 1 << 62)
            missing += "READY_FOR_PROCESSING" in types and "BOUGHT" not in types
        return duplicated, out_of_order, missing

    clean = counts(journal(start_emulator(orders=400, seed=3)))
    quirky = counts(journal(start_emulator(orders=400, seed=3, quirks=Quirks.everything())))
    assert clean[1] == 0
    assert all(q > c for q, c in zip(quirky, clean, strict=True)), (clean, quirky)


def test_merged_history_orders_answer_404(start_emulator: StartEmulator) -> None:
    from allegro_desktop.emulator.store import Quirks

    emu = start_emulator(orders=120, quirks=Quirks(merged_orders=1.0))
    token = emu.login()["access_token"]
    events = _events(emu, token)
    known = {f["id"] for f in emu.control("GET", "/checkout-forms")["checkoutForms"]}
    ghosts = {e["order"]["checkoutForm"]["id"] for e in events if e["type"] == "BOUGHT"} - known
    assert ghosts
    for ghost in list(ghosts)[:3]:
        response = emu.api(token, f"{FORMS}/{ghost}")
        assert_valid(response)
        assert response.status_code == 404


def test_merge_creates_a_new_form_and_old_ids_404(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    buyer = {"login": "ola_m", "email": "ola@example.pl", "id": "555666777", "guest": False}
    a, b = (emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT",
                                                             "buyer": buyer}})
            ["checkoutForms"][0] for _ in range(2))
    merged = emu.control("POST", "/orders/merge", {"ids": [a["id"], b["id"]]})
    assert len(merged["lineItems"]) == len(a["lineItems"]) + len(b["lineItems"])
    for old in (a, b):
        assert emu.api(token, f"{FORMS}/{old['id']}").status_code == 404
    assert emu.api(token, f"{FORMS}/{merged['id']}").json() == merged
    events = _events(emu, token)
    assert _of(events, a["id"])  # the old form's events stay in the journal
    assert [e["type"] for e in _of(events, merged["id"])] == ["FILLED_IN"]


def test_fulfillment_change_keeps_updated_at_and_revision(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    token = emu.login()["access_token"]
    form = _new_paid_order(emu)
    emu.advance(3600)
    changed = emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": "PROCESSING"})
    assert changed["fulfillment"]["status"] == "PROCESSING"
    assert changed["updatedAt"] == form["updatedAt"]
    assert changed["revision"] == form["revision"]
    last = _of(_events(emu, token), form["id"])[-1]
    assert last["type"] == "FULFILLMENT_STATUS_CHANGED"
    assert last["order"]["checkoutForm"]["revision"] == form["revision"]
    # updatedAt filters therefore miss fulfillment changes, as on allegro.pl (ALLEGRO-API.md §9.5):
    since = emu.control("GET", "/clock")["now"]
    emu.advance(60)
    emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": "SENT"})
    listed = emu.api(token, FORMS, {"updatedAt.gte": since}).json()
    assert form["id"] not in {f["id"] for f in listed["checkoutForms"]}

    emu.control("POST", "/quirks", {"fulfillment_keeps_updated_at": False})
    emu.advance(60)
    moved = emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": "PICKED_UP"})
    assert moved["updatedAt"] > form["updatedAt"]


def test_order_retention_switch_hides_old_orders(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=200)
    token = emu.login()["access_token"]
    forms = emu.control("GET", "/checkout-forms")["checkoutForms"]
    oldest = min(forms, key=lambda f: f["lineItems"][0]["boughtAt"])
    assert emu.api(token, f"{FORMS}/{oldest['id']}").status_code == 200
    emu.control("POST", "/quirks", {"order_retention_days": 365})
    gone = emu.api(token, f"{FORMS}/{oldest['id']}")
    assert gone.status_code == 404
    total = emu.api(token, FORMS).json()["totalCount"]
    assert 0 < total < len(forms)


def test_unknown_quirk_is_refused(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    response = emu.http.post("/__emulator__/quirks", json={"duplicate_events": 1})
    assert response.status_code == 400
    assert "duplicate_events" in response.json()["error"]
    assert uuid.UUID(str(uuid.uuid1())).version == 1
