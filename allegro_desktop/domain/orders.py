"""Orders as the app understands them: money, line items, the order, its events.

These are plain values built by `api/parsing.py` from Allegro's checkout forms and events and
stored by `storage/`. They carry what the order table, its filters and its search need; every
other field of a checkout form stays in `Order.raw`, the form exactly as Allegro sent it, so a
later version can read more of it without syncing again.

Allegro's enums grow over time (BUYER_MODIFIED arrived years after the others), so a status the
app does not know yet is kept as the plain string Allegro sent, never refused: the enums below
list the values the app knows, and fields typed `X | str` may hold a newer one.

Times are timezone-aware UTC datetimes. Money is `Decimal`, never float.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "EXACT_LIMIT",
    "MINOR_PER_UNIT",
    "Buyer",
    "Delivery",
    "EventType",
    "FulfillmentStatus",
    "LineItem",
    "Marketplace",
    "Money",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "Payment",
    "PaymentType",
]

#: Allegro's amounts have two decimals in every currency it sells in (PLN, CZK, EUR and HUF
#: alike: our assumption, ALLEGRO-API.md §5.6, §16 item 12), so one minor unit is always 1/100.
MINOR_PER_UNIT = 100

#: Every integer the app stores about an order — an amount in minor units, a quantity, a line
#: item's price × quantity — is smaller than this in magnitude (amounts up to
#: 9 999 999 999 999.99). Below it a value is exact everywhere it goes: in SQLite's 64-bit
#: integers, in a double (Qt shows money as one, Excel keeps 15 digits), and sums of 9 000
#: such values still fit SQLite's integers. An order with a bigger value cannot be stored and
#: shown exactly, so it is kept aside (`api/parsing.py`, `storage/order_repository.py`), never
#: rounded.
EXACT_LIMIT = 10**15


class OrderStatus(enum.StrEnum):
    """`CheckoutForm.status`: the buyer's side of the purchase."""

    BOUGHT = "BOUGHT"  # bought, checkout form not filled in yet
    FILLED_IN = "FILLED_IN"  # form filled in, payment not finished
    READY_FOR_PROCESSING = "READY_FOR_PROCESSING"  # paid (or cash on delivery): ship it
    CANCELLED = "CANCELLED"  # cancelled by the buyer or by Allegro


class FulfillmentStatus(enum.StrEnum):
    """`CheckoutForm.fulfillment.status`: the seller's side (set by the seller or automation)."""

    NEW = "NEW"
    PROCESSING = "PROCESSING"
    READY_FOR_SHIPMENT = "READY_FOR_SHIPMENT"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    SENT = "SENT"
    PICKED_UP = "PICKED_UP"
    CANCELLED = "CANCELLED"
    SUSPENDED = "SUSPENDED"
    RETURNED = "RETURNED"


class EventType(enum.StrEnum):
    """`OrderEvent.type` of the /order/events journal (ALLEGRO-API.md §7.3)."""

    BOUGHT = "BOUGHT"
    FILLED_IN = "FILLED_IN"
    READY_FOR_PROCESSING = "READY_FOR_PROCESSING"
    BUYER_CANCELLED = "BUYER_CANCELLED"
    FULFILLMENT_STATUS_CHANGED = "FULFILLMENT_STATUS_CHANGED"
    AUTO_CANCELLED = "AUTO_CANCELLED"
    BUYER_MODIFIED = "BUYER_MODIFIED"


class PaymentType(enum.StrEnum):
    """`CheckoutForm.payment.type`."""

    CASH_ON_DELIVERY = "CASH_ON_DELIVERY"
    WIRE_TRANSFER = "WIRE_TRANSFER"
    ONLINE = "ONLINE"
    SPLIT_PAYMENT = "SPLIT_PAYMENT"
    EXTENDED_TERM = "EXTENDED_TERM"


class Marketplace(enum.StrEnum):
    """The marketplaces a Polish seller's orders come from, and their currencies."""

    ALLEGRO_PL = "allegro-pl"
    ALLEGRO_CZ = "allegro-cz"
    ALLEGRO_SK = "allegro-sk"
    ALLEGRO_HU = "allegro-hu"

    @property
    def currency(self) -> str:
        return _MARKETPLACE_CURRENCY[self]


