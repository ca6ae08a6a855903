"""Two read queries the sync needs and `OrderRepository` does not (yet) offer. They belong in
the repository; they live here until storage/ grows them, reading the same tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from allegro_desktop.storage import Database
from allegro_desktop.storage.schema import orders
from allegro_desktop.storage.times import to_ms

_CHUNK = 500


def stored_revisions(database: Database, account_key: str,
                     ids: Sequence[str]) -> dict[str, str | None]:
    """`revision` of the stored, not gone orders among `ids`."""
    found: dict[str, str | None] = {}
    with database.read() as connection:
        for start in range(0, len(ids), _CHUNK):
            rows = connection.execute(
                select(orders.c.id, orders.c.revision).where(
                    orders.c.account_key == account_key, orders.c.gone.is_(False),
                    orders.c.id.in_(ids[start:start + _CHUNK])))
            found.update({row.id: row.revision for row in rows})
    return found


def ids_bought_between(database: Database, account_key: str, start: datetime,
                       end: datetime) -> set[str]:
    """Ids of the stored, not gone orders whose `bought_at` lies in [start, end]."""
    statement = select(orders.c.id).where(
        orders.c.account_key == account_key, orders.c.gone.is_(False),
        orders.c.bought_at >= to_ms(start), orders.c.bought_at <= to_ms(end))
    with database.read() as connection:
        return set(connection.scalars(statement))
