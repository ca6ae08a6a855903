"""api/parsing.py: Allegro's checkout forms and events -> domain objects.

Over the spec's own example, a generated 2000-order history, and broken inputs: tolerant of
`null` and odd types wherever the app can do without the field, strict (naming field and form)
where it cannot.
"""

from __future__ import annotations

import contextlib
import copy
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.api.parsing import (
    MalformedOrderError,
    parse_amount,
    parse_checkout_form,
    parse_event,
    parse_events,
    parse_time,
)
from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.domain.orders import (
    EXACT_LIMIT,
    EventType,
    FulfillmentStatus,
    Money,
    OrderStatus,
    PaymentType,
)
from allegro_desktop.domain.received import Inexact
from allegro_desktop.domain.unreadable import read_reason
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.emulator.generator import OrderGenerator
from tests.helpers.hostile_proxy import nested

EXAMPLES = Path(__file__).parent / "data" / "examples"
ACCOUNT = "production|437848322"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

Path_ = tuple[str | int, ...]

#: What a checkout form cannot be without (and the parser's name for it).
REQUIRED: dict[Path_, str] = {
    ("id",): "id",
    ("status",): "status",
    ("lineItems",): "lineItems",
    ("summary",): "summary.totalToPay",
    ("summary", "totalToPay"): "summary.totalToPay",
    ("summary", "totalToPay", "amount"): "summary.totalToPay.amount",
    ("summary", "totalToPay", "currency"): "summary.totalToPay.currency",
    ("lineItems", 0): "lineItems[0]",
    ("lineItems", 0, "id"): "lineItems[0].id",
    ("lineItems", 0, "quantity"): "lineItems[0].quantity",
    ("lineItems", 0, "price"): "lineItems[0].price",
    ("lineItems", 0, "price", "amount"): "lineItems[0].price.amount",
    ("lineItems", 0, "price", "currency"): "lineItems[0].price.currency",
}


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def _paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every field of a JSON document (lists: their first element)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list) and value:
        yield (*prefix, 0)
        yield from _paths(value[0], (*prefix, 0))


