"""Alembic's environment: migrate the connection `Database.open` passes in.

At start-up the app hands over a connection that already holds the write lock (BEGIN
IMMEDIATE), so the migration joins that transaction: SQLite's DDL is transactional and a failed
migration leaves the file as it was. From the command line (developers), the URL of
alembic.ini is used instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from allegro_desktop.storage.migrations import include_object
from allegro_desktop.storage.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
    else:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("set sqlalchemy.url in alembic.ini (or pass a connection)")
        engine = create_engine(url)
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
        engine.dispose()
