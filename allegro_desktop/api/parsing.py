"""Allegro's order JSON -> domain objects (`Order`, `OrderEvent`): tolerant of what the app can
do without, strict (`MalformedOrderError`, naming the field) on what it needs, and refusing a
record the database cannot keep exactly, so the sync keeps it aside instead of storing half of
it. The rules and their reasons: ARCHITECTURE.md "The order database" (and ALLEGRO-API.md §5.6).
"""

from __future__ import annotations

import enum
import math
import re
import reprlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

import orjson

from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.orders import (
    EXACT_LIMIT,
    MINOR_PER_UNIT,
    Buyer,
    Delivery,
    EventType,
    FulfillmentStatus,
    LineItem,
    Money,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentType,
)
from allegro_desktop.domain.received import Inexact
from allegro_desktop.domain.safe_text import is_text, text_id
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason

__all__ = [
    "MalformedOrderError",
    "parse_amount",
    "parse_checkout_form",
    "parse_event",
    "parse_events",
    "parse_time",
]

_E = TypeVar("_E", bound=enum.StrEnum)

_NO_OBJECT: Mapping[str, Any] = {}

# The problems a record's field may have (the predicate of "<field> …", as
# `domain.unreadable.UnreadableReason` says it), used more than once. Before the "#:"
# comments: lupdate gives them all to the first text after them, as a note for the translator.
_MISSING: Final = QT_TRANSLATE_NOOP("Errors", "is missing")
_NOT_AN_OBJECT: Final = QT_TRANSLATE_NOOP("Errors", "is not an object: %1")
_NOT_AN_AMOUNT: Final = QT_TRANSLATE_NOOP("Errors", "is not an amount: %1")
_TOO_LARGE: Final = QT_TRANSLATE_NOOP("Errors", "is too large to store exactly: %1")
_PAST_64_BITS: Final = QT_TRANSLATE_NOOP("Errors", "is an integer past 64 bits: %1")
#: What `api/exact_json.py` says of a value it cannot hold exactly (`Inexact.reason`), as a
#: problem; a reason not listed here is "cannot be read exactly", the reason its detail.
_INEXACT_PROBLEMS: Final = {
    "number a float cannot hold exactly":
        QT_TRANSLATE_NOOP("Errors", "is a number a float cannot hold exactly: %1"),
    "integer past 64 bits": _PAST_64_BITS,
    "not a JSON number": QT_TRANSLATE_NOOP("Errors", "is not a JSON number: %1"),
    "nested too deep to read": QT_TRANSLATE_NOOP("Errors", "is nested too deep to read: %1"),
}

#: An amount as text: a plain decimal number, ASCII digits only (no "1_000", no "١٢", no NaN).
_AMOUNT_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The amounts Allegro sends ("1234.50"), which need no other check: below 10^13 units, at
#: most two decimals.
_PLAIN_AMOUNT: Final = re.compile(r"-?[0-9]{1,13}(?:\.[0-9]{1,2})?")
_CENT: Final = Decimal("0.01")
#: Amounts (in units) must be smaller than this in magnitude: `EXACT_LIMIT` minor units.
_UNITS_LIMIT: Final = EXACT_LIMIT // MINOR_PER_UNIT
#: The largest event id: `order_events.event_seq` is a signed 64-bit integer.
_EVENT_ID_MAX: Final = 2**63 - 1
#: orjson writes JSON nested up to this many levels (and raises beyond).
_DEPTH_LIMIT: Final = 254


