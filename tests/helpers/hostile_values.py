"""Hostile values for checkout forms and order events: one list for the parser's, the storage's
and the sync's tests (through the hostile proxy), so every layer faces the same faults.

Each `Hostile` puts a JSON literal — bytes, so it may be JSON Python cannot write, such as
`1e999999`, a 25-digit number or a lone surrogate — at a path of a record (`"*"`: every element
of a list) and says what must happen: `refused` names the field the parser reports (or the
start of its path; the record is kept aside, its form pending), None means the record is
stored as received, exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.helpers.hostile_proxy import nested

__all__ = ["EVENT_VALUES", "FORM_VALUES", "Hostile", "poisoned"]

_PLACEHOLDER = "\u0001hostile\u0001"

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Hostile:
    name: str
    path: Path
    literal: bytes
    refused: str | None  # the field named when refused; None: stored exactly

    def __str__(self) -> str:
        return self.name


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


FORM_VALUES: tuple[Hostile, ...] = (
    # money: minor units must be exact and within EXACT_LIMIT
    Hostile("total-20-digits", ("summary", "totalToPay", "amount"),
            b'"99999999999999999999.99"', "summary.totalToPay.amount"),
    Hostile("total-1e999999", ("summary", "totalToPay", "amount"), b"1e999999",
            "summary.totalToPay.amount"),
    Hostile("total-1e30-text", ("summary", "totalToPay", "amount"), b'"1e30"',
            "summary.totalToPay.amount"),
    Hostile("total-NaN", ("summary", "totalToPay", "amount"), b"NaN",
            "summary.totalToPay.amount"),
    Hostile("price-1e30", ("lineItems", 0, "price", "amount"), b"1e30",
            "lineItems[0].price.amount"),
    Hostile("price-three-decimals", ("lineItems", 0, "price", "amount"), b'"0.001"',
            "lineItems[0].price.amount"),
    Hostile("total-largest-storable", ("summary", "totalToPay", "amount"),
            b'"9999999999999.99"', None),
    # counts
    Hostile("quantity-23-digits", ("lineItems", 0, "quantity"),
            b"12345678901234567890123", "lineItems[0].quantity"),
    Hostile("quantity-1e15", ("lineItems", 0, "quantity"), b"1000000000000000",
            "lineItems[0].quantity"),
    Hostile("quantity-inf", ("lineItems", 0, "quantity"), b"1e999999",
            "lineItems[0].quantity"),
    Hostile("quantity-text", ("lineItems", 0, "quantity"), b'"2"', "lineItems[0].quantity"),
    Hostile("quantity-float", ("lineItems", 0, "quantity"), b"2.0", "lineItems[0].quantity"),
    # ids
    Hostile("id-25-digit-number", ("id",), b"1234567890123456789012345", "id"),
    Hostile("id-object", ("id",), b'{"a": 1}', "id"),
    # an id that is not text is no id: the form kept aside without one (a listed form) or
    # with the id it was asked for (a form fetched on its own)
    Hostile("id-lone-surrogate", ("id",), b'"abc\\ud800"', "id"),
    Hostile("id-not-utf8", ("id",), b'"abc\xff"', "id"),
    Hostile("line-item-id-lone-surrogate", ("lineItems", 0, "id"), b'"x\\ud800"',
            "lineItems[0].id"),
    Hostile("offer-name-not-utf8", ("lineItems", 0, "offer", "name"), b'"Kubek \xff"',
            "lineItems[0].offer.name"),
    # times: years 1 and 9999 are dates; an offset past them is none (optional: left out)
    Hostile("bought-9999", ("lineItems", "*", "boughtAt"), b'"9999-12-31T23:59:59.999Z"',
            None),
    Hostile("bought-0001", ("lineItems", "*", "boughtAt"), b'"0001-01-01T00:00:00.000Z"',
            None),
    Hostile("bought-year-0-by-offset", ("lineItems", "*", "boughtAt"),
            b'"0001-01-01T00:30:00+01:00"', None),
    Hostile("paid-9999", ("payment", "finishedAt"), b'"9999-12-31T23:59:59Z"', None),
    # text
    Hostile("login-nul", ("buyer", "login"), b'"nul\\u0000here"', None),
    Hostile("login-lone-surrogate", ("buyer", "login"), b'"\\ud800"', "buyer.login"),
    Hostile("login-not-utf8", ("buyer", "login"), b'"\xff\xfe"', "buyer.login"),
    Hostile("login-one-megabyte", ("buyer", "login"), _json("ż" * 500_000), None),
    Hostile("key-lone-surrogate", ("buyer",), b'{"\\ud800": 1}', "buyer"),
    # anywhere in the JSON, read by the app or not: it is stored as received
    Hostile("extra-nested-300", ("somethingNew",), _json(nested(300)), "somethingNew"),
    Hostile("extra-nested-3000", ("somethingNew",), b"[" * 3000 + b"]" * 3000,
            "somethingNew"),
    Hostile("extra-27-digits", ("somethingNew",), b"123456789012345678901234567",
            "somethingNew"),
    Hostile("extra-u64", ("somethingNew",), b"18446744073709551615", None),
    Hostile("extra-long-fraction", ("somethingNew",), b"0.1000000000000000055511151231257827",
            "somethingNew"),
    Hostile("extra-underflow", ("somethingNew",), b"1e-999999", "somethingNew"),
    # wrong types where the app can do without the field: tolerated
    Hostile("buyer-list", ("buyer",), b"[]", None),
    Hostile("delivery-cost-huge", ("delivery", "cost", "amount"), b'"1e999999999"', None),
    Hostile("status-number", ("status",), b"5", None),
    # wrong types where it cannot: refused
    Hostile("summary-text", ("summary",), b'"x"', "summary.totalToPay"),
    Hostile("line-items-object", ("lineItems",), b"{}", "lineItems"),
)

EVENT_VALUES: tuple[Hostile, ...] = (
    Hostile("event-id-25-digits", ("id",), b'"1234567890123456789012345"', "id"),
    Hostile("event-id-25-digit-number", ("id",), b"1234567890123456789012345", "id"),
    Hostile("event-occurred-9999", ("occurredAt",), b'"9999-12-31T23:59:59.999Z"', None),
    Hostile("event-occurred-year-0", ("occurredAt",), b'"0001-01-01T00:30:00+01:00"',
            "occurredAt"),
    Hostile("event-nested-300", ("somethingNew",), _json(nested(300)), "somethingNew"),
    Hostile("event-inf", ("somethingNew",), b"1e999999", "somethingNew"),
    Hostile("event-lone-surrogate", ("type",), b'"\\ud800"', "type"),
    # the event's form id that is not text is no id: the event names no form
    Hostile("event-form-id-lone-surrogate", ("order", "checkoutForm", "id"), b'"abc\\ud800"',
            "order.checkoutForm.id"),
    Hostile("event-form-id-not-utf8", ("order", "checkoutForm", "id"), b'"abc\xff"',
            "order.checkoutForm.id"),
)


def poisoned(record: dict[str, Any], hostile: Hostile) -> bytes:
    """`record` as JSON bytes with `hostile.literal` at `hostile.path`."""
    copy = json.loads(json.dumps(record))
    _put(copy, hostile.path)
    text = json.dumps(copy, ensure_ascii=False).encode()
    return text.replace(json.dumps(_PLACEHOLDER).encode(), hostile.literal)


def _put(value: Any, path: Path) -> None:
    key, rest = path[0], path[1:]
    targets = range(len(value)) if key == "*" else [key]
    for target in targets:
        if not rest:
            value[target] = _PLACEHOLDER
            continue
        if isinstance(value, dict) and not isinstance(value.get(target), dict | list):
            value[target] = {}
        _put(value[target], rest)
