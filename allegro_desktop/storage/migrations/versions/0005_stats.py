"""Rollups of the orders for the statistics, kept exact by triggers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

Summing a million orders takes SQLite about a second per grouping (by hour, by delivery
method, by offer…); the statistics need several at once. These tables hold the sums already
grouped, and triggers on `orders` and `line_items` keep them in step inside the writer's own
transaction — whoever writes (the sync, retention, deleting an account's data) and whenever a
write is cut short, the rollups say exactly what the orders say. Only orders that are not gone
count (merged orders would count twice).

- `stats_hourly`: per UTC hour (`bought_at / 3 600 000`), currency, account, status and
  fulfillment status: orders, the sum of their totals, the sum of their quantities, and
  whether these orders are sold / cancelled / unpaid (0 or 1: functions of the statuses,
  stored so that summing hours tests no strings). Hour and currency lead the key: the
  statistics group by them, and SQLite then groups while it scans instead of sorting;
- `stats_monthly`: the same per UTC month (`month`: the month's first millisecond), also keyed by
  marketplace and delivery method (the splits of the statistics);
- `stats_offers`: per UTC month, account, offer, currency, status and fulfillment status, the
  units and the revenue (price × quantity) of the line items of *sold* orders only (paid or cash
  on delivery, not cancelled: what top products count);
- `stats_offer_names`: the title each offer was last bought under.

A NULL fulfillment status, marketplace or delivery method is stored as "" (a primary key of a
WITHOUT ROWID table cannot be NULL, and NULLs would never conflict in the upsert).

Triggers fire only when a column they sum or group by changes (WHEN clauses), so a sync that
rewrites an order with a new revision but the same status costs nothing here. Rows whose sums
fall to zero stay (they are reused, and add nothing). Deleting an order first deletes its line
items itself when they count (a BEFORE trigger: the order is still there to say where they
counted), rather than relying on where SQLite runs the foreign key's cascade among triggers.

Frozen like every migration: the SQL is spelled out here, never imported.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOUR_MS = 3_600_000
SOLD = "{o}.status = 'READY_FOR_PROCESSING' AND {o}.fulfillment_status IS NOT 'CANCELLED'"
CANCELLED = "({o}.status = 'CANCELLED' OR {o}.fulfillment_status IS 'CANCELLED')"
UNPAID = "({o}.status IN ('BOUGHT', 'FILLED_IN') AND {o}.fulfillment_status IS NOT 'CANCELLED')"

TABLES = (
    "CREATE TABLE stats_hourly ("
    "hour INTEGER NOT NULL, currency TEXT NOT NULL, account_key TEXT NOT NULL, "
    "status TEXT NOT NULL, fulfillment_status TEXT NOT NULL, "
    "order_count INTEGER NOT NULL, revenue_minor INTEGER NOT NULL, units INTEGER NOT NULL, "
    "sold INTEGER NOT NULL, cancelled INTEGER NOT NULL, unpaid INTEGER NOT NULL, "
    "PRIMARY KEY (hour, currency, account_key, status, fulfillment_status)) WITHOUT ROWID",
    "CREATE TABLE stats_monthly ("
    "month INTEGER NOT NULL, account_key TEXT NOT NULL, currency TEXT NOT NULL, "
    "status TEXT NOT NULL, fulfillment_status TEXT NOT NULL, marketplace_id TEXT NOT NULL, "
    "delivery_method_name TEXT NOT NULL, "
    "order_count INTEGER NOT NULL, revenue_minor INTEGER NOT NULL, units INTEGER NOT NULL, "
    "PRIMARY KEY (month, account_key, currency, status, fulfillment_status, marketplace_id, "
    "delivery_method_name)) WITHOUT ROWID",
    "CREATE TABLE stats_offers ("
    "month INTEGER NOT NULL, account_key TEXT NOT NULL, offer_id TEXT NOT NULL, "
    "currency TEXT NOT NULL, status TEXT NOT NULL, fulfillment_status TEXT NOT NULL, "
    "units INTEGER NOT NULL, revenue_minor INTEGER NOT NULL, "
    "PRIMARY KEY (month, account_key, offer_id, currency, status, fulfillment_status)) "
    "WITHOUT ROWID",
    "CREATE TABLE stats_offer_names ("
    "offer_id TEXT NOT NULL PRIMARY KEY, offer_name TEXT NOT NULL, bought_at INTEGER NOT NULL"
    ") WITHOUT ROWID",
)

ORDER_TRIGGERS = (
    "stats_orders_insert", "stats_orders_update", "stats_orders_delete",
    "stats_orders_offers_update", "stats_orders_offers_delete",
)
ITEM_TRIGGERS = ("stats_items_insert", "stats_items_delete", "stats_items_update")


def _month(ms: str) -> str:
    return f"CAST(strftime('%s', {ms} / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000"


def _flags(row: str) -> str:
    """`sold`, `cancelled`, `unpaid` of an hourly row: functions of its status columns, stored
    so the statistics sum `order_count * sold` instead of testing strings on every row."""
    return (f"{SOLD.format(o=row)}, {CANCELLED.format(o=row)}, {UNPAID.format(o=row)}")


def _add_order(row: str, sign: str) -> str:
    """Two upserts adding (`sign` "+") or taking away ("-") the order `row` (NEW / OLD)."""
    when = f"WHERE {row}.gone = 0"
    fulfillment = f"COALESCE({row}.fulfillment_status, '')"
    sums = ("ON CONFLICT DO UPDATE SET order_count = order_count + excluded.order_count, "
            "revenue_minor = revenue_minor + excluded.revenue_minor, "
            "units = units + excluded.units;")
    return (
        "INSERT INTO stats_hourly (hour, currency, account_key, status, fulfillment_status, "
        "order_count, revenue_minor, units, sold, cancelled, unpaid) "
        f"SELECT {row}.bought_at / {HOUR_MS}, {row}.currency, {row}.account_key, {row}.status, "
        f"{fulfillment}, {sign}1, {sign}{row}.total_minor, {sign}{row}.quantity, "
        f"{_flags(row)} {when} {sums} "
        "INSERT INTO stats_monthly (month, account_key, currency, status, fulfillment_status, "
        "marketplace_id, delivery_method_name, order_count, revenue_minor, units) "
        f"SELECT {_month(row + '.bought_at')}, {row}.account_key, {row}.currency, "
        f"{row}.status, {fulfillment}, COALESCE({row}.marketplace_id, ''), "
        f"COALESCE({row}.delivery_method_name, ''), {sign}1, {sign}{row}.total_minor, "
        f"{sign}{row}.quantity {when} {sums}")


_OFFER_SUMS = ("ON CONFLICT DO UPDATE SET units = units + excluded.units, "
               "revenue_minor = revenue_minor + excluded.revenue_minor;")
_OFFER_COLUMNS = ("INSERT INTO stats_offers (month, account_key, offer_id, currency, status, "
                  "fulfillment_status, units, revenue_minor) ")


def _add_items_of(row: str, sign: str) -> str:
    """An upsert adding or taking away every line item of the order `row` (NEW / OLD)."""
    return (
        f"{_OFFER_COLUMNS}SELECT {_month(row + '.bought_at')}, {row}.account_key, li.offer_id, "
        f"li.currency, {row}.status, COALESCE({row}.fulfillment_status, ''), "
        f"{sign}li.quantity, {sign}li.quantity * li.price_minor FROM line_items AS li "
        f"WHERE li.order_id = {row}.id AND {row}.gone = 0 AND {SOLD.format(o=row)} "
        f"{_OFFER_SUMS}")


def _add_item(row: str, sign: str) -> str:
    """An upsert adding or taking away the line item `row` (NEW / OLD), as its order says."""
    return (
        f"{_OFFER_COLUMNS}SELECT {_month('o.bought_at')}, o.account_key, {row}.offer_id, "
        f"{row}.currency, o.status, COALESCE(o.fulfillment_status, ''), {sign}{row}.quantity, "
        f"{sign}{row}.quantity * {row}.price_minor FROM orders AS o "
        f"WHERE o.id = {row}.order_id AND o.gone = 0 AND {SOLD.format(o='o')} {_OFFER_SUMS}")


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in columns)


_ORDER_COLUMNS = ("gone", "account_key", "bought_at", "currency", "status",
                  "fulfillment_status", "marketplace_id", "delivery_method_name", "total_minor",
                  "quantity")
_OFFER_ORDER_COLUMNS = ("gone", "account_key", "bought_at", "status", "fulfillment_status")
_ITEM_COLUMNS = ("order_id", "offer_id", "currency", "quantity", "price_minor")

TRIGGERS = (
    f"CREATE TRIGGER stats_orders_insert AFTER INSERT ON orders BEGIN "
    f"{_add_order('NEW', '+')} END",
    f"CREATE TRIGGER stats_orders_update AFTER UPDATE ON orders "
    f"WHEN {_changed(_ORDER_COLUMNS)} BEGIN "
    f"{_add_order('OLD', '-')} {_add_order('NEW', '+')} END",
    f"CREATE TRIGGER stats_orders_delete AFTER DELETE ON orders BEGIN "
    f"{_add_order('OLD', '-')} END",
    # The order's line items move with it (new status, gone, another month…). They are the
    # items stored when the order row changes: the repository rewrites items after the order.
    f"CREATE TRIGGER stats_orders_offers_update AFTER UPDATE ON orders "
    f"WHEN {_changed(_OFFER_ORDER_COLUMNS)} BEGIN "
    f"{_add_items_of('OLD', '-')} {_add_items_of('NEW', '+')} END",
    # Take the counted items away while the order still says where they counted; the cascade
    # then finds nothing left to delete.
    f"CREATE TRIGGER stats_orders_offers_delete BEFORE DELETE ON orders "
    f"WHEN OLD.gone = 0 AND {SOLD.format(o='OLD')} BEGIN "
    f"DELETE FROM line_items WHERE order_id = OLD.id; END",
    f"CREATE TRIGGER stats_items_insert AFTER INSERT ON line_items BEGIN "
    f"{_add_item('NEW', '+')} "
    # (the order is looked up only for an item without its own purchase time)
    "INSERT INTO stats_offer_names (offer_id, offer_name, bought_at) "
    "SELECT NEW.offer_id, NEW.offer_name, COALESCE(NEW.bought_at, "
    "(SELECT o.bought_at FROM orders AS o WHERE o.id = NEW.order_id)) WHERE true "
    "ON CONFLICT (offer_id) DO UPDATE SET offer_name = excluded.offer_name, "
    "bought_at = excluded.bought_at WHERE excluded.bought_at >= stats_offer_names.bought_at; "
    "END",
    f"CREATE TRIGGER stats_items_delete AFTER DELETE ON line_items BEGIN "
    f"{_add_item('OLD', '-')} END",
    f"CREATE TRIGGER stats_items_update AFTER UPDATE ON line_items "
    f"WHEN {_changed(_ITEM_COLUMNS)} BEGIN "
    f"{_add_item('OLD', '-')} {_add_item('NEW', '+')} END",
)

FILL = (
    "INSERT INTO stats_hourly SELECT bought_at / 3600000, currency, account_key, status, "
    "COALESCE(fulfillment_status, ''), count(*), sum(total_minor), sum(quantity), "
    f"{_flags('orders')} FROM orders WHERE gone = 0 GROUP BY 1, 2, 3, 4, 5",
    f"INSERT INTO stats_monthly SELECT {_month('bought_at')}, account_key, currency, status, "
    "COALESCE(fulfillment_status, ''), COALESCE(marketplace_id, ''), "
    "COALESCE(delivery_method_name, ''), count(*), sum(total_minor), sum(quantity) "
    "FROM orders WHERE gone = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7",
    f"INSERT INTO stats_offers SELECT {_month('o.bought_at')}, o.account_key, li.offer_id, "
    "li.currency, o.status, COALESCE(o.fulfillment_status, ''), sum(li.quantity), "
    "sum(li.quantity * li.price_minor) FROM orders AS o "
    f"JOIN line_items AS li ON li.order_id = o.id WHERE o.gone = 0 AND {SOLD.format(o='o')} "
    "GROUP BY 1, 2, 3, 4, 5, 6",
    # max() makes SQLite take the other bare column from the row holding the maximum
    "INSERT INTO stats_offer_names SELECT li.offer_id, li.offer_name, "
    "max(COALESCE(li.bought_at, o.bought_at)) FROM line_items AS li "
    "JOIN orders AS o ON o.id = li.order_id GROUP BY li.offer_id",
)


def upgrade() -> None:
    for statement in (*TABLES, *FILL, *TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    for name in (*ORDER_TRIGGERS, *ITEM_TRIGGERS):
        op.execute(f"DROP TRIGGER {name}")
    for name in ("stats_offer_names", "stats_offers", "stats_monthly", "stats_hourly"):
        op.execute(f"DROP TABLE {name}")
