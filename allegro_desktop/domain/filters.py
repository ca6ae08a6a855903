"""What the seller asks of the order list: which orders (`OrderFilter`) and in what order
(`OrderSort`), as plain values shared by the table, the export and the command line.

The storage layer turns them into SQL (`storage/order_query.py`); nothing here does I/O. The
quick filters are the seller's working stages, built from Allegro's two statuses (the buyer's
`status` and the seller's `fulfillment.status`):

- **To process**: paid (or cash on delivery) and the seller has not started (`NEW`, or no
  fulfillment status yet);
- **Processing**: paid and under way (`PROCESSING`, `READY_FOR_SHIPMENT`, `READY_FOR_PICKUP`,
  `SUSPENDED`);
- **Sent**: handed over (`SENT`, `PICKED_UP`, `RETURNED`);
- **Cancelled**: cancelled by the buyer, by Allegro or by the seller;
- **Unpaid**: bought, payment not finished (`BOUGHT`, `FILLED_IN`);
- **All**.

The table's one status column (`OrderColumn.STAGE`, `seller_status`) reads the two statuses as
Allegro's own "Sprzedaję" list does, one word for where the order is: cancelled, unpaid, "to
send" (paid, the seller has not started), or else the seller's own fulfillment status
("Processing", "Sent", …). Allegro's two fields stay available as columns of their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus

__all__ = [
    "SELLER_STATUSES",
    "OrderColumn",
    "OrderFilter",
    "OrderSort",
    "QuickFilter",
    "quick_filter_of",
    "seller_status",
]


class QuickFilter(enum.StrEnum):
    """The seller's working stages (see the module's docstring)."""

    TO_PROCESS = "to_process"
    PROCESSING = "processing"
    SENT = "sent"
    CANCELLED = "cancelled"
    UNPAID = "unpaid"
    ALL = "all"


#: Fulfillment statuses of each stage among paid, not cancelled orders.
PROCESSING_FULFILLMENT = frozenset({
    FulfillmentStatus.PROCESSING, FulfillmentStatus.READY_FOR_SHIPMENT,
    FulfillmentStatus.READY_FOR_PICKUP, FulfillmentStatus.SUSPENDED})
SENT_FULFILLMENT = frozenset({
    FulfillmentStatus.SENT, FulfillmentStatus.PICKED_UP, FulfillmentStatus.RETURNED})
UNPAID_STATUSES = frozenset({OrderStatus.BOUGHT, OrderStatus.FILLED_IN})


def quick_filter_of(status: str, fulfillment_status: str | None) -> QuickFilter | None:
    """The stage an order is in (never ALL); None for a status combination the app does not
    know (a newer Allegro status): such an order shows under All only."""
    if status == OrderStatus.CANCELLED or fulfillment_status == FulfillmentStatus.CANCELLED:
        return QuickFilter.CANCELLED
    if status in UNPAID_STATUSES:
        return QuickFilter.UNPAID
    if status != OrderStatus.READY_FOR_PROCESSING:
        return None
    if fulfillment_status in (None, FulfillmentStatus.NEW):
        return QuickFilter.TO_PROCESS
    if fulfillment_status in PROCESSING_FULFILLMENT:
        return QuickFilter.PROCESSING
    if fulfillment_status in SENT_FULFILLMENT:
        return QuickFilter.SENT
    return None


#: The seller-facing statuses (`seller_status`), in the order the Status column sorts them
#: ascending: what needs the seller's work first, then what is done, then what is not the
#: seller's to do. Codes are Allegro's where one of its fields says it; TO_SEND and UNPAID are
#: the app's own (the export labels them all, services/export.py `VALUE_LABELS`).
SELLER_STATUSES: tuple[str, ...] = (
    "TO_SEND",
    FulfillmentStatus.PROCESSING.value,
    FulfillmentStatus.READY_FOR_SHIPMENT.value,
    FulfillmentStatus.READY_FOR_PICKUP.value,
    FulfillmentStatus.SUSPENDED.value,
    FulfillmentStatus.SENT.value,
    FulfillmentStatus.PICKED_UP.value,
    FulfillmentStatus.RETURNED.value,
    "UNPAID",
    OrderStatus.CANCELLED.value,
)


def seller_status(status: str, fulfillment_status: str | None) -> str:
    """The one status the seller reads (see the module's docstring): a code of
    `SELLER_STATUSES`, or Allegro's `status` itself for a combination the app does not know (a
    newer Allegro status; it sorts after all the others). Its SQL twin is storage/order_query.py
    `seller_status_rank` (a test holds the two to the same answer on every combination)."""
    stage = quick_filter_of(status, fulfillment_status)
    if stage is QuickFilter.CANCELLED:
        return OrderStatus.CANCELLED.value
    if stage is QuickFilter.UNPAID:
        return "UNPAID"
    if stage is QuickFilter.TO_PROCESS:
        return "TO_SEND"
    if stage is None or fulfillment_status is None:
        return status
    return fulfillment_status


class OrderColumn(enum.StrEnum):
    """The columns of the order table and of exports (the keys; headers are the UI's and the
    export's business). The first block is the table's; every column sorts."""

    BOUGHT_AT = "bought_at"
    ORDER_ID = "order_id"
    BUYER_LOGIN = "buyer_login"
    BUYER_NAME = "buyer_name"
    ITEMS = "items"
    QUANTITY = "quantity"
    TOTAL = "total"
    PAYMENT = "payment"
    STAGE = "stage"  # the one status a seller reads (`seller_status`)
    STATUS = "status"
    FULFILLMENT = "fulfillment"
    DELIVERY = "delivery"
    CITY = "city"
    INVOICE = "invoice"
    MARKETPLACE = "marketplace"
    ACCOUNT = "account"
    # -- more, for exports (and the column chooser) --
    CURRENCY = "currency"
    PAID = "paid"
    PAID_AT = "paid_at"
    BUYER_EMAIL = "buyer_email"
    BUYER_PHONE = "buyer_phone"
    BUYER_COMPANY = "buyer_company"
    ZIP_CODE = "zip_code"
    COUNTRY = "country"
    PICKUP_POINT = "pickup_point"
    DELIVERY_COST = "delivery_cost"
    INVOICE_COMPANY = "invoice_company"
    INVOICE_NIP = "invoice_nip"
    MESSAGE = "message"
    NOTE = "note"  # Allegro's note field of the checkout form
    UPDATED_AT = "updated_at"
    # -- the seller's own, local labels (domain/labels.py) --
    TAGS = "tags"
    PRIVATE_NOTE = "private_note"


#: The table's columns, in their default order.
TABLE_COLUMNS: tuple[OrderColumn, ...] = tuple(OrderColumn)[:16]


@dataclass(frozen=True, slots=True)
class OrderSort:
    column: OrderColumn = OrderColumn.BOUGHT_AT
    descending: bool = True


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders: every condition set must hold (empty sets and None mean "any").

    - `quick`: a working stage (see `QuickFilter`);
    - `bought_from` / `bought_to`: purchase time in [from, to) (aware datetimes);
    - `search`: what the seller typed in the search box (every word, as a prefix, case and
      diacritics ignored, in the order id, buyer login/name/e-mail/phone, city and offers —
      or in the order's private note);
    - `accounts`: account keys; `delivery_methods`: delivery method names as Allegro shows
      them; `payment_types`: `PaymentType` values; `marketplaces`: marketplace ids;
    - `invoice`: True = invoice requested, False = not;
    - `min_total` / `max_total`: the order's total, inclusive, in its own currency;
    - `actions`: only orders with seller actions waiting to be sent or failed;
    - `tags`: ids of the seller's tags (`domain.labels.Tag.id`): orders carrying any of them
      (an id of a tag deleted since matches nothing);
    - `has_note`: True = orders with a private note, False = without;
    - `order_ids`: only these orders (checkout-form ids: the new orders a notification
      named, the window's temporary "new orders" view).

    The search also finds an order by the words of its private note (every word in the note,
    or every word in the order's own fields).

    Orders merged into a later purchase (their checkout form is gone from Allegro, its items
    are in the later one) are never listed: they would count twice.
    """

    quick: QuickFilter = QuickFilter.ALL
    bought_from: datetime | None = None
    bought_to: datetime | None = None
    search: str = ""
    accounts: frozenset[str] = field(default_factory=frozenset)
    delivery_methods: frozenset[str] = field(default_factory=frozenset)
    payment_types: frozenset[str] = field(default_factory=frozenset)
    marketplaces: frozenset[str] = field(default_factory=frozenset)
    invoice: bool | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    #: Only orders with an action in one of these states (`ActionState` values: "waiting"
    #: — being sent included — or "failed"); empty: any.
    actions: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    has_note: bool | None = None
    order_ids: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for moment in (self.bought_from, self.bought_to):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("filter times must be timezone-aware")

    def with_quick(self, quick: QuickFilter) -> OrderFilter:
        return replace(self, quick=quick)
