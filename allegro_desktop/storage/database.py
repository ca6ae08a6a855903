"""`Database`: the SQLite file of orders, opened safely, migrated, and handed out as connections
(WAL, foreign keys, busy timeout; reads one snapshot, writes `BEGIN IMMEDIATE`); `write()`
refuses a database known to be damaged, `checkpoint()` makes the file alone complete. How the
file is inspected before anything writes to it, migrated and waited for:
ARCHITECTURE.md "The order database".
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.storage import first_fill, integrity, migrations
from allegro_desktop.storage.errors import (
    SQLITE_BUSY,
    SQLITE_LOCKED,
    DatabaseCorruptError,
    DatabaseDamagedError,
    DatabaseLockedError,
    DatabaseTooNewError,
    StorageError,
    sqlite_code,
    translate,
)
from allegro_desktop.storage.integrity import Damage
from allegro_desktop.storage.migrations import head_schema
from allegro_desktop.storage.schema import app_meta
from allegro_desktop.storage.times import utc_now

__all__ = ["Clock", "Database"]

log = logging.getLogger("allegro_desktop.storage")

Clock = Callable[[], datetime]

#: The `app_meta` key naming the app version that last opened the file for writing.
WRITTEN_BY_KEY: Final = "written_by"
_WRITE_OPTION: Final = "allegro_desktop_write"
#: WAL pages (4 kB) written between automatic checkpoints (see `_on_connect`).
WAL_CHECKPOINT_PAGES: Final = 10_000
#: Seconds `Database.open` waits for a lock another program holds on the file.
OPEN_LOCK_WAIT: Final = 60.0


#: Told how long `Database.open` has waited so far for a lock held elsewhere; returns False to
#: stop waiting (then the open raises `DatabaseLockedError`).
LockWait = Callable[[float], bool]
#: Called (on whatever thread found it) when damage is found in this process.
DamageListener = Callable[[Damage], None]
# Called (on the restoring thread) once a restore put another database in place.
ReplacedListener = Callable[[], None]


class Database:
    """The order database of one user profile: an Engine over one SQLite file.

    Thread-safe: every thread takes its own connection from the pool (`read()` / `write()`);
    SQLite's WAL mode lets readers go on while the single writer (the sync thread) writes.
    `close()` closes every pooled connection; the object is unusable afterwards.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 5.0,
                 app_version: str | None = None, clock: Clock = utc_now,
                 pool_size: int = 4, open_wait: float = OPEN_LOCK_WAIT,
                 on_wait: LockWait | None = None) -> None:
        self.path = Path(path).absolute()
        self.clock = clock
        self.busy_timeout = busy_timeout
        self._closed = False
        self._damage: Damage | None = None  # found by this process (also if unrecordable)
        self._damage_lock = threading.Lock()
        self._damage_listeners: list[DamageListener] = []
        self._replaced_listeners: list[ReplacedListener] = []
        # Bumped when a restore puts another database in place (`replaced`): the verdict of a
        # check or a read begun on the database before is then not recorded against it.
        self._generation = 0
        self._checked_sound = False  # the full check before a migration passed (`_inspect`)
        started = time.monotonic()
        while True:
            try:
                self._open(app_version, pool_size)
                return
            except DatabaseLockedError:
                waited = time.monotonic() - started
                if waited >= open_wait or (on_wait is not None and not on_wait(waited)):
                    raise
                log.info("order database %s is locked by another program; waiting (%.0f s)",
                         self.path, waited)

    def _open(self, app_version: str | None, pool_size: int) -> None:
        try:
            if self.path.exists() and self.path.stat().st_size > 0:
                self._inspect(app_version)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                integrity.clear_damage(self.path)  # of a file that is gone
        except OSError as exc:  # a folder in the way, no permission, a vanished drive
            raise StorageError(f"{self.path}: {exc}", path=self.path, user_message=Text(
                QT_TRANSLATE_NOOP("Errors", "The order database %1 cannot be opened: %2."),
                self.path, exc.strerror or exc)) from exc
        self.engine = self._create_engine(pool_size)
        try:
            self.upgrade_schema(app_version)
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, busy_timeout: float = 5.0,
             app_version: str | None = None, clock: Clock = utc_now,
             pool_size: int = 4, open_wait: float = OPEN_LOCK_WAIT,
             on_wait: LockWait | None = None) -> Database:
        """Open (creating if need be) and migrate the database at `path`.

        Raises `DatabaseCorruptError`, `DatabaseTooNewError` (file untouched),
        `DatabaseLockedError` (another process held a lock on it for `open_wait` seconds, or
        `on_wait` returned False) or another `StorageError`. `app_version` is recorded in the
        file, so a later, older app can say which version the seller needs. A file holding
        another program's tables is refused as `DatabaseCorruptError` rather than having ours
        added to it. A database known to be damaged opens (to be read, and restored), but
        refuses writes, and migrations.
        """
        return cls(path, busy_timeout=busy_timeout, app_version=app_version, clock=clock,
                   pool_size=pool_size, open_wait=open_wait, on_wait=on_wait)

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
        SQLITE_FULL is `DiskFullError`, with nothing of the transaction written; a database
        known to be damaged is `DatabaseDamagedError`, before anything is begun."""
        self._check_open()
        self.check_writable()
        with self.translated_errors(), self.engine.connect() as connection:
            connection.execution_options(**{_WRITE_OPTION: True})
            with connection.begin():
                yield connection

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """SQLite failures the seller can act on, raised as `StorageError`s; bugs unchanged.
        SQLITE_CORRUPT (a damaged page read or written) is also recorded as damage — unless a
        restore replaced the database since the block began (the page was the old file's)."""
        generation = self._generation
        try:
            yield
        except (sa_exc.DBAPIError, sqlite3.Error) as exc:
            error = translate(exc, path=self.path)
            if error is None:
                raise
            log.warning("order database: %s", error)
            if isinstance(error, DatabaseCorruptError):
                self._record_damage(str(error), generation)
            raise error from exc

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    # -- damage -----------------------------------------------------------------------------

    @property
    def damage(self) -> Damage | None:
        """The damage found in this database (by this process or, through the marker next to
        the file, by another one), None if none is known."""
        return self._damage or integrity.read_damage(self.path)

    def record_damage(self, detail: str) -> Damage:
        """Remember that the database is damaged (the marker, see storage/integrity.py): from
        now on every writer refuses. Tells the damage listeners once."""
        damage = self._record_damage(detail, None)
        assert damage is not None  # recorded whatever the generation
        return damage

    def _record_damage(self, detail: str, generation: int | None) -> Damage | None:
        """`record_damage`, if the database is still the one of `generation` (None: any) — a
        check or a read begun before a restore says nothing of the database restored. None
        when it was not recorded for that reason."""
        with self._damage_lock:
            if generation is not None and generation != self._generation:
                log.info("order database %s was replaced since a check found damage in it (%s): "
                         "not recorded against the restored one", self.path, detail)
                return None
            known = self._damage is not None
            self._damage = integrity.record_damage(self.path, detail, now=self.clock())
            damage = self._damage
            listeners = list(self._damage_listeners) if not known else []
        for listener in listeners:
            listener(damage)
        return damage

    def forget_damage(self) -> None:
        """The database was found sound again: writes resume."""
        with self._damage_lock:
            self._damage = None
            integrity.clear_damage(self.path)

    def replaced(self) -> None:
        """A restore put another database in place of this one (storage/backup.py's
        `restore`): its recorded damage is forgotten, and so is any verdict of a check or a
        read begun before — it was about the file replaced. Then the replaced listeners are
        told (what keeps state of its own in the database sets it again)."""
        with self._damage_lock:
            self._generation += 1
            self._damage = None
            integrity.clear_damage(self.path)
            listeners = list(self._replaced_listeners)
        for listener in listeners:
            listener()

    def add_replaced_listener(self, listener: ReplacedListener) -> None:
        """`listener()` once a restore put another database in place (`replaced`), on the
        thread that restored it."""
        with self._damage_lock:
            self._replaced_listeners.append(listener)

    def add_damage_listener(self, listener: DamageListener) -> None:
        """`listener(damage)` when this process finds the database damaged (on the thread that
        found it)."""
        with self._damage_lock:
            self._damage_listeners.append(listener)

    def check_writable(self) -> None:
        """Raise `DatabaseDamagedError` when the database is known to be damaged (what every
        write does first)."""
        damage = self.damage
        if damage is not None:
            raise DatabaseDamagedError(f"{self.path}: known to be damaged since "
                                       f"{damage.detected_at.isoformat()}: {damage.detail}",
                                       path=self.path, detected_at=damage.detected_at)

    def verify(self, *, stop: Callable[[], bool] | None = None) -> bool | None:
        """Check every page (storage/integrity.py's `full_check`): True when sound, False when
        damaged (then recorded), None when `stop()` ended it first. A database already known
        to be damaged gets the thorough `integrity_check`, and is forgotten as damaged when
        that passes (the seller repaired or replaced the file). None too when a restore
        replaced the database meanwhile (`replaced`): the verdict was about the old file.
        Minutes for a big file: call it on a background thread."""
        self._check_open()
        generation = self._generation
        known = self.damage is not None
        with self.translated_errors():
            problems = integrity.full_check(self.path, thorough=known,
                                            timeout=self.busy_timeout, stop=stop)
        if problems is None:
            return None
        if problems:
            recorded = self._record_damage("; ".join(problems), generation)
            return False if recorded is not None else None
        if known and generation == self._generation:
            log.info("order database %s passes integrity_check: no longer marked damaged",
                     self.path)
            self.forget_damage()
        return True

    # -- the write-ahead log ------------------------------------------------------------------

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it (`wal_checkpoint(
        TRUNCATE)`), so that the file alone holds every committed order — what a seller, a
        cloud folder or a backup tool copies. True when the log was emptied; False when a
        reader still on an older snapshot (a backup, the background check) or a writer kept
        part of it — the next checkpoint copies it — or when the database is known to be
        damaged: its files are then left as they are, for a restore.

        It never waits, and so never makes a writer wait: a TRUNCATE checkpoint holds the
        write lock while it waits for readers, for as long as the busy timeout lets it, and
        every other writer (the webhook's marks, a deletion) would wait behind it — and fail
        as "locked" after its own timeout. Run without a busy timeout, it copies what no
        reader needs any more and gives up the rest at once (what a PASSIVE one does)."""
        self._check_open()
        if self.damage is not None:
            return False
        with self.translated_errors():
            connection = sqlite3.connect(self.path, timeout=0.0, isolation_level=None,
                                         check_same_thread=False)
            try:
                busy, _log_frames, _copied = connection.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError as exc:
                if sqlite_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
                    raise
                busy = 1  # another checkpoint is under way
            finally:
                connection.close()
        if busy:
            log.debug("checkpoint of %s: the log is in use, not emptied yet", self.path)
        return not busy

    # -- opening ----------------------------------------------------------------------------

    def _inspect(self, app_version: str | None) -> None:
        """Refuse a file that is not ours to open, without writing to it (ARCHITECTURE.md "The
        order database")."""
        with self.path.open("rb") as file:  # a folder in the way: OSError
            _header, problems = integrity.header_problems(file.read(integrity.HEADER_SIZE))
        if problems:
            raise DatabaseCorruptError(f"{self.path}: {'; '.join(problems)}", path=self.path)
        uri = f"{self.path.as_uri()}?mode=ro"
        with self.translated_errors():
            connection = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout,
                                         check_same_thread=False)
            try:
                connection.execute("PRAGMA cell_size_check = ON")
                problems = integrity.open_check(self.path, connection)
                if problems:
                    raise DatabaseCorruptError(f"{self.path}: {'; '.join(problems)}",
                                               path=self.path)
                revisions, written_by, tables = _read_revision(connection)
            finally:
                connection.close()
        if not revisions and tables:
            raise DatabaseCorruptError(
                f"{self.path}: a SQLite database of another program (tables: "
                f"{', '.join(sorted(tables)[:5])})", path=self.path)
        unknown = ([] if set(revisions) <= {migrations.HEAD}
                   else [r for r in revisions if r not in _known_revisions()])
        if unknown:
            raise DatabaseTooNewError(path=self.path, revision=", ".join(unknown),
                                      known_head=_head(), written_by=written_by,
                                      app_version=app_version)
        if revisions and set(revisions) != {_head()} and not self._checked_sound:
            # To be migrated: every page first — once, not again at each try at a lock.
            self.check_writable()
            with self.translated_errors():
                problems = integrity.full_check(self.path, timeout=self.busy_timeout) or []
            if problems:
                self.record_damage("; ".join(problems))
                self.check_writable()
            self._checked_sound = True

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

    def upgrade_schema(self, app_version: str | None = None) -> None:
        """Migrate the file to this code's schema (Alembic, one `BEGIN IMMEDIATE`
        transaction), and record `app_version` as the version that last wrote it. Done by
        `open`; again after a restore put an older backup in place. A database known to be
        damaged is never migrated (`DatabaseDamagedError`); at the head it is left unwritten."""
        head = _head()
        with self.read() as connection:
            current = _current_revisions(connection)
            written_by = (connection.scalar(select(app_meta.c.value).where(
                app_meta.c.key == WRITTEN_BY_KEY)) if current == {head} else None)
            catch_up_due = bool(current) and first_fill.catch_up_due(connection)
        up_to_date = not catch_up_due and (app_version is None or written_by == app_version)
        if current == {head} and (up_to_date or self.damage is not None):
            return
        with self.write() as connection:
            # A first fill cut short: its indexes and triggers back first, as the schema it
            # was at had them (storage/first_fill.py), before any migration reads them.
            if catch_up_due:
                first_fill.catch_up(connection)
            current = _current_revisions(connection)
            if not current and _is_empty(connection):
                # A new file: the head schema at once (`migrations/head_schema.py`).
                log.info("creating the schema of %s at %s", self.path, head)
                for sql in head_schema.statements():
                    connection.exec_driver_sql(sql)
                current = _current_revisions(connection)
            if current != {head}:  # Alembic only then (most starts: not at all)
                from alembic import command

                unknown = current - _known_revisions()
                if unknown:  # a newer app migrated it since we looked
                    raise DatabaseTooNewError(
                        path=self.path, revision=", ".join(sorted(unknown)), known_head=head,
                        written_by=None, app_version=app_version)
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
            heads = sorted(_current_revisions(connection))
        return heads[0] if heads else None


def _head() -> str:
    return migrations.HEAD


def _known_revisions() -> set[str]:
    """Every revision of the scripts (reading them imports Alembic: only off the usual path)."""
    return {script.revision for script in migrations.script_directory().walk_revisions()}


def _is_empty(connection: Connection) -> bool:
    """Whether the file holds nothing yet: no table, index, view or trigger."""
    return connection.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").first() is None


def _current_revisions(connection: Connection) -> set[str]:
    """The Alembic revisions recorded in the file (none for a new one), read as Alembic's
    `MigrationContext.get_current_heads` reads them, without importing it."""
    if connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first() is None:
        return set()
    return {str(row[0]) for row in connection.exec_driver_sql(
        "SELECT version_num FROM alembic_version")}


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
        # A page whose cells do not fit it is SQLITE_CORRUPT when read, rather than rows read
        # wrong (storage/integrity.py).
        cursor.execute("PRAGMA cell_size_check = ON")
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

