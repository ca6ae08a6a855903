"""Tests of the emulator's order generator: determinism, realism, lifecycle consistency, schema.

The demo, the benchmarks and many other tests stand on this data, so these tests check both that
it is *valid* (every form matches Allegro's CheckoutForm schema, events agree with the form) and
that it *looks real* (Polish names with diacritics, valid NIPs, post codes, plausible mixes).
"""

from __future__ import annotations

import ast
import copy
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from allegro_desktop.emulator import generator as gen_module
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.emulator.generator import (
    BUYER_SIDE_EVENT_TYPES,
    EVENT_TYPES,
    FULFILLMENT_STATUSES,
    MARKETPLACE_IDS,
    GeneratedOrder,
    OrderGenerator,
    iso,
    time_uuid,
)

NOW = datetime(2026, 5, 24, 15, 47, 5, 187_654, tzinfo=UTC)
SELLER = "136344477"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "checkout-form.schema.json"
UUID_EPOCH_TICKS = 0x01B21DD213814000
REVISION_RE = re.compile(r"^[0-9a-f]{8}$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
AMOUNT_RE = re.compile(r"^\d+\.\d{2}$")
EMAIL_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$")
PL_POST_CODE_RE = re.compile(r"^\d{2}-\d{3}$")
CURRENCY = {"allegro-pl": "PLN", "allegro-cz": "CZK", "allegro-sk": "EUR", "allegro-hu": "HUF"}
COUNTRY = {"allegro-pl": "PL", "allegro-cz": "CZ", "allegro-sk": "SK", "allegro-hu": "HU"}
LANGUAGE = {"allegro-pl": "pl-PL", "allegro-cz": "cs-CZ", "allegro-sk": "sk-SK",
            "allegro-hu": "hu-HU"}
LIFECYCLE_STATES = (
    "BOUGHT", "FILLED_IN", *(f"RFP:{s}" for s in FULFILLMENT_STATUSES),
    "CANCELLED:BUYER", "CANCELLED:AUTO",
)


# -- helpers --------------------------------------------------------------------------------


def ms(value: str | datetime) -> int:
    """Milliseconds since the epoch of an Allegro timestamp string or an aware datetime."""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (dt - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)


def state(order: GeneratedOrder) -> str:
    form = order.form
    if form["status"] == "READY_FOR_PROCESSING":
        return f"RFP:{form['fulfillment']['status']}"
    if form["status"] == "CANCELLED":
        return "CANCELLED:AUTO" if order.events[-1].type == "AUTO_CANCELLED" else "CANCELLED:BUYER"
    return str(form["status"])


def dump(orders: list[GeneratedOrder]) -> str:
    return json.dumps(
        [[o.form, [(e.type, e.occurred_at.isoformat(), e.revision) for e in o.events]]
         for o in orders],
        ensure_ascii=False, sort_keys=False)


def amounts(node: Any) -> Iterator[dict[str, Any]]:
    """Every Price-shaped dict ({amount, currency}) inside a form."""
    if isinstance(node, dict):
        if set(node) == {"amount", "currency"}:
            yield node
        for value in node.values():
            yield from amounts(value)
    elif isinstance(node, list):
        for value in node:
            yield from amounts(value)


def nip_valid(nip: str) -> bool:
    if not re.fullmatch(r"\d{10}", nip):
        return False
    check = sum(int(d) * w for d, w in zip(nip, (6, 5, 7, 2, 3, 4, 5, 6, 7), strict=False)) % 11
    return check != 10 and check == int(nip[9])


def phone_digits(phone: str, prefix: str = "+48") -> str:
    return re.sub(r"[\s-]", "", phone).removeprefix(prefix)


@pytest.fixture(scope="module")
def orders() -> list[GeneratedOrder]:
    return OrderGenerator(seed=7, seller_id=SELLER).history(2000, now=NOW)


@pytest.fixture(scope="module")
def pl_orders(orders: list[GeneratedOrder]) -> list[GeneratedOrder]:
    return [o for o in orders if o.form["marketplace"]["id"] == "allegro-pl"]


# -- determinism ------------------------------------------------------------------------------


def test_history_is_deterministic() -> None:
    first = OrderGenerator(seed=3, seller_id=SELLER).history(400, now=NOW)
    second = OrderGenerator(seed=3, seller_id=SELLER).history(400, now=NOW)
    assert dump(first) == dump(second)


def test_history_does_not_depend_on_earlier_calls() -> None:
    generator = OrderGenerator(seed=3, seller_id=SELLER)
    generator.new_order(at=NOW)
    generator.history(50, now=NOW)
    assert dump(generator.history(300, now=NOW)) == dump(
        OrderGenerator(seed=3, seller_id=SELLER).history(300, now=NOW))


def test_an_emulator_started_at_a_time_has_the_same_shop_however_busy_the_machine() -> None:
    """The shop is generated at the configured start, not at the running clock's reading a
    moment later: the history is seeded with its `now` to the millisecond, so a start at a
    millisecond's last microsecond would otherwise give another shop on every run (and a
    start on the millisecond another shop whenever the machine was slow)."""
    on_the_millisecond = NOW.replace(microsecond=187_000)
    its_last_microsecond = NOW.replace(microsecond=187_999)

    def forms(start: datetime) -> list[bytes]:
        emulator = Emulator(EmulatorConfig(orders=50, seed=3, now=start))
        return emulator.store.all_forms(emulator.default_seller_id)

    assert forms(its_last_microsecond) == forms(on_the_millisecond)


def test_different_seed_or_seller_gives_different_orders() -> None:
    base = dump(OrderGenerator(seed=3, seller_id=SELLER).history(50, now=NOW))
    assert dump(OrderGenerator(seed=4, seller_id=SELLER).history(50, now=NOW)) != base
    assert dump(OrderGenerator(seed=3, seller_id="999").history(50, now=NOW)) != base


def test_history_count_order_and_window(orders: list[GeneratedOrder]) -> None:
    assert len(orders) == 2000
    bought = [ms(o.form["lineItems"][0]["boughtAt"]) for o in orders]
    assert bought == sorted(bought)
    assert bought[0] >= ms(NOW - timedelta(days=395))
    assert bought[-1] <= ms(NOW)
    # The shop grows: the last quarter of the window is denser than the first.
    quarter = ms(NOW) - ms(NOW - timedelta(days=395 // 4))
    first = sum(1 for b in bought if b < bought[0] + quarter)
    last = sum(1 for b in bought if b > ms(NOW) - quarter)
    assert last > first * 1.3
    assert len({o.form["id"] for o in orders}) == len(orders)


def test_empty_history() -> None:
    assert OrderGenerator(seed=1, seller_id=SELLER).history(0, now=NOW) == []


def test_history_rejects_bad_arguments() -> None:
    generator = OrderGenerator(seed=1, seller_id=SELLER)
    with pytest.raises(ValueError, match="negative"):
        generator.history(-1, now=NOW)
    with pytest.raises(ValueError, match="naive"):
        generator.history(5, now=datetime(2026, 1, 1))


# -- lifecycle coverage ---------------------------------------------------------------------


def test_every_state_and_marketplace_in_2000(orders: list[GeneratedOrder]) -> None:
    states = Counter(state(o) for o in orders)
    assert set(LIFECYCLE_STATES) <= set(states), states
    markets = Counter(o.form["marketplace"]["id"] for o in orders)
    assert set(markets) == set(MARKETPLACE_IDS)
    assert 0.84 < markets["allegro-pl"] / len(orders) < 0.95
    # A real shop: old orders are mostly sent, unpaid and open ones are few.
    assert states["RFP:SENT"] + states["RFP:PICKED_UP"] > 0.8 * len(orders)
    types = Counter(e.type for o in orders for e in o.events)
    assert set(types) == set(EVENT_TYPES)


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_every_state_with_200_orders(seed: int) -> None:
    history = OrderGenerator(seed=seed, seller_id=SELLER).history(200, now=NOW)
    assert {state(o) for o in history} >= set(LIFECYCLE_STATES)
    assert {o.form["marketplace"]["id"] for o in history} == set(MARKETPLACE_IDS)
    assert any(e.type == "BUYER_MODIFIED" for o in history for e in o.events)
    bought = [o.form["lineItems"][0]["boughtAt"] for o in history]
    assert bought == sorted(bought)


def test_recent_orders_are_open_and_old_ones_done(orders: list[GeneratedOrder]) -> None:
    now = ms(NOW)
    for order in orders:
        age = now - ms(order.form["lineItems"][0]["boughtAt"])
        if state(order) in ("BOUGHT", "FILLED_IN"):
            assert age < 7 * 86_400_000
        if state(order) == "RFP:NEW":
            assert age < 14 * 86_400_000


# -- ids and times ---------------------------------------------------------------------------


def test_ids_are_time_uuids_of_bought_at(orders: list[GeneratedOrder]) -> None:
    for order in orders:
        form_id = uuid.UUID(order.form["id"])
        assert form_id.version == 1
        assert str(form_id) == order.form["id"]
        bought = ms(order.form["lineItems"][0]["boughtAt"])
        assert (form_id.time - UUID_EPOCH_TICKS) // 10_000 == bought
        for item in order.form["lineItems"]:
            assert uuid.UUID(item["id"]).version == 4
            assert item["boughtAt"] == order.form["lineItems"][0]["boughtAt"]


def test_time_uuid_and_iso() -> None:
    at = datetime(2024, 5, 1, 10, 12, 32, 321_987, tzinfo=UTC)
    assert iso(at) == "2024-05-01T10:12:32.321Z"
    assert iso(datetime(2024, 5, 1, 12, 0, tzinfo=UTC).astimezone()) == "2024-05-01T12:00:00.000Z"
    import random

    value = uuid.UUID(time_uuid(at, random.Random(1)))
    assert value.version == 1
    assert value.variant == uuid.RFC_4122
    assert value.time == UUID_EPOCH_TICKS + ms(at) * 10_000 + 9_870
    assert time_uuid(at, random.Random(1)) == str(value)
    assert time_uuid(at, random.Random(2)) != str(value)
    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        time_uuid(datetime(2024, 1, 1), random.Random(1))


def test_timestamps_format(orders: list[GeneratedOrder]) -> None:
    for order in orders[::7]:
        form = order.form
        assert ISO_RE.match(form["updatedAt"])
        assert ISO_RE.match(form["lineItems"][0]["boughtAt"])
        if form["payment"]["finishedAt"]:
            assert ISO_RE.match(form["payment"]["finishedAt"])
        for event in order.events:
            assert event.occurred_at.tzinfo is not None
            assert event.occurred_at.utcoffset() == timedelta(0)
            assert event.occurred_at.microsecond % 1000 == 0


# -- events, revisions, updatedAt -----------------------------------------------------------


def test_events_consistent_with_status(orders: list[GeneratedOrder]) -> None:
    status_after = {"BOUGHT": "BOUGHT", "FILLED_IN": "FILLED_IN",
                    "READY_FOR_PROCESSING": "READY_FOR_PROCESSING",
                    "BUYER_CANCELLED": "CANCELLED", "AUTO_CANCELLED": "CANCELLED"}
    for order in orders:
        form, events = order.form, order.events
        times = [e.occurred_at for e in events]
        assert times == sorted(times)
        assert events[0].type == "BOUGHT"
        assert iso(events[0].occurred_at) == form["lineItems"][0]["boughtAt"]
        assert all(e.type in EVENT_TYPES for e in events)
        assert sum(e.type == "BOUGHT" for e in events) == 1
        status_events = [e for e in events if e.type in status_after]
        assert status_after[status_events[-1].type] == form["status"]
        fulfillment = form["fulfillment"]["status"]
        changes = [e for e in events if e.type == "FULFILLMENT_STATUS_CHANGED"]
        if form["status"] == "CANCELLED":
            assert fulfillment == "CANCELLED"
            assert events[-1].type in ("BUYER_CANCELLED", "AUTO_CANCELLED")
        elif form["status"] == "READY_FOR_PROCESSING":
            assert (fulfillment == "NEW") == (not changes)
            first_rfp = next(e for e in events if e.type == "READY_FOR_PROCESSING")
            assert all(c.occurred_at > first_rfp.occurred_at for c in changes)
        else:
            assert fulfillment == "NEW"
            assert not changes
            assert form["status"] != "FILLED_IN" or any(e.type == "FILLED_IN" for e in events)


def test_revisions_change_only_on_buyer_side_events(orders: list[GeneratedOrder]) -> None:
    for order in orders:
        previous: str | None = None
        for event in order.events:
            assert REVISION_RE.match(event.revision)
            if event.type in BUYER_SIDE_EVENT_TYPES:
                assert event.revision != previous
            else:
                assert event.type == "FULFILLMENT_STATUS_CHANGED"
                assert event.revision == previous
            previous = event.revision
        assert order.form["revision"] == order.events[-1].revision


def test_updated_at_is_last_buyer_side_change(orders: list[GeneratedOrder]) -> None:
    moved_by_seller = 0
    for order in orders:
        buyer_side = [e for e in order.events if e.type in BUYER_SIDE_EVENT_TYPES]
        assert order.form["updatedAt"] == iso(buyer_side[-1].occurred_at)
        if order.events[-1].type == "FULFILLMENT_STATUS_CHANGED":
            moved_by_seller += 1
            assert ms(order.form["updatedAt"]) < ms(order.events[-1].occurred_at)
    assert moved_by_seller > len(orders) // 2


def test_no_event_after_now(orders: list[GeneratedOrder]) -> None:
    assert max(e.occurred_at for o in orders for e in o.events) <= NOW


def test_auto_cancel_after_seven_days(orders: list[GeneratedOrder]) -> None:
    auto = [o for o in orders if o.events[-1].type == "AUTO_CANCELLED"]
    assert auto
    for order in auto:
        bought = order.events[0].occurred_at
        assert order.events[-1].occurred_at - bought >= timedelta(days=7)
        assert not any(e.type == "READY_FOR_PROCESSING" for e in order.events)
        assert order.form["payment"]["finishedAt"] is None


def test_event_timing_is_plausible(orders: list[GeneratedOrder]) -> None:
    fill_delays = []
    for order in orders:
        events = order.events
        if len(events) > 1 and events[1].type == "FILLED_IN":
            fill_delays.append(events[1].occurred_at - events[0].occurred_at)
    fill_delays.sort()
    assert fill_delays[len(fill_delays) // 2] < timedelta(minutes=2)
    assert fill_delays[-1] < timedelta(minutes=15)
    # Sellers mostly pack and ship in Warsaw business hours (UTC+1/+2), Monday-Saturday.
    changes = [e.occurred_at for o in orders for e in o.events
               if e.type == "FULFILLMENT_STATUS_CHANGED"]
    in_hours = sum(1 for t in changes if 5 <= t.hour <= 17 and t.weekday() < 6)
    assert in_hours / len(changes) > 0.85


def test_buyer_modified_sets_modified_at(orders: list[GeneratedOrder]) -> None:
    modified = [o for o in orders if any(e.type == "BUYER_MODIFIED" for e in o.events)]
    paid = [o for o in orders if any(e.type == "READY_FOR_PROCESSING" for e in o.events)]
    assert 0.01 < len(modified) / len(paid) < 0.06
    for order in modified:
        event = next(e for e in order.events if e.type == "BUYER_MODIFIED")
        assert order.form["delivery"]["address"]["modifiedAt"] == iso(event.occurred_at)
        assert any(e.type == "READY_FOR_PROCESSING" for e in order.events)
    for order in orders:
        if order not in modified:
            assert order.form["delivery"]["address"]["modifiedAt"] is None


def test_surcharge_adds_a_second_ready_for_processing(orders: list[GeneratedOrder]) -> None:
    with_surcharge = [o for o in orders if o.form["surcharges"]]
    assert with_surcharge
    for order in with_surcharge:
        surcharge = order.form["surcharges"][0]
        rfps = [e for e in order.events if e.type == "READY_FOR_PROCESSING"]
        assert len(rfps) >= 2
        assert surcharge["finishedAt"] in {iso(e.occurred_at) for e in rfps[1:]}
        assert surcharge["paidAmount"]["currency"] == order.form["summary"]["totalToPay"][
            "currency"]


# -- money --------------------------------------------------------------------------------------


def test_total_to_pay_is_exact_sum(orders: list[GeneratedOrder]) -> None:
    for order in orders:
        form = order.form
        items = sum((Decimal(li["price"]["amount"]) * li["quantity"] for li in form["lineItems"]),
                    Decimal(0))
        total = items + Decimal(form["delivery"]["cost"]["amount"])
        assert Decimal(form["summary"]["totalToPay"]["amount"]) == total
        assert f"{total:.2f}" == form["summary"]["totalToPay"]["amount"]


def test_one_currency_per_order(orders: list[GeneratedOrder]) -> None:
    for order in orders:
        currency = CURRENCY[order.form["marketplace"]["id"]]
        for price in amounts(order.form):
            assert price["currency"] == currency
            assert AMOUNT_RE.match(price["amount"]), price
        if currency == "HUF":
            assert all(p["amount"].endswith("0.00") for p in amounts(order.form)
                       if p["amount"] != "0.00")


def test_line_items(orders: list[GeneratedOrder]) -> None:
    lines = Counter(len(o.form["lineItems"]) for o in orders)
    assert lines[1] / len(orders) > 0.7
    assert max(lines) <= 4
    quantities = Counter(li["quantity"] for o in orders for li in o.form["lineItems"])
    assert quantities[1] / sum(quantities.values()) > 0.75
    assert max(quantities) <= 5
    discounted = 0
    for order in orders:
        offer_ids = [li["offer"]["id"] for li in order.form["lineItems"]]
        assert len(offer_ids) == len(set(offer_ids))
        for item in order.form["lineItems"]:
            assert Decimal(item["originalPrice"]["amount"]) >= Decimal(item["price"]["amount"]) > 0
            if item["price"] != item["originalPrice"]:
                discounted += 1
                assert item["discounts"]
            assert item["tax"] is None or item["tax"]["rate"] in ("23.00", "21.00", "27.00")
    assert discounted > 0


def test_catalogue_is_a_coherent_shop(orders: list[GeneratedOrder]) -> None:
    names: dict[str, set[str]] = {}
    skus: dict[str, set[Any]] = {}
    prices: dict[tuple[str, str], set[str]] = {}
    for order in orders:
        for item in order.form["lineItems"]:
            offer = item["offer"]
            names.setdefault(offer["id"], set()).add(offer["name"])
            skus.setdefault(offer["id"], set()).add(json.dumps(offer["external"]))
            prices.setdefault((offer["id"], item["originalPrice"]["currency"]), set()).add(
                item["originalPrice"]["amount"])
    assert 60 <= len(names) <= 150
    for offer_id, offer_names in names.items():
        assert re.fullmatch(r"\d{11}", offer_id)
        assert len(offer_names) == 1
        assert len(next(iter(offer_names))) <= 75
        assert len(skus[offer_id]) == 1
    assert all(len(p) == 1 for p in prices.values())
    titles = " ".join(n for s in names.values() for n in s)
    for word in ("Etui", "Ładowarka", "Kubek termiczny", "Patelnia"):
        assert word in titles


# -- people and places ----------------------------------------------------------------------


def test_polish_buyers_look_real(pl_orders: list[GeneratedOrder]) -> None:
    text = []
    for order in pl_orders:
        buyer = order.form["buyer"]
        assert re.fullmatch(r"\d{8,9}", buyer["id"])
        assert buyer["preferences"] == {"language": "pl-PL"}
        assert PL_POST_CODE_RE.match(buyer["address"]["postCode"])
        assert buyer["address"]["countryCode"] == "PL"
        assert re.search(r"\d", buyer["address"]["street"])
        assert re.fullmatch(r"\d{9}", phone_digits(buyer["phoneNumber"])), buyer["phoneNumber"]
        assert EMAIL_RE.match(buyer["email"]), buyer["email"]
        address = order.form["delivery"]["address"]
        assert PL_POST_CODE_RE.match(address["zipCode"])
        assert re.fullmatch(r"\d{9}", phone_digits(address["phoneNumber"]))
        text += [buyer["firstName"], buyer["lastName"], buyer["address"]["city"]]
    joined = " ".join(text)
    assert set("ąćęłńóśźżŁŚŻ") & set(joined)
    assert "Łódź" in joined or "Gdańsk" in joined or "Kraków" in joined
    phones = [o.form["buyer"]["phoneNumber"] for o in pl_orders]
    assert any(" " in p for p in phones)
    assert any(re.fullmatch(r"\d{9}", p) for p in phones)
    assert any(p.startswith("+48") for p in phones)


def test_surnames_match_gender(pl_orders: list[GeneratedOrder]) -> None:
    female = set(gen_module._PL_FEMALE_NAMES)
    male = set(gen_module._PL_MALE_NAMES)
    checked = 0
    for order in pl_orders:
        buyer = order.form["buyer"]
        if buyer["firstName"] in female:
            assert not buyer["lastName"].endswith(("ski", "cki", "dzki")), buyer
        elif buyer["firstName"] in male:
            assert not buyer["lastName"].endswith(("ska", "cka", "dzka")), buyer
        checked += buyer["lastName"].endswith(("ska", "ski", "cka", "cki"))
    assert checked > 50


def test_logins_and_emails(orders: list[GeneratedOrder]) -> None:
    logins = {o.form["buyer"]["login"] for o in orders}
    assert any("_" in login for login in logins)
    assert any(re.fullmatch(r"[A-Z][a-z]+\.[A-Z]", login) for login in logins)
    domains = Counter(o.form["buyer"]["email"].split("@")[1] for o in orders)
    for domain in ("gmail.com", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "allegromail.pl"):
        assert domains[domain] > 0, domain
    for order in orders:
        assert EMAIL_RE.match(order.form["buyer"]["email"]), order.form["buyer"]["email"]


def test_repeat_and_guest_buyers(orders: list[GeneratedOrder]) -> None:
    by_id: dict[str, list[dict[str, Any]]] = {}
    for order in orders:
        by_id.setdefault(order.form["buyer"]["id"], []).append(order.form["buyer"])
    repeat = [buyers for buyers in by_id.values() if len(buyers) > 1]
    assert len(repeat) > 50
    assert max(len(b) for b in repeat) >= 4
    for buyers in repeat:
        assert len({json.dumps(b, sort_keys=True) for b in buyers}) == 1
    logins: dict[str, str] = {}
    for order in orders:
        buyer = order.form["buyer"]
        assert logins.setdefault(buyer["login"], buyer["id"]) == buyer["id"]
    guests = [o.form["buyer"] for o in orders if o.form["buyer"]["guest"]]
    assert guests
    assert all(g["login"].startswith("Client:") for g in guests)


def test_foreign_marketplaces(orders: list[GeneratedOrder]) -> None:
    post_code = {"CZ": r"\d{3} \d{2}", "SK": r"\d{3} \d{2}", "HU": r"\d{4}"}
    for order in orders:
        market = order.form["marketplace"]["id"]
        buyer = order.form["buyer"]
        assert buyer["preferences"]["language"] == LANGUAGE[market]
        assert buyer["address"]["countryCode"] == COUNTRY[market]
        assert order.form["delivery"]["address"]["countryCode"] == COUNTRY[market]
        if market != "allegro-pl":
            assert re.fullmatch(post_code[COUNTRY[market]], buyer["address"]["postCode"])
            assert order.form["invoice"]["required"] is False
    cities = {o.form["buyer"]["address"]["city"] for o in orders}
    assert {"Praha", "Bratislava", "Budapest"} <= cities


def test_company_purchases(orders: list[GeneratedOrder]) -> None:
    pl = [o for o in orders if o.form["marketplace"]["id"] == "allegro-pl"]
    companies = [o for o in pl if o.form["invoice"]["address"]
                 and o.form["invoice"]["address"]["company"]]
    assert 0.08 < len(companies) / len(pl) < 0.25
    legal_forms = Counter()
    for order in companies:
        invoice = order.form["invoice"]
        company = invoice["address"]["company"]
        assert invoice["required"] is True
        assert company["ids"][0]["type"] == "PL_NIP"
        nip = company["ids"][0]["value"]
        assert nip_valid(nip), nip
        assert company["taxId"] == nip
        assert company["vatPayerStatus"] in ("ACTIVE", "NON_ACTIVE")
        assert order.form["buyer"]["companyName"] == company["name"]
        assert PL_POST_CODE_RE.match(invoice["address"]["zipCode"])
        legal_forms.update(f for f in ("Sp. z o.o.", "s.c.", "PHU") if f in company["name"])
    assert len(legal_forms) == 3
    private = [o for o in pl if o.form["invoice"]["address"]
               and o.form["invoice"]["address"]["naturalPerson"]]
    assert private
    for order in pl:
        invoice = order.form["invoice"]
        if not invoice["required"]:
            assert invoice["address"] is None
        if invoice["address"] is None or invoice["address"]["company"] is None:
            assert order.form["buyer"]["companyName"] is None


# -- payment, delivery, fulfillment -----------------------------------------------------------


def test_payment_matches_status(orders: list[GeneratedOrder]) -> None:
    types = Counter()
    for order in orders:
        form = order.form
        payment = form["payment"]
        types[payment["type"]] += 1
        uuid.UUID(payment["id"])
        rfps = [e for e in order.events if e.type == "READY_FOR_PROCESSING"]
        if payment["type"] == "CASH_ON_DELIVERY":
            assert payment["provider"] == "OFFLINE"
            assert payment["finishedAt"] is None
            assert payment["paidAmount"] is None
        elif rfps:
            assert payment["finishedAt"] == iso(rfps[0].occurred_at)
            assert payment["paidAmount"] == form["summary"]["totalToPay"]
            assert payment["reconciliation"] in (None, form["summary"]["totalToPay"])
            assert payment["provider"] in ("PAYU", "P24", "AF", "EPT")
        else:
            assert payment["finishedAt"] is None
            assert payment["paidAmount"] is None
            assert payment["features"] == []
        if form["status"] == "BOUGHT":
            assert payment["provider"] is None
    assert types["ONLINE"] / len(orders) > 0.75
    assert types["CASH_ON_DELIVERY"] > 0
    assert types["WIRE_TRANSFER"] > 0


def test_delivery(orders: list[GeneratedOrder]) -> None:
    method_ids: dict[tuple[str, str], set[str]] = {}
    smart = 0
    for order in orders:
        delivery = order.form["delivery"]
        method = delivery["method"]
        key = (order.form["marketplace"]["id"], method["name"])
        method_ids.setdefault(key, set()).add(method["id"])
        uuid.UUID(method["id"])
        smart += delivery["smart"]
        if delivery["smart"]:
            assert delivery["cost"]["amount"] == "0.00"
        if method["name"] == "Odbiór osobisty":
            assert delivery["cost"]["amount"] == "0.00"
        if "Kurier" in method["name"] or method["name"] == "Odbiór osobisty":
            assert delivery["pickupPoint"] is None
        if method["name"] == "Allegro Paczkomaty InPost":
            point = delivery["pickupPoint"]
            assert re.fullmatch(r"[A-Z]{3}\d{2,3}[A-Z]", point["id"])
            assert point["name"] == f"Paczkomat {point['id']}"
            assert PL_POST_CODE_RE.match(point["address"]["zipCode"])
        if "pobranie" in method["name"]:
            assert order.form["payment"]["type"] == "CASH_ON_DELIVERY"
        times = delivery["time"]
        assert times["guaranteed"] is None
        assert ms(times["dispatch"]["from"]) < ms(times["dispatch"]["to"])
        assert ms(times["dispatch"]["from"]) <= ms(times["from"]) < ms(times["to"])
        assert ms(times["dispatch"]["to"]) > ms(order.form["lineItems"][0]["boughtAt"])
        assert delivery["calculatedNumberOfPackages"] == 1
        assert delivery["cancellation"] is None
    assert all(len(ids) == 1 for ids in method_ids.values())  # stable id per method
    assert len({i for ids in method_ids.values() for i in ids}) == len(method_ids)
    for name in ("Allegro Paczkomaty InPost", "Allegro Kurier DPD", "Allegro One Box",
                 "Odbiór osobisty", "Kurier InPost pobranie", "Allegro MiniPaczka",
                 "Allegro Odbiór w Punkcie Orlen Paczka", "Allegro Kurier DHL"):
        assert ("allegro-pl", name) in method_ids
    assert 0.3 < smart / len(orders) < 0.5


def test_fulfillment_shipment_summary(orders: list[GeneratedOrder]) -> None:
    providers = Counter()
    for order in orders:
        fulfillment = order.form["fulfillment"]
        providers[fulfillment["provider"]["id"]] += 1
        sent = fulfillment["shipmentSummary"]["lineItemsSent"]
        if fulfillment["status"] in ("SENT", "PICKED_UP", "RETURNED"):
            assert sent == "ALL"
        if fulfillment["status"] in ("NEW", "CANCELLED", "SUSPENDED", "READY_FOR_PICKUP"):
            assert sent == "NONE"
        if sent == "SOME":
            assert len(order.form["lineItems"]) > 1
    assert providers["SELLER"] > 0.95 * len(orders)
    assert providers["ALLEGRO"] > 0


def test_messages_and_notes(orders: list[GeneratedOrder]) -> None:
    messages = [o.form["messageToSeller"] for o in orders if o.form["messageToSeller"]]
    assert 0.03 < len(messages) / len(orders) < 0.15
    notes = [o.form["note"]["text"] for o in orders if o.form["note"]]
    assert 0 < len(notes) < 0.15 * len(orders)


# -- schema ---------------------------------------------------------------------------------------


def _closed(schema: Any) -> Any:
    """A copy of ``schema`` in which objects reject unknown keys (catches typos in our keys)."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(loaded)
    return loaded


def test_forms_validate_against_checkout_form_schema(orders: list[GeneratedOrder],
                                                     schema: dict[str, Any]) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    strict = Draft202012Validator(_closed(copy.deepcopy(schema)))
    by_state: dict[str, list[GeneratedOrder]] = {}
    for order in orders:
        by_state.setdefault(state(order), []).append(order)
    sample = [o for group in by_state.values() for o in group[:25]] + orders[::8]
    assert len(sample) >= 300
    live = OrderGenerator(seed=9, seller_id=SELLER)
    sample += [live.new_order(at=NOW, paid=paid) for paid in (True, False, None) * 10]
    for order in sample:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(order.form)]
        errors += [f"strict {'/'.join(map(str, e.absolute_path))}: {e.message}"
                   for e in strict.iter_errors(order.form)]
        assert not errors, (state(order), errors[:5])


def test_schema_rejects_what_allegro_requires(schema: dict[str, Any]) -> None:
    """The copied schema still has teeth: required fields and enums are enforced."""
    validator = Draft202012Validator(schema)
    form = OrderGenerator(seed=1, seller_id=SELLER).new_order(at=NOW).form
    assert validator.is_valid(form)
    for key in ("id", "buyer", "status", "lineItems", "summary"):
        assert not validator.is_valid({k: v for k, v in form.items() if k != key})
        assert not validator.is_valid(dict(form, **{key: None}))
    assert not validator.is_valid(dict(form, status="PAID"))
    assert not validator.is_valid(dict(form, fulfillment=dict(form["fulfillment"],
                                                              status="SHIPPED")))


# -- live mode --------------------------------------------------------------------------------


def test_new_order_paid() -> None:
    generator = OrderGenerator(seed=11, seller_id=SELLER)
    for _ in range(30):
        order = generator.new_order(at=NOW, paid=True)
        assert [e.type for e in order.events] == ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"]
        assert order.form["status"] == "READY_FOR_PROCESSING"
        assert order.form["fulfillment"]["status"] == "NEW"
        bought = datetime.fromisoformat(order.form["lineItems"][0]["boughtAt"])
        assert NOW - timedelta(minutes=5) <= bought < NOW
        assert all(e.occurred_at <= NOW for e in order.events)
        assert order.form["revision"] == order.events[-1].revision
        assert len({e.revision for e in order.events}) == 3


def test_new_order_unpaid() -> None:
    generator = OrderGenerator(seed=11, seller_id=SELLER)
    seen = set()
    for _ in range(40):
        order = generator.new_order(at=NOW, paid=False)
        types = [e.type for e in order.events]
        assert order.form["status"] in ("BOUGHT", "FILLED_IN")
        assert types[0] == "BOUGHT"
        assert set(types) <= {"BOUGHT", "FILLED_IN"}
        assert order.form["status"] == types[-1]
        assert order.form["payment"]["finishedAt"] is None
        assert order.form["payment"]["type"] != "CASH_ON_DELIVERY"
        seen.add(order.form["status"])
    assert seen == {"BOUGHT", "FILLED_IN"}


def test_new_order_default_mix_and_state() -> None:
    generator = OrderGenerator(seed=12, seller_id=SELLER)
    generated = [generator.new_order(at=NOW) for _ in range(300)]
    paid = sum(o.form["status"] == "READY_FOR_PROCESSING" for o in generated)
    assert 0.75 < paid / len(generated) < 0.93
    assert len({o.form["id"] for o in generated}) == len(generated)
    again = OrderGenerator(seed=12, seller_id=SELLER)
    assert dump([again.new_order(at=NOW) for _ in range(300)]) == dump(generated)


def test_live_orders_reuse_history_customers() -> None:
    generator = OrderGenerator(seed=13, seller_id=SELLER)
    history = generator.history(500, now=NOW)
    known = {o.form["buyer"]["id"] for o in history}
    live = [generator.new_order(at=NOW + timedelta(minutes=i)) for i in range(200)]
    assert any(o.form["buyer"]["id"] in known for o in live)
    assert {o.form["lineItems"][0]["offer"]["id"] for o in live} <= {
        li["offer"]["id"] for o in history for li in o.form["lineItems"]} | {
        li["offer"]["id"] for o in live for li in o.form["lineItems"]}


def test_new_revision() -> None:
    generator = OrderGenerator(seed=1, seller_id=SELLER)
    revisions = [generator.new_revision() for _ in range(100)]
    assert all(REVISION_RE.match(r) for r in revisions)
    assert len(set(revisions)) == 100


@pytest.mark.parametrize(("country", "zip_re"), [
    ("PL", r"\d{2}-\d{3}"), ("CZ", r"\d{3} \d{2}"), ("SK", r"\d{3} \d{2}"), ("HU", r"\d{4}"),
])
def test_random_address(country: str, zip_re: str) -> None:
    generator = OrderGenerator(seed=1, seller_id=SELLER)
    address = generator.random_address(country_code=country)
    assert list(address) == ["firstName", "lastName", "street", "city", "zipCode",
                             "countryCode", "companyName", "phoneNumber", "modifiedAt"]
    assert address["countryCode"] == country
    assert re.fullmatch(zip_re, address["zipCode"])
    assert address["modifiedAt"] is None
    assert address != generator.random_address(country_code=country)


def test_random_address_rejects_unknown_country() -> None:
    with pytest.raises(ValueError, match="country"):
        OrderGenerator(seed=1, seller_id=SELLER).random_address(country_code="DE")


# -- isolation ------------------------------------------------------------------------------------


def test_generator_imports_only_stdlib_and_faker() -> None:
    tree = ast.parse(Path(gen_module.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert "PySide6" not in roots
    assert "allegro_desktop" not in roots
    assert roots <= {"__future__", "bisect", "collections", "contextlib", "dataclasses",
                     "datetime", "gc", "itertools", "random", "time", "types", "typing", "zlib",
                     "faker", "_typeshed"}
