"""A first back-fill into an empty database without the upkeep it can catch up on at its end:
the secondary indexes of `orders` and `line_items` and the statistics triggers are set aside
(`set_aside`) and built once, in bulk, by `catch_up`. ARCHITECTURE.md "Statistics" explains
the first fill.

Both are one transaction each, and the `CREATE` statements of what was set aside are saved in
the file, so a run killed in between leaves a file whose next `Database.open` catches up,
whichever version of the app opens it. The file is not trusted with more: only single `CREATE
INDEX` and `CREATE TRIGGER` statements are run from it, and the rollups are summed by this
code's own statements.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from typing import Any, Final

import orjson
from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import DBAPIError

from allegro_desktop.storage.errors import SQLITE_ERROR, sqlite_code
from allegro_desktop.storage.schema import app_meta

__all__ = ["KEPT_INDEX", "SET_ASIDE_KEY", "catch_up", "catch_up_due", "set_aside"]

log = logging.getLogger("allegro_desktop.storage")

#: The `app_meta` key holding the `CREATE` statements of what is set aside, while it is.
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

#: What `catch_up` runs from the file: one statement creating an index or a trigger.
_BUILD: Final = re.compile(r"\s*CREATE\s+(UNIQUE\s+)?(INDEX|TRIGGER)\s", re.IGNORECASE)

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
    builds = [sql for _type, _name, sql in objects]
    connection.execute(insert(app_meta).values(key=SET_ASIDE_KEY,
                                               value=orjson.dumps(builds).decode()))
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
    for statement in _ROLLUP:
        connection.exec_driver_sql(statement)
    for statement in _builds(value):
        _build(connection, statement)
    connection.execute(delete(app_meta).where(app_meta.c.key == SET_ASIDE_KEY))
    log.info("first fill: indexes and statistics built in %.2f s", time.perf_counter() - began)
    return True


def _builds(value: str) -> list[str]:
    """The `CREATE INDEX` and `CREATE TRIGGER` statements saved by `set_aside`; anything else
    in the value (a damaged or forged file) is left out, with a warning, and never run."""
    try:
        saved: Any = orjson.loads(value)
    except orjson.JSONDecodeError:
        saved = None
    if not isinstance(saved, list):
        log.warning("first fill: the saved indexes and triggers are unreadable: none rebuilt")
        return []
    builds = [statement for statement in saved
              if isinstance(statement, str) and _BUILD.match(statement)]
    if len(builds) < len(saved):
        log.warning("first fill: %d saved statements create no index or trigger: not run",
                    len(saved) - len(builds))
    return builds


def _build(connection: Connection, statement: str) -> None:
    """One saved `CREATE` statement, in a SAVEPOINT: one SQLite or the driver refuses (more
    than one statement, an object that exists, a column that does not) is skipped with a
    warning; a full disk or a lock is raised."""
    connection.exec_driver_sql("SAVEPOINT first_fill")
    try:
        connection.exec_driver_sql(statement)
    except DBAPIError as exc:
        if not (isinstance(exc.orig, sqlite3.ProgrammingError)
                or sqlite_code(exc) == SQLITE_ERROR):
            raise
        connection.exec_driver_sql("ROLLBACK TO first_fill")
        log.warning("first fill: a saved statement was refused (%s): skipped", exc.orig)
    connection.exec_driver_sql("RELEASE first_fill")