# -- scalars ------------------------------------------------------------------------------------


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 instant as a timezone-aware UTC datetime; None if absent or unreadable.

    Allegro sends UTC with a trailing `Z` and 0-3 fraction digits; an offset is converted and a
    time without one is taken as UTC (Allegro's dates are UTC, ALLEGRO-API.md §5.5). Any moment
    of the years 1-9999 in UTC is a time; one whose offset takes it past them is not
    ("0001-01-01T00:30:00+01:00" is in year 0).
    """
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_amount(value: object) -> Decimal | None:
    """An amount as an exact `Decimal` the database can store; None if it is not one (see
    `amount_problem`).

    Strings are what Allegro sends; integers are accepted too. A float (not in the spec) is read
    through its shortest repr, which is the literal the JSON had.
    """
    amount = _amount(value)
    return amount if isinstance(amount, Decimal) else None


def amount_problem(value: object) -> Text | None:
    """Why `value` is not an amount the app can store exactly, or None if it is one: not a
    decimal number, more than two decimals (minor units would be rounded), or 10^13 or more
    (past `EXACT_LIMIT` minor units)."""
    amount = _amount(value)
    return amount if isinstance(amount, Text) else None


def _amount(value: object) -> Decimal | Text:
    """The amount, or the problem with it."""
    if isinstance(value, bool) or value is None:
        return Text(_NOT_AN_AMOUNT, _shown(value))
    if isinstance(value, int):
        if -_UNITS_LIMIT < value < _UNITS_LIMIT:
            return Decimal(value)
        return Text(_TOO_LARGE, _shown(value))
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
        if _PLAIN_AMOUNT.fullmatch(text):  # what Allegro sends: fine as it is
            return Decimal(text)
    else:
        return Text(_NOT_AN_AMOUNT, _shown(value))
    if len(text) > 64 or not _AMOUNT_TEXT.fullmatch(text):
        return Text(_NOT_AN_AMOUNT, _shown(value))
    amount = Decimal(text)
    # Exact comparison, no arithmetic: even 1e999999999 is judged without overflowing the
    # decimal context.
    if amount.copy_abs() >= _UNITS_LIMIT:
        return Text(_TOO_LARGE, _shown(value))
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -2 <= exponent <= 0:
        return amount
    rounded = amount.quantize(_CENT)
    if rounded != amount:
        return Text(QT_TRANSLATE_NOOP("Errors", "has more than two decimals: %1"),
                    _shown(value))
    return rounded


def _str(value: object) -> str | None:
    """A string field; numbers become their text (some ids are numeric in old payloads)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _obj(value: object) -> Mapping[str, Any]:
    """A nested object, or an empty one for `null` (or anything that is not an object)."""
    return value if isinstance(value, Mapping) else _NO_OBJECT


def _enum(kind: type[_E], value: str) -> _E | str:
    """The known enum member, or the new value Allegro sent, kept as it is."""
    try:
        return kind(value)
    except ValueError:
        return value


def _optional_money(value: object) -> Money | None:
    """An optional amount: None when absent or not one the app can store (too large, more than
    two decimals, not a number); its raw JSON stays in the form, as received."""
    data = _obj(value)
    amount = parse_amount(data.get("amount"))
    currency = _str(data.get("currency"))
    if amount is None or not currency:
        return None
    return Money(amount, currency)


# -- checkout forms -----------------------------------------------------------------------------


class MalformedOrderError(MalformedResponseError):
    """A checkout form or an event the app cannot use; its `reason` says which, where and why
    (`record_id`, `field`, `problem`), and `str()` is the reason's English line.

    The id is kept out of the scrubbed message on purpose: `api.errors.scrub` hides anything
    32+ characters long (tokens), which includes a checkout form's UUID, and a report that
    cannot say which order was malformed is no use. Ids are not secrets. The reason quotes
    the id, the field (a path of Allegro's keys) and the value escaped and short: one line.
    """

    def __init__(self, reason: UnreadableReason) -> None:
        self.reason = reason
        super().__init__(str(reason), user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "Allegro sent something this version of the app cannot read (%1). "
            "Please report it."), reason.text))

    @property
    def kind(self) -> RecordKind:
        return self.reason.kind

    @property
    def record_id(self) -> str | None:
        return self.reason.record_id

    @property
    def field(self) -> str | None:
        return self.reason.field

    @property
    def problem(self) -> Text:
        return self.reason.problem

    def __str__(self) -> str:
        return str(self.reason)


def _malformed(kind: RecordKind, record_id: str | None, field: str | None, problem: str,
               *args: object, detail: str | None = None) -> MalformedOrderError:
    """The error of a record `kind` whose `field` (None: the record as a whole) has the
    `problem` (a template of the "Errors" context) with `args`."""
    return MalformedOrderError(UnreadableReason(kind=kind, record_id=record_id, field=field,
                                                problem=Text(problem, *args), detail=detail))


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel = 3
_SHOWN.maxstring = _SHOWN.maxother = _SHOWN.maxlong = 40


