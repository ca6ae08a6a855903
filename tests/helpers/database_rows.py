"""A whole order database as plain rows, to compare two databases (or one before and after)
without any of the app's reading code."""

from __future__ import annotations

from typing import Any

from allegro_desktop.storage import Database


def every_row(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the FTS index included), to compare whole databases."""
    with db.read() as connection:
        names = [row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'orders_fts_%' ORDER BY name")]
        return {name: sorted(map(tuple, connection.exec_driver_sql(
            f'SELECT {"rowid, " if name == "orders_fts" else ""}* FROM "{name}"')),
            key=repr) for name in names}
