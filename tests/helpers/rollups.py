"""The statistics' rollups checked against a from-scratch aggregation of the orders, written
independently in Python: `assert_exact` (zero rows, left behind by orders that moved away, are
left out); `sync_writes`, a sync's writes that move them every way."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from allegro_desktop.domain.filters import QuickFilter, quick_filter_of
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage import Database, OrderRepository
from tests.helpers.served_orders import OTHER_ACCOUNT, Shop, store_forms

Rows = dict[str, Counter[tuple[Any, ...]]]


def _month(ms: int) -> int:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return int(datetime(moment.year, moment.month, 1, tzinfo=UTC).timestamp()) * 1000


def _sold(status: str, fulfillment: str | None) -> bool:
    return status == OrderStatus.READY_FOR_PROCESSING and fulfillment != FulfillmentStatus.CANCELLED


def expected(db: Database) -> Rows:
    """The rollups' rows (zero rows left out), from the orders and line items themselves."""
    hourly: Counter[tuple[Any, ...]] = Counter()
    monthly: Counter[tuple[Any, ...]] = Counter()
    offers: Counter[tuple[Any, ...]] = Counter()
    with db.read() as connection:
        order_rows = connection.execute(text(
            "SELECT id, account_key, bought_at, currency, status, fulfillment_status, "
            "marketplace_id, delivery_method_name, total_minor, quantity FROM orders "
            "WHERE gone = 0")).all()
        items = connection.execute(text(
            "SELECT order_id, offer_id, currency, quantity, price_minor FROM line_items")).all()
    by_id = {row.id: row for row in order_rows}
    for o in order_rows:
        fulfillment = o.fulfillment_status or ""
        stage = quick_filter_of(o.status, o.fulfillment_status)
        flags = (int(_sold(o.status, o.fulfillment_status)), int(stage is QuickFilter.CANCELLED),
                 int(stage is QuickFilter.UNPAID))
        for key, value in (("n", 1), ("r", o.total_minor), ("u", o.quantity)):
            hourly[(o.bought_at // 3_600_000, o.currency, o.account_key, o.status, fulfillment,
                    *flags, key)] += value
            monthly[(_month(o.bought_at), o.account_key, o.currency, o.status, fulfillment,
                     o.marketplace_id or "", o.delivery_method_name or "", key)] += value
    for item in items:
        parent = by_id.get(item.order_id)
        if parent is None or not _sold(parent.status, parent.fulfillment_status):
            continue
        group = (_month(parent.bought_at), parent.account_key, item.offer_id, item.currency,
                 parent.status, parent.fulfillment_status or "")
        offers[(*group, "u")] += item.quantity
        offers[(*group, "r")] += item.quantity * item.price_minor
    return {"hourly": +hourly, "monthly": +monthly, "offers": +offers}


def actual(db: Database) -> Rows:
    found: Rows = {"hourly": Counter(), "monthly": Counter(), "offers": Counter()}
    with db.read() as connection:
        for row in connection.execute(text(
                "SELECT hour, currency, account_key, status, fulfillment_status, sold, "
                "cancelled, unpaid, order_count, revenue_minor, units FROM stats_hourly")):
            for key, value in zip("nru", row[8:], strict=True):
                found["hourly"][(*row[:8], key)] += value
        for row in connection.execute(text(
                "SELECT month, account_key, currency, status, fulfillment_status, "
                "marketplace_id, delivery_method_name, order_count, revenue_minor, units "
                "FROM stats_monthly")):
            for key, value in zip("nru", row[7:], strict=True):
                found["monthly"][(*row[:7], key)] += value
        for row in connection.execute(text(
                "SELECT month, account_key, offer_id, currency, status, fulfillment_status, "
                "units, revenue_minor FROM stats_offers")):
            for key, value in zip("ur", row[6:], strict=True):
                found["offers"][(*row[:6], key)] += value
    # zero sums are rows left behind by orders that moved away: they add nothing
    return {name: Counter({k: v for k, v in rows.items() if v}) for name, rows in found.items()}


def assert_exact(db: Database) -> None:
    want, got = expected(db), actual(db)
    for name in want:
        assert got[name] == want[name], f"stats_{name} differs"


def sync_writes(repo: OrderRepository, shop: Shop, check: Callable[[], None] = lambda: None
                ) -> None:
    """New orders of two accounts, then changes of status, a line item fewer and gone
    orders: what a sync writes, moving the rollups every way. `check` after each."""
    forms = shop.form_copies()
    store_forms(repo, forms[:150])
    store_forms(repo, forms[150:], OTHER_ACCOUNT)
    check()
    changed = copy.deepcopy(forms[:40])
    for n, form in enumerate(changed):
        form["status"] = OrderStatus.CANCELLED.value if n % 2 else form["status"]
        if len(form["lineItems"]) > 1:
            form["lineItems"].pop()
    store_forms(repo, changed, gone=tuple(f["id"] for f in forms[40:50]))
    check()
