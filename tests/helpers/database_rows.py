"""A whole order database as plain rows, to compare two databases (or one before and after)
without any of the app's reading code: an open `Database` (`every_row`), or a database file
read as it is, read-only (`every_row_of_file`: a backup, a restored file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
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


def every_row_of_file(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the database file at `path` (read-only, with SQLite alone;
    the FTS index left out), the tables in the order of their names."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(),
                             key=repr) for name in names}
    finally:
        connection.close()