def _replaced(document: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


# -- the spec's example -------------------------------------------------------------------------


def test_the_spec_example_parses_completely() -> None:
    form = _example("checkout-form.openapi-example.json")
    order = parse_checkout_form(form, account_key=ACCOUNT)
    assert order.id == "29738e61-7f6a-11e8-ac45-09db60ede9d6"
    assert order.account_key == ACCOUNT
    assert order.status is OrderStatus.READY_FOR_PROCESSING
    assert order.fulfillment_status is FulfillmentStatus.SENT
    assert order.marketplace_id == "allegro-pl"
    assert order.total == Money(Decimal("123.45"), "PLN")
    assert order.total.minor == 12345
    buyer = order.buyer
    assert (buyer.id, buyer.login, buyer.email) == ("23123123", "User_Login",
                                                    "user-email@allegro.pl")
    assert (buyer.name, buyer.company_name, buyer.phone, buyer.guest) == (
        "Jan Kowalski", "Kowalex", "123123123", False)
    delivery = order.delivery
    assert (delivery.method_name, delivery.city, delivery.zip_code, delivery.country_code) == (
        "Allegro Paczkomaty InPost", "Poznań", "60-166", "PL")
    assert (delivery.pickup_point_id, delivery.pickup_point_name) == ("POZ08A",
                                                                      "Paczkomat POZ08A")
    assert delivery.cost == Money(Decimal("123.45"), "PLN")
    payment = order.payment
    assert payment.type is PaymentType.ONLINE
    assert payment.provider == "PAYU"
    assert payment.finished_at == datetime(2018, 10, 12, 10, 12, 32, 321000, tzinfo=UTC)
    assert payment.paid == Money(Decimal("123.45"), "PLN")
    assert order.is_paid
    assert order.invoice_required
    assert (order.invoice_company, order.invoice_nip) == ("Udix Sp. z o.o.", "111-11-11-111")
    assert order.message_to_seller == "Please send me an item in red color"
    assert order.note == "Sample note"
    assert order.revision == "819b5836"
    assert order.updated_at == datetime(2011, 12, 3, 10, 15, 30, 133000, tzinfo=UTC)
    (item,) = order.line_items
    assert (item.id, item.offer_id, item.offer_name, item.external_id, item.quantity) == (
        "62ae358b-8f65-4fc4-9c77-bedf604a2e2b", "3213213", "Name of purchased offer",
        "AH-129834", 1)
    assert item.price == item.original_price == Money(Decimal("123.45"), "PLN")
    assert order.bought_at == item.bought_at == datetime(2018, 1, 1, 10, 23, 43, 123000,
                                                         tzinfo=UTC)
    assert order.raw is form  # kept exactly as received


def test_the_spec_example_of_the_events_parses() -> None:
    (event,) = parse_events(_example("order-events.openapi-example.json"))
    assert (event.id, event.sequence) == ("1532603898317497", 1532603898317497)
    assert event.type is EventType.READY_FOR_PROCESSING
    assert event.occurred_at == datetime(2018, 10, 12, 10, 12, 32, 321000, tzinfo=UTC)
    assert (event.checkout_form_id, event.revision, event.seller_id) == (
        "88ae369b-8f65-4fc4-9c77-bedf604a2e2b", "819b5836", "437848322")


def test_null_in_any_field_the_app_can_do_without_is_tolerated() -> None:
    form = _example("checkout-form.openapi-example.json")
    optional = [path for path in _paths(form) if path not in REQUIRED]
    assert len(optional) > 100
    for path in optional:
        odd: object
        for odd in (None, [], {}, 7, True, "?"):
            order = parse_checkout_form(_replaced(form, path, odd), account_key=ACCOUNT)
            assert order.id == form["id"], path


@pytest.mark.parametrize(("path", "field"), list(REQUIRED.items()),
                         ids=[".".join(map(str, p)) for p in REQUIRED])
def test_null_in_a_required_field_names_the_field_and_the_form(path: Path_,
                                                                field: str) -> None:
    form = _example("checkout-form.openapi-example.json")
    with pytest.raises(MalformedResponseError) as caught:
        parse_checkout_form(_replaced(form, path, None), account_key=ACCOUNT)
    error = caught.value
    assert isinstance(error, MalformedOrderError)
    assert isinstance(error, AppError)
    assert field in str(error)
    assert field in error.user_message
    if path != ("id",):
        assert error.record_id == form["id"]
        assert form["id"] in str(error)
        assert form["id"] in error.user_message


@pytest.mark.parametrize(("path", "value", "field"), [
    (("lineItems",), "not a list", "lineItems is not a list"),
    (("lineItems", 0), "x", "lineItems[0] is not an object"),
    (("lineItems", 0, "quantity"), "1", "lineItems[0].quantity"),
    (("lineItems", 0, "quantity"), -1, "lineItems[0].quantity"),
    (("lineItems", 0, "price", "amount"), "12.345", "lineItems[0].price.amount"),
    (("summary", "totalToPay", "amount"), "12,50", "summary.totalToPay.amount"),
    (("summary", "totalToPay", "amount"), "NaN", "summary.totalToPay.amount"),
    (("summary", "totalToPay", "amount"), True, "summary.totalToPay.amount"),
    (("status",), ["READY_FOR_PROCESSING"], "status is not a string"),
])
def test_malformed_required_values_are_refused(path: Path_, value: Any, field: str) -> None:
    form = _example("checkout-form.openapi-example.json")
    with pytest.raises(MalformedResponseError, match=field.replace("[", r"\[")
                       .replace("]", r"\]").replace(".", r"\.")):
        parse_checkout_form(_replaced(form, path, value), account_key=ACCOUNT)


def test_a_form_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(MalformedOrderError) as caught:
        parse_checkout_form([], account_key=ACCOUNT)  # type: ignore[arg-type]
    assert (caught.value.record_id, caught.value.field) == (None, None)
    assert str(caught.value) == "checkout form (no id) is not an object: []"


#: The English texts the Polish translation has in the context "Errors".
_TRANSLATABLE = frozenset(
    message.findtext("source")
    for context in ET.parse(Path(__file__).parent.parent / "resources" / "translations"
                            / "allegro_desktop_pl.ts").getroot().iter("context")
    if context.findtext("name") == "Errors" for message in context.iter("message"))


def _untranslatable(text: Text) -> list[str]:
    """The templates of `text` and its `Text` arguments that have no Polish translation."""
    return [*([] if text.template in _TRANSLATABLE else [text.template]),
            *(template for value in text.args if isinstance(value, Text)
              for template in _untranslatable(value))]


def _check_reason(error: MalformedOrderError) -> None:
    """The reason is said in translatable texts and survives being stored."""
    assert not _untranslatable(error.reason.text), error
    assert read_reason(error.reason.stored()) == error.reason


def test_the_reason_is_a_translatable_text_naming_the_value() -> None:
    form = _example("checkout-form.openapi-example.json")
    form["summary"]["totalToPay"]["amount"] = "12.345"
    with pytest.raises(MalformedOrderError) as caught:
        parse_checkout_form(form, account_key=ACCOUNT)
    reason = caught.value.reason
    assert (reason.record_id, reason.field) == (form["id"], "summary.totalToPay.amount")
    assert reason.problem == Text("has more than two decimals: %1", "'12.345'")
    assert str(reason.text) == (f"Order {form['id']}: the field summary.totalToPay.amount "
                                "has more than two decimals: '12.345'")
    _check_reason(caught.value)


def test_unknown_fields_and_new_enum_values_are_kept_not_refused() -> None:
    form = _example("checkout-form.openapi-example.json")
    form["somethingNew"] = {"nested": [1, 2, 3]}
    form["status"] = "ON_HOLD"
    form["fulfillment"]["status"] = "LOST_IN_TRANSIT"
    form["payment"]["type"] = "CRYPTO"
    order = parse_checkout_form(form, account_key=ACCOUNT)
    assert (order.status, order.fulfillment_status, order.payment.type) == (
        "ON_HOLD", "LOST_IN_TRANSIT", "CRYPTO")
    assert order.raw["somethingNew"] == {"nested": [1, 2, 3]}


def test_bought_at_is_the_latest_line_item_and_falls_back_to_updated_at() -> None:
    form = _example("checkout-form.openapi-example.json")
    second = copy.deepcopy(form["lineItems"][0])
    second["id"] = "second"
    second["boughtAt"] = "2018-01-02T08:00:00Z"
    form["lineItems"].append(second)
    order = parse_checkout_form(form, account_key=ACCOUNT)
    assert order.bought_at == datetime(2018, 1, 2, 8, tzinfo=UTC)
    assert order.quantity == 2
    for item in form["lineItems"]:
        item["boughtAt"] = None
    assert parse_checkout_form(form, account_key=ACCOUNT).bought_at == parse_time(
        form["updatedAt"])
    form["updatedAt"] = None
    with pytest.raises(MalformedResponseError, match="boughtAt"):
        parse_checkout_form(form, account_key=ACCOUNT)


def test_the_delivery_city_falls_back_to_the_pickup_point_and_the_buyer() -> None:
    form = _example("checkout-form.openapi-example.json")
    form["delivery"]["address"] = None
    form["delivery"]["pickupPoint"]["address"]["city"] = "Luboń"
    assert parse_checkout_form(form, account_key=ACCOUNT).delivery.city == "Luboń"
    form["delivery"] = None
    delivery = parse_checkout_form(form, account_key=ACCOUNT).delivery
    assert (delivery.city, delivery.zip_code) == ("Poznań", "60-166")  # buyer's postCode


# -- generated orders --------------------------------------------------------------------------


def test_every_generated_form_parses_with_exact_totals() -> None:
    history = OrderGenerator(seed=2026, seller_id="48213377").history(2000, now=NOW)
    currencies = set()
    for generated in history:
        # Through JSON bytes, as the client receives them.
        form = orjson.loads(orjson.dumps(generated.form))
        order = parse_checkout_form(form, account_key=ACCOUNT)
        amount = form["summary"]["totalToPay"]["amount"]
        assert isinstance(order.total.amount, Decimal)
        assert order.total.minor == int(amount.replace(".", ""))
        assert str(order.total.amount) == amount
        items = sum((item.total for item in order.line_items), Money.zero(order.total.currency))
        cost = order.delivery.cost or Money.zero(order.total.currency)
        assert items + cost == order.total, order.id
        assert order.bought_at == max(i.bought_at for i in order.line_items if i.bought_at)
        assert order.bought_at.tzinfo is UTC
        currencies.add(order.total.currency)
    assert currencies == {"PLN", "CZK", "EUR", "HUF"}


def test_the_emulators_events_parse() -> None:
    emulator = Emulator(EmulatorConfig(orders=150, seed=4, now=NOW))
    seller = emulator.default_seller_id
    bodies = emulator.store.events_after(seller, None, None, 10_000)
    events = [parse_event(orjson.loads(body)) for body in bodies]
    assert events
    assert all(e.seller_id == seller and e.checkout_form_id for e in events)
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)
    assert {e.type for e in events} <= set(EventType)