def _shown(value: object) -> str | Text:
    """A bad value for an error message: short, so one broken field cannot flood the log (and
    safe for any value: nested 1 000 levels deep, an integer of 4 000 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return Text(QT_TRANSLATE_NOOP("Errors", "an integer of about %1 digits"),
                    int(value.bit_length() * 0.30103))
    text = _SHOWN.repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Form:
    """Error reporting for one checkout form: every message names the form and the field."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.form_id = text_id(_str(data.get("id")))

    def fail(self, field: str | None, problem: str, *args: object,
             detail: str | None = None) -> MalformedOrderError:
        """The form's `field` (None: the form as a whole) has the `problem` (a template of
        the "Errors" context, with `args`)."""
        return _malformed(RecordKind.FORM, self.form_id, field, problem, *args, detail=detail)

    def required_str(self, data: Mapping[str, Any], key: str, field: str) -> str:
        raw = data.get(key)
        value = _str(raw)
        if not value:
            if raw is None:
                raise self.fail(field, _MISSING)
            if raw == "":
                raise self.fail(field, QT_TRANSLATE_NOOP("Errors", "is empty"))
            raise self.fail(field, QT_TRANSLATE_NOOP("Errors", "is not a string: %1"),
                            _shown(raw))
        return value

    def required_money(self, value: object, field: str) -> Money:
        if not isinstance(value, Mapping):
            raise self.fail(field, _MISSING)
        amount = _amount(value.get("amount"))
        if isinstance(amount, Text):
            raise self.fail(f"{field}.amount", amount.template, *amount.args)
        currency = _str(value.get("currency"))
        if not currency:
            raise self.fail(f"{field}.currency", _MISSING)
        return Money(amount, currency)


def parse_checkout_form(data: Mapping[str, Any], *, account_key: str) -> Order:
    """A `CheckoutForm` (GET /order/checkout-forms[/{id}]) of the account `account_key`.

    Raises `MalformedOrderError` when the form lacks what the app cannot do without
    (ARCHITECTURE.md "The order database"); anything else missing or `null` just leaves that
    field `None`.
    """
    if not isinstance(data, Mapping):
        raise _malformed(RecordKind.FORM, None, None, _NOT_AN_OBJECT, _shown(data))
    form = _Form(data)
    _check_storable(data, RecordKind.FORM, form.form_id)
    order_id = form.required_str(data, "id", "id")
    status = form.required_str(data, "status", "status")
    total = form.required_money(_obj(data.get("summary")).get("totalToPay"), "summary.totalToPay")
    items_data = data.get("lineItems")
    if not isinstance(items_data, Sequence) or isinstance(items_data, str | bytes):
        if items_data is None:
            raise form.fail("lineItems", _MISSING)
        raise form.fail("lineItems", QT_TRANSLATE_NOOP("Errors", "is not a list"))
    line_items = tuple(_line_item(form, i, item) for i, item in enumerate(items_data))
    seen: dict[str, int] = {}
    for index, item in enumerate(line_items):
        if item.id in seen:  # one row per line item: the database keys them by id
            raise form.fail(f"lineItems[{index}].id",
                            QT_TRANSLATE_NOOP("Errors", "repeats %1: %2"),
                            f"lineItems[{seen[item.id]}].id", _shown(item.id))
        seen[item.id] = index
    if sum(item.quantity for item in line_items) >= EXACT_LIMIT:
        raise form.fail("lineItems[].quantity", QT_TRANSLATE_NOOP(
            "Errors", "adds up to more than the app can store exactly"))

    updated_at = parse_time(data.get("updatedAt"))
    item_times = [item.bought_at for item in line_items if item.bought_at is not None]
    bought_at = max(item_times) if item_times else updated_at
    if bought_at is None:
        raise form.fail("lineItems[].boughtAt",
                        QT_TRANSLATE_NOOP("Errors", "is missing (and so is %1)"), "updatedAt")

    fulfillment_status = _str(_obj(data.get("fulfillment")).get("status"))
    invoice = _obj(data.get("invoice"))
    company = _obj(_obj(invoice.get("address")).get("company"))
    return Order(
        id=order_id,
        account_key=account_key,
        status=_enum(OrderStatus, status),
        fulfillment_status=(_enum(FulfillmentStatus, fulfillment_status)
                            if fulfillment_status else None),
        marketplace_id=_str(_obj(data.get("marketplace")).get("id")),
        buyer=_buyer(_obj(data.get("buyer"))),
        delivery=_delivery(_obj(data.get("delivery")), _obj(data.get("buyer"))),
        payment=_payment(_obj(data.get("payment"))),
        invoice_required=invoice.get("required") is True,
        invoice_company=_str(company.get("name")),
        invoice_nip=_nip(company),
        total=total,
        line_items=line_items,
        message_to_seller=_str(data.get("messageToSeller")),
        note=_str(_obj(data.get("note")).get("text")),
        revision=_str(data.get("revision")),
        bought_at=bought_at,
        updated_at=updated_at,
        raw=data,
    )