_MARKETPLACE_CURRENCY = {
    Marketplace.ALLEGRO_PL: "PLN",
    Marketplace.ALLEGRO_CZ: "CZK",
    Marketplace.ALLEGRO_SK: "EUR",
    Marketplace.ALLEGRO_HU: "HUF",
}


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency.

    The database keeps integer minor units (`minor`) plus the currency, so sums in SQL are exact
    and fast; code keeps `Decimal`. Adding two currencies is a bug, not a conversion: totals are
    always per currency (ARCHITECTURE.md "The order database").
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise ValueError(f"Money needs a finite Decimal amount, not {self.amount!r}")
        if not self.currency:
            raise ValueError("Money needs a currency")

    @property
    def minor(self) -> int:
        """The amount in minor units (grosze, cents, fillér), exactly; `ValueError` if the
        amount has more than two decimals (then it cannot be stored exactly)."""
        scaled = self.amount * MINOR_PER_UNIT
        integral = scaled.to_integral_value()
        if scaled != integral:
            raise ValueError(f"{self.amount} {self.currency} is not a whole number of minor units")
        return int(integral)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """The inverse of `minor`: 2998, "PLN" is 29.98 PLN (two decimals kept)."""
        return cls(Decimal(minor).scaleb(-2), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, times: object) -> Money:
        if not isinstance(times, int) or isinstance(times, bool):
            return NotImplemented
        return Money(self.amount * times, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True, slots=True)
class LineItem:
    """One offer bought in an order (`CheckoutForm.lineItems[]`)."""

    id: str
    offer_id: str
    offer_name: str
    external_id: str | None  # the seller's own code (SKU) of the offer, if set
    quantity: int
    price: Money  # per unit, after discounts
    original_price: Money  # per unit, before discounts
    bought_at: datetime | None

    @property
    def total(self) -> Money:
        return self.price * self.quantity


@dataclass(frozen=True, slots=True)
class Buyer:
    """`CheckoutForm.buyer`. Guests have an id and an e-mail too, but no account."""

    id: str | None = None
    login: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone: str | None = None
    guest: bool = False

    @property
    def name(self) -> str | None:
        """First and last name joined, or whichever part is known; None if neither."""
        parts = [p for p in (self.first_name, self.last_name) if p]
        return " ".join(parts) if parts else None


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where and how the order goes (`CheckoutForm.delivery`); all optional, as Allegro may
    send `null` for any of it."""

    method_id: str | None = None
    method_name: str | None = None
    city: str | None = None
    zip_code: str | None = None
    country_code: str | None = None
    pickup_point_id: str | None = None
    pickup_point_name: str | None = None
    cost: Money | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """`CheckoutForm.payment`. `finished_at` is set once the buyer has paid (online payments)."""

    id: str | None = None
    type: PaymentType | str | None = None
    provider: str | None = None
    finished_at: datetime | None = None
    paid: Money | None = None  # paidAmount


@dataclass(frozen=True, slots=True)
class Order:
    """One checkout form of one seller account, as the app stores and shows it.

    `bought_at` is the latest line item's `boughtAt`: the moment the order became what it is
    (Allegro's own list sorts and windows by `lineItems.boughtAt`). `raw` is the checkout form
    exactly as received: the storage layer keeps it, so nothing Allegro sent is ever lost.
    """

    id: str
    account_key: str
    status: OrderStatus | str
    fulfillment_status: FulfillmentStatus | str | None
    marketplace_id: str | None
    buyer: Buyer
    delivery: Delivery
    payment: Payment
    invoice_required: bool
    invoice_company: str | None
    invoice_nip: str | None  # the invoice company's PL_NIP (or its tax id), if any
    total: Money
    line_items: tuple[LineItem, ...]
    message_to_seller: str | None
    note: str | None  # the seller's own note
    revision: str | None
    bought_at: datetime
    updated_at: datetime | None
    raw: Mapping[str, Any] = field(repr=False, compare=True)

    @property
    def quantity(self) -> int:
        """Pieces bought, over all line items."""
        return sum(item.quantity for item in self.line_items)

    @property
    def is_paid(self) -> bool:
        return self.payment.finished_at is not None


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """One entry of the /order/events journal: a trigger to re-read a checkout form and a line
    of the order's timeline. Never the truth about an order: that is the checkout form.

    `id` is Allegro's string; `sequence` is the same number as an int, because ids grow in the
    order Allegro *recorded* the events (not `occurred_at` order, ALLEGRO-API.md §7.5) and the sync
    compares them.
    """

    id: str
    sequence: int
    type: EventType | str
    occurred_at: datetime
    checkout_form_id: str | None
    revision: str | None
    seller_id: str | None
    raw: Mapping[str, Any] = field(repr=False, compare=True)