@pytest.mark.parametrize(("change", "problem"), [
    ({"id": None}, "id is not a number"),
    ({"id": "12ab"}, "id is not a number"),
    ({"id": "١٢٣"}, "id is not a number"),  # Arabic-Indic digits: isdigit() but not an id
    ({"type": None}, "type is missing"),
    ({"occurredAt": "yesterday"}, "occurredAt is not a date"),
])
def test_malformed_events_are_refused(change: dict[str, Any], problem: str) -> None:
    (event,) = _example("order-events.openapi-example.json")["events"]
    with pytest.raises(MalformedResponseError, match=problem):
        parse_event({**event, **change})


def test_an_event_without_its_order_part_is_tolerated() -> None:
    (event,) = _example("order-events.openapi-example.json")["events"]
    event["order"] = None
    event["type"] = "SOMETHING_NEW"
    parsed = parse_event(event)
    assert (parsed.checkout_form_id, parsed.revision, parsed.seller_id) == (None, None, None)
    assert parsed.type == "SOMETHING_NEW"
    with pytest.raises(MalformedResponseError):
        parse_events({"events": None})


# -- scalars and money ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("123.45", Decimal("123.45")), ("0.10", Decimal("0.10")), ("7", Decimal(7)),
    (" 8.5 ", Decimal("8.5")), (12, Decimal(12)), (12.5, Decimal("12.5")),
    ("12.345", None), ("abc", None), ("Infinity", None), (None, None), (False, None),
    ("1e3", Decimal("1000.00")), ("1.500", Decimal("1.50")), ("-3.00", Decimal("-3.00")),
    # Too large to store exactly (past EXACT_LIMIT minor units), never rounded or clipped:
    ("1e400", None), ("1e999999999", None), ("99999999999999999999.99", None), (1e30, None),
    (10**13, None), ("10000000000000.00", None), ("9999999999999.99", Decimal("9999999999999.99")),
    # Not amounts: more than two decimals however tiny, not plain ASCII decimals.
    ("1e-999999999", None), ("0.001", None), ("1_000", None), ("١٢", None), ("NaN", None),
    (float("inf"), None), (float("nan"), None), ("", None), ("1" * 100, None), ([1], None),
])
def test_parse_amount(text: object, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


def test_amounts_add_exactly() -> None:
    total = Money(parse_amount("0.10") or Decimal(0), "PLN") + Money(Decimal("0.20"), "PLN")
    assert total == Money(Decimal("0.30"), "PLN")
    assert total.minor == 30


def test_money_minor_units() -> None:
    assert Money(Decimal("29.98"), "PLN").minor == 2998
    assert Money(Decimal("12990"), "HUF").minor == 1299000
    assert Money.from_minor(2998, "PLN") == Money(Decimal("29.98"), "PLN")
    assert str(Money.from_minor(-5, "EUR").amount) == "-0.05"
    with pytest.raises(ValueError, match="minor units"):
        _ = Money(Decimal("0.001"), "PLN").minor
    with pytest.raises(ValueError, match="cannot add"):
        _ = Money(Decimal(1), "PLN") + Money(Decimal(1), "EUR")
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal("NaN"), "PLN")
    with pytest.raises(ValueError, match="Decimal"):
        Money(1.5, "PLN")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    ("2018-10-12T10:12:32.321Z", datetime(2018, 10, 12, 10, 12, 32, 321000, tzinfo=UTC)),
    ("2026-02-04T23:00:00Z", datetime(2026, 2, 4, 23, tzinfo=UTC)),
    ("2026-02-05T01:00:00+02:00", datetime(2026, 2, 4, 23, tzinfo=UTC)),
    ("2026-02-04T23:00:00", datetime(2026, 2, 4, 23, tzinfo=UTC)),
    ("not a date", None), ("", None), (None, None), (1700000000, None),
    # The edges of the years 1-9999 in UTC: in them a time, past them (by an offset) none.
    ("9999-12-31T23:59:59.999Z", datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
    ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
    ("9999-12-31T23:30:00-01:00", None), ("0001-01-01T00:30:00+01:00", None),
    ("0001-01-01T00:30:00-01:00", datetime(1, 1, 1, 1, 30, tzinfo=UTC)),
])
def test_parse_time(text: object, expected: datetime | None) -> None:
    assert parse_time(text) == expected