def _line_item(form: _Form, index: int, value: object) -> LineItem:
    field = f"lineItems[{index}]"
    if not isinstance(value, Mapping):
        raise form.fail(field, _NOT_AN_OBJECT, _shown(value))
    item_id = form.required_str(value, "id", f"{field}.id")
    quantity = value.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise form.fail(f"{field}.quantity", QT_TRANSLATE_NOOP("Errors", "is not a count: %1"),
                        _shown(quantity))
    price = form.required_money(value.get("price"), f"{field}.price")
    if abs(price.minor) * quantity >= EXACT_LIMIT:
        raise form.fail(f"{field}.quantity", QT_TRANSLATE_NOOP(
            "Errors", "times the price is too large to store exactly: %1"), _shown(quantity))
    offer = _obj(value.get("offer"))
    return LineItem(
        id=item_id,
        offer_id=_str(offer.get("id")) or "",
        offer_name=_str(offer.get("name")) or "",
        external_id=_str(_obj(offer.get("external")).get("id")),
        quantity=quantity,
        price=price,
        original_price=_optional_money(value.get("originalPrice")) or price,
        bought_at=parse_time(value.get("boughtAt")),
    )


def _buyer(data: Mapping[str, Any]) -> Buyer:
    return Buyer(
        id=_str(data.get("id")),
        login=_str(data.get("login")),
        email=_str(data.get("email")),
        first_name=_str(data.get("firstName")),
        last_name=_str(data.get("lastName")),
        company_name=_str(data.get("companyName")),
        phone=_str(data.get("phoneNumber")),
        guest=data.get("guest") is True,
    )


def _delivery(data: Mapping[str, Any], buyer: Mapping[str, Any]) -> Delivery:
    """Where the parcel goes: the delivery address, else the pickup point's, else the buyer's
    (whose postal code is `postCode`, not `zipCode`: ALLEGRO-API.md §10.5)."""
    method = _obj(data.get("method"))
    pickup = _obj(data.get("pickupPoint"))
    city = zip_code = country = None
    for address, zip_key in ((_obj(data.get("address")), "zipCode"),
                             (_obj(pickup.get("address")), "zipCode"),
                             (_obj(buyer.get("address")), "postCode")):
        city = _str(address.get("city"))
        if city:
            zip_code = _str(address.get(zip_key))
            country = _str(address.get("countryCode"))
            break
    return Delivery(
        method_id=_str(method.get("id")),
        method_name=_str(method.get("name")),
        city=city or None,
        zip_code=zip_code,
        country_code=country,
        pickup_point_id=_str(pickup.get("id")),
        pickup_point_name=_str(pickup.get("name")),
        cost=_optional_money(data.get("cost")),
    )


def _payment(data: Mapping[str, Any]) -> Payment:
    kind = _str(data.get("type"))
    return Payment(
        id=_str(data.get("id")),
        type=_enum(PaymentType, kind) if kind else None,
        provider=_str(data.get("provider")),
        finished_at=parse_time(data.get("finishedAt")),
        paid=_optional_money(data.get("paidAmount")),
    )


def _nip(company: Mapping[str, Any]) -> str | None:
    """The invoice company's Polish tax id: its PL_NIP entry, else the deprecated `taxId`."""
    ids = company.get("ids")
    if isinstance(ids, Sequence) and not isinstance(ids, str):
        for value in ids:
            entry = _obj(value)
            if entry.get("type") == "PL_NIP" and _str(entry.get("value")):
                return _str(entry.get("value"))
    return _str(company.get("taxId")) or None


# -- storable JSON ------------------------------------------------------------------------------


def _check_storable(data: Mapping[str, Any], kind: RecordKind, record_id: str | None) -> None:
    """Raise `MalformedOrderError` when the record's JSON cannot be stored exactly: orjson must
    write it (it refuses lone surrogates, integers past 64 bits and nesting deeper than 254
    levels), and nothing in it may be a value `exact_json` marked `Inexact`."""
    try:
        orjson.dumps(data)
    except TypeError:
        field, problem, detail = _unstorable(data) or (
            None, Text(QT_TRANSLATE_NOOP("Errors", "cannot be stored as JSON")), None)
        raise MalformedOrderError(UnreadableReason(
            kind=kind, record_id=record_id, field=field, problem=problem, detail=detail)) from None


