"""The schema at the newest revision as SQL (`head.sql`, generated from the migrations by
`scripts/update-head-schema`): a new database file gets it at once, without Alembic — importing
Alembic and running every migration cost a new profile's first command about 0.6 s. A file that
already has tables is always migrated by Alembic. `tests/storage/test_database.py` checks that
`head.sql` builds exactly what the migrations build."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

__all__ = ["HEAD_SQL", "dump", "migrate", "statements"]

HEAD_SQL: Final = Path(__file__).resolve().with_name("head.sql")

_HEADER: Final = ("-- The schema at revision {revision}, as the migrations build it. Generated "
                  "by scripts/update-head-schema;\n"
                  "-- do not edit (storage/migrations/head_schema.py).\n")


def statements() -> list[str]:
    """The statements of `head.sql`, in order."""
    found: list[str] = []
    pending = ""
    for line in HEAD_SQL.read_text(encoding="utf-8").splitlines(keepends=True):
        if not pending and line.startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.removesuffix(";\n"))  # the text as SQLite keeps it
            pending = ""
    if pending.strip():
        raise ValueError(f"{HEAD_SQL.name} ends inside a statement")
    return found


def dump(connection: sqlite3.Connection) -> str:
    """`head.sql` for the database of `connection` (migrated to the head): every table, index,
    view and trigger in the order they were made (SQLite's own and the FTS5 tables' shadow
    tables left out: they come with their table), then the Alembic revision."""
    shadow = {row[1] for row in connection.execute("PRAGMA table_list") if row[2] == "shadow"}
    lines = []
    for name, sql in connection.execute("SELECT name, sql FROM sqlite_master ORDER BY rowid"):
        if sql is None or name.startswith("sqlite_") or name in shadow:
            continue
        lines.append(sql + ";\n")
    (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    lines.append(f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');\n")
    return _HEADER.format(revision=revision) + "".join(lines)


def migrate(path: Path, revision: str = "head") -> None:
    """Build the schema in the new file `path` with the migrations themselves, up to
    `revision` (what `dump` reads: `scripts/update-head-schema`; and tests)."""
    from alembic import command
    from sqlalchemy import create_engine

    from allegro_desktop.storage.migrations import alembic_config

    engine = create_engine("sqlite+pysqlite://",
                           creator=lambda: sqlite3.connect(path, check_same_thread=False))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection=connection), revision)
    finally:
        engine.dispose()