# -- hostile input: nothing but MalformedResponseError, and nothing unstorable accepted --------

_KEYS = ["id", "status", "lineItems", "summary", "totalToPay", "amount", "currency", "quantity",
         "price", "boughtAt", "updatedAt", "occurredAt", "type", "order", "checkoutForm",
         "events", "buyer", "delivery", "cost", "payment", "finishedAt", "\ud800"]
_hostile_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-2**200, 2**200), st.floats(), st.text(max_size=8),
    st.sampled_from(["\ud800", "nul\x00", "9999-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00",
                     "1e999999999", "99999999999999999999.99", "١٢", "12.50", "3",
                     "1234567890123456789012345", "1700000000000000"]),
    st.builds(Inexact, st.text(max_size=8), st.just("number a float cannot hold exactly")),
    st.sampled_from([nested(300), nested(1500)]))
hostile_json = st.recursive(
    _hostile_leaves,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), children, max_size=6),
    max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(data=hostile_json)
def test_only_malformed_response_errors_escape_the_parse_functions(data: Any) -> None:
    for parse in (partial(parse_checkout_form, account_key=ACCOUNT), parse_event,
                  parse_events):
        with contextlib.suppress(MalformedResponseError):
            parse(data)


@settings(max_examples=400, deadline=None)
@given(choice=st.data())
def test_a_hostile_value_anywhere_in_a_form_or_event_is_refused_or_storable(
        choice: st.DataObject) -> None:
    """Whatever lands wherever: refused with `MalformedOrderError`, or accepted only when all of
    it can be stored exactly (orjson writes the raw JSON; every number within EXACT_LIMIT)."""
    form = _example("checkout-form.openapi-example.json")
    form_path = choice.draw(st.sampled_from(list(_paths(form))))
    try:
        order = parse_checkout_form(_replaced(form, form_path, choice.draw(hostile_json)),
                                    account_key=ACCOUNT)
    except MalformedOrderError as exc:
        _check_reason(exc)
    else:
        orjson.dumps(order.raw)
        amounts = [order.total.minor, order.quantity,
                   *(n for item in order.line_items
                     for n in (item.price.minor, item.quantity, item.total.minor))]
        assert all(abs(n) < EXACT_LIMIT for n in amounts)
    (event,) = _example("order-events.openapi-example.json")["events"]
    event_path = choice.draw(st.sampled_from(list(_paths(event))))
    try:
        parsed = parse_event(_replaced(event, event_path, choice.draw(hostile_json)))
    except MalformedOrderError as exc:
        _check_reason(exc)
    else:
        orjson.dumps(parsed.raw)
        assert 0 <= parsed.sequence < 2**63
