"""A first back-fill into an empty database without the upkeep it can catch up on at its end:
the secondary indexes of `orders` and `line_items` and the statistics triggers are set aside
(`set_aside`) and built once, in bulk, by `catch_up`. ARCHITECTURE.md "The first fill".

Both are one transaction each, and what `catch_up` runs is saved in the file by `set_aside`, so
a run killed in between leaves a file whose next `Database.open` catches up, whichever version
of the app opens it.
"""

from __future__ import annotations

import logging
import time
from typing import Final

import orjson
from sqlalchemy import Connection, delete, insert, select

from allegro_desktop.storage.schema import app_meta

__all__ = ["KEPT_INDEX", "SET_ASIDE_KEY", "catch_up", "catch_up_due", "set_aside"]

log = logging.getLogger("allegro_desktop.storage")

#: The `app_meta` key holding the statements `catch_up` runs, while upkeep is set aside.
SET_ASIDE_KEY: Final = "upkeep_set_aside"

#: The index the back-fill itself reads by: a listed window's stored orders, to reconcile it.
KEPT_INDEX: Final = "ix_orders_account_bought_at"

#: The indexes and triggers set aside: every index declared on the two tables (not those SQLite
#: makes for their keys, which have no SQL: the upserts and the foreign key need them) but
#: `KEPT_INDEX`, and the statistics triggers (migration 0005), whose sums `_ROLLUP` computes
#: whole instead.
_SET_ASIDE: Final = (
    "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
    f"(type = 'index' AND tbl_name IN ('orders', 'line_items') AND name != '{KEPT_INDEX}') OR "
    "(type = 'trigger' AND name LIKE 'stats\\_%' ESCAPE '\\'))")

_SOLD: Final = "o.status = 'READY_FOR_PROCESSING' AND o.fulfillment_status IS NOT 'CANCELLED'"
_MONTH: Final = ("CAST(strftime('%s', o.bought_at / 1000, 'unixepoch', 'start of month') "
                 "AS INTEGER) * 1000")

#: The statistics' rollups summed from the orders, as the triggers keep them a row at a time.
#: The orders were empty when the upkeep was set aside, so the sums were all zero: they are
#: replaced whole. The offers' names are kept (they outlive the orders) and updated as the
#: trigger does, to the name of the latest purchase.
_ROLLUP: Final = (
    "DELETE FROM stats_hourly",
    "DELETE FROM stats_monthly",
    "DELETE FROM stats_offers",
    "INSERT INTO stats_hourly (hour, currency, account_key, status, fulfillment_status, "
    "order_count, revenue_minor, units, sold, cancelled, unpaid) "
    "SELECT o.bought_at / 3600000, o.currency, o.account_key, o.status, "
    "COALESCE(o.fulfillment_status, ''), count(*), sum(o.total_minor), sum(o.quantity), "
    f"{_SOLD}, (o.status = 'CANCELLED' OR o.fulfillment_status IS 'CANCELLED'), "
    "(o.status IN ('BOUGHT', 'FILLED_IN') AND o.fulfillment_status IS NOT 'CANCELLED') "
    "FROM orders AS o WHERE o.gone = 0 GROUP BY 1, 2, 3, 4, 5",
    "INSERT INTO stats_monthly (month, account_key, currency, status, fulfillment_status, "
    "marketplace_id, delivery_method_name, order_count, revenue_minor, units) "
    f"SELECT {_MONTH}, o.account_key, o.currency, o.status, "
    "COALESCE(o.fulfillment_status, ''), COALESCE(o.marketplace_id, ''), "
    "COALESCE(o.delivery_method_name, ''), count(*), sum(o.total_minor), sum(o.quantity) "
    "FROM orders AS o WHERE o.gone = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO stats_offers (month, account_key, offer_id, currency, status, "
    "fulfillment_status, units, revenue_minor) "
    f"SELECT {_MONTH}, o.account_key, li.offer_id, li.currency, o.status, "
    "COALESCE(o.fulfillment_status, ''), sum(li.quantity), sum(li.quantity * li.price_minor) "
    f"FROM orders AS o JOIN line_items AS li ON li.order_id = o.id "
    f"WHERE o.gone = 0 AND {_SOLD} GROUP BY 1, 2, 3, 4, 5, 6",
    # max() makes SQLite take the bare offer_name from the row holding the maximum
    "INSERT INTO stats_offer_names (offer_id, offer_name, bought_at) "
    "SELECT li.offer_id, li.offer_name, max(COALESCE(li.bought_at, o.bought_at)) "
    "FROM line_items AS li JOIN orders AS o ON o.id = li.order_id GROUP BY li.offer_id "
    "ON CONFLICT (offer_id) DO UPDATE SET offer_name = excluded.offer_name, "
    "bought_at = excluded.bought_at WHERE excluded.bought_at >= stats_offer_names.bought_at",
)


def set_aside(connection: Connection) -> bool:
    """In the caller's write transaction: when the database holds no order and nothing is set
    aside yet, drop the indexes and triggers `catch_up` rebuilds, saving its statements with
    them. Whether it did."""
    if catch_up_due(connection) or connection.exec_driver_sql(
            "SELECT 1 FROM orders LIMIT 1").first() is not None:
        return False
    objects = connection.exec_driver_sql(_SET_ASIDE).all()
    statements = [*_ROLLUP, *(sql for _type, _name, sql in objects)]
    connection.execute(insert(app_meta).values(key=SET_ASIDE_KEY,
                                               value=orjson.dumps(statements).decode()))
    for kind, name, _sql in objects:
        connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    log.info("first fill: %d indexes and triggers set aside until its end", len(objects))
    return True


def catch_up_due(connection: Connection) -> bool:
    """Whether upkeep is set aside (a first fill is running, or was cut short)."""
    return connection.scalar(select(app_meta.c.key).where(
        app_meta.c.key == SET_ASIDE_KEY)) is not None


def catch_up(connection: Connection) -> bool:
    """In the caller's write transaction: build what `set_aside` dropped, once, from the
    orders stored by then, and forget that it was set aside. Whether there was anything."""
    value = connection.scalar(select(app_meta.c.value).where(app_meta.c.key == SET_ASIDE_KEY))
    if value is None:
        return False
    began = time.perf_counter()
    statements = orjson.loads(value)
    for statement in statements:
        connection.exec_driver_sql(statement)
    connection.execute(delete(app_meta).where(app_meta.c.key == SET_ASIDE_KEY))
    log.info("first fill: indexes and statistics built in %.2f s", time.perf_counter() - began)
    return True
