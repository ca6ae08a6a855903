"""`Database`: the SQLite file of orders, opened safely, migrated, and handed out as connections.

Opening is careful because the file holds the seller's history, possibly longer than Allegro
keeps it (DESIGN.md §5):

1. An existing file is inspected first through a separate **read-only** connection: its header
   must be SQLite's, `PRAGMA quick_check` must pass (files up to `QUICK_CHECK_MAX_BYTES`: the
   check reads every page, many seconds for a million orders; SQLite itself refuses a file
   shorter than its header says, and reports a damaged page when it is read as SQLITE_CORRUPT,
   a `DatabaseCorruptError`), it must not be another program's database, and its schema revision
   must be one this code knows. Otherwise
   `DatabaseCorruptError` / `DatabaseTooNewError` is raised and the file has not been written
   to — not even a journal-mode change.
2. Only then is the engine created and, if the schema is behind, Alembic upgrades it to head
   inside one `BEGIN IMMEDIATE` transaction (two app copies starting together cannot both
   migrate; a failed migration leaves the file as it was).

Every connection runs in WAL mode (the UI reads while the sync thread writes, DESIGN.md §3) with
foreign keys on and a busy timeout. The Python `sqlite3` module's own transaction handling is
switched off and SQLAlchemy emits BEGIN itself (SQLAlchemy's documented recipe), so a read is
one consistent snapshot and a write takes the write lock up front (`BEGIN IMMEDIATE`): a
deferred transaction that later needs to write can fail with "database is locked" at once,
without waiting for the busy timeout.

SQLite errors the seller can act on (locked, disk full, damaged, read-only) become the
`StorageError`s of `errors.py`; the transaction they interrupted is rolled back.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.storage import migrations
from allegro_desktop.storage.errors import (
    DatabaseCorruptError,
    DatabaseTooNewError,
    StorageError,
    translate,
)
from allegro_desktop.storage.schema import app_meta
from allegro_desktop.storage.times import utc_now

__all__ = ["Clock", "Database"]

log = logging.getLogger("allegro_desktop.storage")

Clock = Callable[[], datetime]

SQLITE_HEADER: Final = b"SQLite format 3\x00"
#: The `app_meta` key naming the app version that last opened the file for writing.
WRITTEN_BY_KEY: Final = "written_by"
_WRITE_OPTION: Final = "allegro_desktop_write"
#: WAL pages (4 kB) written between automatic checkpoints (see `_on_connect`).
WAL_CHECKPOINT_PAGES: Final = 10_000
#: Files up to this size get `PRAGMA quick_check` when opened (about 0.2 s at this size).
QUICK_CHECK_MAX_BYTES: Final = 64 * 1024 * 1024


class Database:
    """The order database of one user profile: an Engine over one SQLite file.

    Thread-safe: every thread takes its own connection from the pool (`read()` / `write()`);
    SQLite's WAL mode lets readers go on while the single writer (the sync thread) writes.
    `close()` closes every pooled connection; the object is unusable afterwards.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 5.0,
                 app_version: str | None = None, clock: Clock = utc_now,
                 pool_size: int = 4) -> None:
        self.path = Path(path).absolute()
        self.clock = clock
        self.busy_timeout = busy_timeout
        self._closed = False
        try:
            if self.path.exists() and self.path.stat().st_size > 0:
                self._inspect()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a folder in the way, no permission, a vanished drive
            raise StorageError(f"{self.path}: {exc}", path=self.path, user_message=Text(
                QT_TRANSLATE_NOOP("Errors", "The order database %1 cannot be opened: %2."),
                self.path, exc.strerror or exc)) from exc
        self.engine = self._create_engine(pool_size)
        try:
            self._migrate(app_version)
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, busy_timeout: float = 5.0,
             app_version: str | None = None, clock: Clock = utc_now,
             pool_size: int = 4) -> Database:
        """Open (creating if need be) and migrate the database at `path`.

        Raises `DatabaseCorruptError`, `DatabaseTooNewError` (file untouched),
        `DatabaseLockedError` (another process holds the write lock past `busy_timeout`
        seconds) or another `StorageError`. `app_version` is recorded in the file, so a later,
        older app can say which version the seller needs. A file holding another program's
        tables is refused as `DatabaseCorruptError` rather than having ours added to it.
        """
        return cls(path, busy_timeout=busy_timeout, app_version=app_version, clock=clock,
                   pool_size=pool_size)

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection (the last one to close checkpoints the WAL)."""
        if not self._closed:
            self._closed = True
            self.engine.dispose()

    # -- connections ------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection whose statements all see one snapshot (a deferred transaction, rolled
        back at the end: reads never hold a lock past the block)."""
        self._check_open()
        with self.translated_errors(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back
        if it raises. A lock held elsewhere past the busy timeout is `DatabaseLockedError`;
        SQLITE_FULL is `DiskFullError`, with nothing of the transaction written."""
        self._check_open()
        with self.translated_errors(), self.engine.connect() as connection:
            connection.execution_options(**{_WRITE_OPTION: True})
            with connection.begin():
                yield connection

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """SQLite failures the seller can act on, raised as `StorageError`s; bugs unchanged."""
        try:
            yield
        except (sa_exc.DBAPIError, sqlite3.Error) as exc:
            error = translate(exc, path=self.path)
            if error is None:
                raise
            log.warning("order database: %s", error)
            raise error from exc

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    # -- opening ----------------------------------------------------------------------------

    def _inspect(self) -> None:
        """Refuse a file that is not ours to open, without writing to it (see module doc)."""
        with self.path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise DatabaseCorruptError(f"{self.path}: not a SQLite database", path=self.path)
        size = self.path.stat().st_size
        uri = f"{self.path.as_uri()}?mode=ro"
        with self.translated_errors():
            connection = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout,
                                         check_same_thread=False)
            try:
                problems = (["ok"] if size > QUICK_CHECK_MAX_BYTES else
                            [row[0] for row in connection.execute("PRAGMA quick_check(5)")])
                if problems != ["ok"]:
                    raise DatabaseCorruptError(
                        f"{self.path}: quick_check: {'; '.join(map(str, problems))}",
                        path=self.path)
                revisions, written_by, tables = _read_revision(connection)
            finally:
                connection.close()
        if not revisions and tables:
            raise DatabaseCorruptError(
                f"{self.path}: a SQLite database of another program (tables: "
                f"{', '.join(sorted(tables)[:5])})", path=self.path)
        known = {script.revision for script in migrations.script_directory().walk_revisions()}
        unknown = [r for r in revisions if r not in known]
        if unknown:
            raise DatabaseTooNewError(path=self.path, revision=", ".join(unknown),
                                      known_head=_head(), written_by=written_by)

    def _create_engine(self, pool_size: int) -> Engine:
        path, timeout = str(self.path), self.busy_timeout

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(path, timeout=timeout, check_same_thread=False)

        # The URL is only the dialect's name: the creator opens the file, so no character of
        # the path can be taken for URL syntax.
        engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool,
                               pool_size=pool_size, max_overflow=pool_size * 2)
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        return engine

    def _migrate(self, app_version: str | None) -> None:
        head = _head()
        with self.read() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            written_by = (connection.scalar(select(app_meta.c.value).where(
                app_meta.c.key == WRITTEN_BY_KEY)) if current == {head} else None)
        if current == {head} and (app_version is None or written_by == app_version):
            return
        with self.write() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            unknown = current - {s.revision for s in migrations.script_directory()
                                 .walk_revisions()}
            if unknown:  # a newer app migrated it since we looked
                raise DatabaseTooNewError(path=self.path, revision=", ".join(sorted(unknown)),
                                          known_head=head, written_by=None)
            if current != {head}:
                log.info("migrating %s from %s to %s", self.path,
                         ", ".join(sorted(current)) or "an empty file", head)
                command.upgrade(migrations.alembic_config(connection=connection), "head")
            if app_version is not None:
                statement = insert(app_meta).values(key=WRITTEN_BY_KEY, value=app_version)
                connection.execute(statement.on_conflict_do_update(
                    index_elements=[app_meta.c.key], set_={"value": statement.excluded.value}))

    @property
    def schema_revision(self) -> str | None:
        """The Alembic revision the file is at (head, once open)."""
        with self.read() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
        return heads[0] if heads else None


def _head() -> str:
    head = migrations.script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise RuntimeError("no migration scripts found in " + str(migrations.SCRIPT_LOCATION))
    return head


def _read_revision(connection: sqlite3.Connection) -> tuple[list[str], str | None, set[str]]:
    """The file's Alembic revisions, the app version that last wrote it and its tables."""
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    revisions = ([row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
                 if "alembic_version" in tables else [])
    written_by = None
    if "app_meta" in tables:
        try:
            row = connection.execute("SELECT value FROM app_meta WHERE key = ?",
                                     (WRITTEN_BY_KEY,)).fetchone()
        except sqlite3.OperationalError:  # a newer app may have reshaped app_meta
            row = None
        written_by = str(row[0]) if row else None
    return revisions, written_by, tables


def _on_connect(dbapi_connection: Any, _record: object) -> None:
    """Per-connection settings. `isolation_level = None` hands BEGIN over to SQLAlchemy."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("the file system refused WAL mode (journal mode %s): reads will wait "
                        "for writes", mode)
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL + NORMAL: a power cut may lose the last commits, never consistency; the sync
        # fetches them again (its cursor is committed with the orders).
        cursor.execute("PRAGMA synchronous = NORMAL")
        # A checkpoint (the WAL copied into the file, with an fsync) every 40 MB of WAL instead
        # of SQLite's 4 MB: a page of 100 orders touches pages of 17 indexes, so the default
        # checkpointed every few commits and rewrote the same index pages again and again
        # (100 000 orders stored in 27 s instead of 34 s).
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        # Statement journals in memory: an order insert fires the statistics triggers
        # (migration 0005), so SQLite keeps a statement journal for it, and with ~20 pages
        # touched per order it spilled to a temporary file at every row (10 000 orders stored
        # in 2.07 s of CPU instead of 1.57 s). Temporary sorts are small here (a screen of rows,
        # at most FEW_MATCHES ids).
        cursor.execute("PRAGMA temp_store = MEMORY")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