def _unstorable(data: object) -> tuple[str | None, Text, str | None] | None:  # noqa: C901 - one case per kind of JSON value
    """The first value of `data` orjson cannot store exactly: its path (None: the record
    itself), the problem and a detail for support."""
    stack: list[tuple[str, object, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > _DEPTH_LIMIT:
            outer = re.match(r"[^.\[]*", path)  # the member holding it: the path is long
            return (outer.group() if outer else "") or None, Text(QT_TRANSLATE_NOOP(
                "Errors", "is nested deeper than %1 levels"), _DEPTH_LIMIT), None
        if isinstance(value, str):
            if not is_text(value):
                return path or None, Text(QT_TRANSLATE_NOOP(
                    "Errors", "holds a lone surrogate, which is not text: %1"),
                    _shown(value)), None
        elif isinstance(value, Inexact):
            problem = _INEXACT_PROBLEMS.get(value.reason)
            if problem is None:
                return path or None, Text(QT_TRANSLATE_NOOP(
                    "Errors", "cannot be read exactly: %1"), _shown(value.text)), value.reason
            return path or None, Text(problem, _shown(value.text)), None
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -2**63 <= value < 2**64:
                return path or None, Text(_PAST_64_BITS, _shown(value)), None
        elif isinstance(value, float):
            if not math.isfinite(value):
                return path or None, Text(QT_TRANSLATE_NOOP(
                    "Errors", "is not a finite number: %1"), repr(value)), None
        elif isinstance(value, Mapping):
            for key, member in reversed(list(value.items())):
                if not isinstance(key, str) or not is_text(key):
                    return path or None, Text(QT_TRANSLATE_NOOP(
                        "Errors", "has a key that is not text: %1"), _shown(key)), None
                stack.append((f"{path}.{key}" if path else key, member, depth + 1))
        elif isinstance(value, list | tuple):
            for index in reversed(range(len(value))):
                stack.append((f"{path}[{index}]", value[index], depth + 1))
        else:
            return path or None, Text(QT_TRANSLATE_NOOP(
                "Errors", "is not a JSON value: %1"), type(value).__name__), None
    return None


# -- events -------------------------------------------------------------------------------------


def parse_event(data: Mapping[str, Any]) -> OrderEvent:
    """One entry of `OrderEventsList.events`.

    Strict on `id` (the sync's cursor: a 16-digit number as a string), `type` and
    `occurredAt`; the order part is optional (the spec does not even require `checkoutForm`).
    """
    event = RecordKind.EVENT
    if not isinstance(data, Mapping):
        raise _malformed(event, None, None, _NOT_AN_OBJECT, _shown(data))
    event_id = _str(data.get("id"))
    if not event_id or not event_id.isascii() or not event_id.isdigit():
        raise _malformed(event, None, "id", QT_TRANSLATE_NOOP("Errors", "is not a number: %1"),
                         _shown(data.get("id")))
    if len(event_id) > len(str(_EVENT_ID_MAX)) or int(event_id) > _EVENT_ID_MAX:
        raise _malformed(event, None, "id", QT_TRANSLATE_NOOP(
            "Errors", "is too large for an event id: %1"), _shown(event_id))
    _check_storable(data, event, event_id)
    kind = _str(data.get("type"))
    if not kind:
        raise _malformed(event, event_id, "type", _MISSING)
    occurred_at = parse_time(data.get("occurredAt"))
    if occurred_at is None:
        raise _malformed(event, event_id, "occurredAt",
                         QT_TRANSLATE_NOOP("Errors", "is not a date: %1"),
                         _shown(data.get("occurredAt")))
    order = _obj(data.get("order"))
    checkout_form = _obj(order.get("checkoutForm"))
    return OrderEvent(
        id=event_id,
        sequence=int(event_id),
        type=_enum(EventType, kind),
        occurred_at=occurred_at,
        checkout_form_id=_str(checkout_form.get("id")) or None,
        revision=_str(checkout_form.get("revision")),
        seller_id=_str(_obj(order.get("seller")).get("id")),
        raw=data,
    )


def parse_events(body: Mapping[str, Any]) -> list[OrderEvent]:
    """Every event of an `OrderEventsList` body (`{"events": [...]}`), in Allegro's order."""
    events = body.get("events") if isinstance(body, Mapping) else None
    if not isinstance(events, Sequence) or isinstance(events, str | bytes):
        raise MalformedResponseError("/order/events: events is not a list")
    return [parse_event(event) for event in events]
