"""Opening the database: migrations, refusing files that are not ours to change, locks, a full
disk. Real SQLite files only; a file that must not be changed is compared byte for byte."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text
from sqlalchemy import exc as sa_exc

from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import (
    Database,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseTooNewError,
    DiskFullError,
    OrderRepository,
    StorageError,
    SyncStateRepository,
    integrity,
)
from allegro_desktop.storage import database as database_module
from allegro_desktop.storage.migrations import (
    HEAD as RECORDED_HEAD,
)
from allegro_desktop.storage.migrations import (
    SCRIPT_LOCATION,
    alembic_config,
    head_schema,
    include_object,
    script_directory,
)
from allegro_desktop.storage.schema import metadata
from tests.helpers.served_orders import ACCOUNT, FakeClock, Shop, parse_all, parse_events

HEAD = script_directory().get_current_head()
TABLES = {"orders", "line_items", "order_events", "sync_state", "sync_runs", "gone_forms",
          "app_meta", "orders_fts", "alembic_version"}


def _pragma(db: Database, name: str) -> object:
    with db.read() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def _fill(db: Database, shop: Shop, count: int = 300) -> None:
    OrderRepository(database=db).apply_batch(
        account_key=ACCOUNT, orders=parse_all(shop.form_copies(count)),
        events=parse_events(shop.events), cursor=shop.events[-1]["id"])


def test_the_recorded_head_is_the_scripts_head() -> None:
    """`migrations.HEAD` lets a start skip Alembic: it must name the newest script."""
    assert RECORDED_HEAD == HEAD


_OPEN_AND_TELL = """
import sys
from allegro_desktop.storage import Database
Database.open(sys.argv[1], app_version=sys.argv[2]).close()
print(sorted(name for name in sys.modules if name.split(".")[0] in ("alembic", "mako")))
"""


def test_a_database_at_the_head_opens_without_alembic(db_path: Path) -> None:
    """Alembic (and the Mako templates it imports) only when a migration is due: a start at
    the head reads one row instead (about 0.4 s less for every command)."""
    def imported(version: str) -> str:
        return subprocess.run([sys.executable, "-c", _OPEN_AND_TELL, str(db_path), version],
                              check=True, capture_output=True, text=True).stdout.strip()

    assert imported("1.0") == "[]"  # a new file: the head schema at once (head.sql)
    assert imported("1.0") == "[]"
    assert imported("1.1") == "[]"  # another app version: recorded, still no migration


def _schema_and_rows(path: Path) -> tuple[list[tuple[Any, ...]], dict[str, list[Any]]]:
    """Everything of a database file: its schema in the order it was made, and every row of
    every table (the FTS5 shadow tables included)."""
    with closing(sqlite3.connect(path)) as connection:
        schema = list(connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"))
        tables = [name for kind, name, _, _ in schema if kind == "table"]
        rows = {name: sorted(map(tuple, connection.execute(f'SELECT * FROM "{name}"')),
                             key=repr) for name in tables}
    return schema, rows


def test_a_new_file_gets_exactly_what_the_migrations_build(tmp_path: Path) -> None:
    """A new file gets head.sql instead of the migrations (no Alembic, ~0.6 s less for a new
    profile's first command): it must build the very same database. When this fails after a
    new migration: run scripts/update-head-schema."""
    migrated, created = tmp_path / "migrated.sqlite3", tmp_path / "created.sqlite3"
    head_schema.migrate(migrated)
    Database.open(created).close()
    with closing(sqlite3.connect(created)) as connection:  # the app's own row aside
        connection.execute("DELETE FROM app_meta")
        connection.commit()
    assert _schema_and_rows(created) == _schema_and_rows(migrated)
    with closing(sqlite3.connect(migrated)) as connection:
        assert head_schema.HEAD_SQL.read_text(encoding="utf-8") == head_schema.dump(connection)


def test_a_file_with_tables_but_no_revision_is_not_given_the_head_schema(db_path: Path) -> None:
    """Only an empty file is new: one that holds a table of ours but no Alembic revision (an
    old file, a broken copy) goes through the migrations, which refuse what they cannot
    migrate rather than have the head schema added beside it."""
    db_path.parent.mkdir()
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.commit()
    with pytest.raises(StorageError):
        Database.open(db_path).close()


def test_open_creates_and_migrates_a_new_file(db_path: Path) -> None:
    with Database.open(db_path) as db:
        assert db.schema_revision == HEAD == "0011"
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        assert _pragma(db, "journal_mode") == "wal"
        assert _pragma(db, "foreign_keys") == 1
        assert _pragma(db, "busy_timeout") == 5000
        assert _pragma(db, "synchronous") == 1  # NORMAL
        assert _pragma(db, "wal_autocheckpoint") == database_module.WAL_CHECKPOINT_PAGES
        assert _pragma(db, "temp_store") == 2  # MEMORY
        with db.engine.connect() as connection:  # the gone orders' partial index
            assert "WHERE gone IS 1" in connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_orders_gone'").scalar()


def test_an_empty_file_is_a_new_database(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.touch()
    with Database.open(db_path) as db:
        assert db.schema_revision == HEAD


def test_reopening_keeps_the_data(db_path: Path, shop: Shop, clock: FakeClock) -> None:
    with Database.open(db_path, clock=clock) as db:
        _fill(db, shop, 50)
    with Database.open(db_path, clock=clock) as db:
        assert db.schema_revision == HEAD
        assert OrderRepository(database=db).count_orders() == 50
        state = SyncStateRepository(database=db).get_sync_state(ACCOUNT)
        assert state.event_cursor == shop.events[-1]["id"]


def test_head_matches_the_tables_the_code_uses(db: Database) -> None:
    """The hand-written migrations create exactly what storage/schema.py describes."""
    with db.read() as connection:
        context = MigrationContext.configure(connection,
                                             opts={"include_object": include_object})
        assert compare_metadata(context, metadata) == []
        fts_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'orders_fts'").scalar()
    assert "remove_diacritics 2" in str(fts_sql)


def test_the_migration_goes_down_and_up_again(db: Database) -> None:
    with db.write() as connection:
        command.downgrade(alembic_config(connection=connection), "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    with db.write() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    assert set(inspect(db.engine).get_table_names()) >= TABLES


BROKEN_MIGRATION = '''
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE half_done (x)")
    op.execute("ALTER TABLE orders ADD COLUMN half_done_too TEXT")
    op.execute("INSERT INTO no_such_table VALUES (1)")
'''


def test_a_failing_migration_leaves_the_file_as_it_was(db: Database, tmp_path: Path) -> None:
    """Migrations run inside the write transaction `Database` holds, so SQLite's
    transactional DDL undoes a half-applied one."""
    scripts = tmp_path / "scripts"
    shutil.copytree(SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(BROKEN_MIGRATION.format(head=HEAD),
                                                         encoding="utf-8")
    config = alembic_config()
    config.set_main_option("script_location", str(scripts))

    def migrate() -> None:
        with db.write() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    with pytest.raises(sa_exc.OperationalError, match="no_such_table"):
        migrate()
    assert db.schema_revision == HEAD
    assert "half_done" not in inspect(db.engine).get_table_names()
    assert "half_done_too" not in {c["name"] for c in inspect(db.engine).get_columns("orders")}


def test_a_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    Database.open(db_path, app_version="0.1.0").close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0042'")
        raw.execute("UPDATE app_meta SET value = '3.1.0' WHERE key = 'written_by'")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as caught:
        Database.open(db_path, app_version="0.1.0")
    error = caught.value
    assert isinstance(error, AppError)
    assert error.revision == "0042"
    assert error.written_by == "3.1.0"
    assert "Allegro Desktop 3.1.0" in error.user_message
    assert "Nothing in the file was changed" in error.user_message
    assert db_path.read_bytes() == before


def test_a_newer_revision_by_this_very_version_number_is_told_truly(db_path: Path) -> None:
    """A development build of the same version number added a migration this build lacks:
    the message must not claim "last used by 0.1.0, which is newer than this version"."""
    Database.open(db_path, app_version="0.1.0").close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0042'")
    raw.close()
    with pytest.raises(DatabaseTooNewError) as caught:
        Database.open(db_path, app_version="0.1.0")
    message = caught.value.user_message
    assert "last used by" not in message
    assert "0042" in message
    assert "newer than this version (0.1.0)" in message
    assert "Nothing in the file was changed" in message


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 this is a zip file, not a database" * 100,
    b"SQLite format 3\x00" + bytes(range(256)) * 40,
    b"",  # replaced below by a valid header and a zeroed body
], ids=["garbage", "header-then-garbage", "zeroed-pages"])
def test_a_file_that_is_not_a_database_is_refused_and_kept(db_path: Path,
                                                            content: bytes) -> None:
    db_path.parent.mkdir()
    if not content:
        content = b"SQLite format 3\x00" + bytes(8192)
    db_path.write_bytes(content)
    with pytest.raises(DatabaseCorruptError) as caught:
        Database.open(db_path)
    assert "damaged" in caught.value.user_message
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_another_programs_database_is_refused_and_kept(db_path: Path) -> None:
    db_path.parent.mkdir()
    with sqlite3.connect(db_path) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorruptError, match="another program"):
        Database.open(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("cut", ["half", "last-page"])
def test_a_truncated_database_is_refused_and_kept(db_path: Path, shop: Shop, cut: str) -> None:
    """Found at open without reading every page (no `quick_check` at open, whatever the size):
    the header's page count against the file's length — its last page alone missing too."""
    with Database.open(db_path) as db:
        _fill(db, shop)
    whole = db_path.read_bytes()
    assert len(whole) > 200_000
    cut_file = whole[:len(whole) // 2] if cut == "half" else whole[:-4096]
    db_path.write_bytes(cut_file)
    with pytest.raises(DatabaseCorruptError):
        Database.open(db_path)
    assert db_path.read_bytes() == cut_file


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE IF NOT EXISTS somebody_elses (x)")
    return other


def test_a_write_lock_held_elsewhere_is_database_locked(db_path: Path, shop: Shop) -> None:
    db = Database.open(db_path, busy_timeout=0.2)
    other = _hold_write_lock(db_path)
    try:
        with pytest.raises(DatabaseLockedError) as caught:  # after the busy timeout, no hang
            _fill(db, shop, 5)
        assert "another program" in caught.value.user_message
        assert OrderRepository(database=db).count_orders() == 0  # WAL: reads go on
    finally:
        other.execute("ROLLBACK")
        other.close()
    _fill(db, shop, 5)
    assert OrderRepository(database=db).count_orders() == 5
    db.close()


def test_readers_do_not_wait_for_the_writer(db: Database, shop: Shop) -> None:
    """WAL: the UI reads the last committed state while the sync thread's transaction is open."""
    repo = OrderRepository(database=db)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies(3)), events=[],
                     cursor=None)
    with db.write() as connection:
        connection.exec_driver_sql("DELETE FROM orders")
        # The write stays open until after these reads: a reader that waited for it would
        # fail with DatabaseLockedError after the busy timeout, never read these.
        assert repo.count_orders() == 3
        assert repo.search_ids(shop.forms[0]["id"]) == [shop.forms[0]["id"]]
    assert repo.count_orders() == 0


def _open_in_a_thread(path: Path, **options: object) -> tuple[threading.Thread, threading.Event,
                                                                  dict[str, object]]:
    """`Database.open(path)` on a thread: it sets the event when it reports waiting for a
    lock; the outcome (the database or the error) lands in the dict."""
    waiting = threading.Event()
    outcome: dict[str, object] = {}

    def on_wait(seconds: float) -> bool:
        outcome.setdefault("waited", seconds)
        waiting.set()
        return True

    def run() -> None:
        try:
            outcome["database"] = Database.open(path, busy_timeout=0.2, on_wait=on_wait,
                                                **options)  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, waiting, outcome


@pytest.mark.parametrize("state", ["new", "to-migrate", "up-to-date"])
def test_opening_waits_for_a_lock_held_elsewhere(db_path: Path, state: str) -> None:
    """A backup tool or a second copy holding the lock for a moment: the open waits (saying so
    through `on_wait`), and succeeds once the lock is released — whether the file is still to
    be created, to be migrated, or up to date."""
    if state == "new":
        db_path.parent.mkdir()
    else:
        with Database.open(db_path, app_version="0.1.0") as database:
            if state == "to-migrate":  # the file one migration behind, for real
                with database.write() as connection:
                    command.downgrade(alembic_config(connection=connection), "-1")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE" if state == "new" else "SELECT 1")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE IF NOT EXISTS somebody_elses (x)")
    thread, waiting, outcome = _open_in_a_thread(db_path, app_version="0.2.0")
    try:
        assert waiting.wait(timeout=60) or "error" in outcome, outcome
    finally:
        other.execute("ROLLBACK")
        other.close()
    thread.join(timeout=120)
    assert "error" not in outcome, outcome["error"]
    database = outcome["database"]
    assert isinstance(database, Database)
    with database:
        assert database.schema_revision == HEAD


def test_the_full_check_before_a_migration_runs_once_however_long_the_wait(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database to be migrated while another program holds the write lock through several
    tries: each try looks at the file again, but every page — minutes for a big file — is read
    once (the real check, counted)."""
    with Database.open(db_path, app_version="0.1.0") as database, \
            database.write() as connection:  # the file one migration behind, for real
        command.downgrade(alembic_config(connection=connection), "-1")
    checked: list[Path] = []
    real_check = integrity.full_check

    def counted_check(file: Path, **options: Any) -> list[str] | None:
        checked.append(file)
        return real_check(file, **options)

    monkeypatch.setattr(integrity, "full_check", counted_check)
    other = _hold_write_lock(db_path)
    waits: list[float] = []

    def on_wait(seconds: float) -> bool:
        waits.append(seconds)
        if len(waits) == 3:  # released at the third try
            other.execute("ROLLBACK")
            other.close()
        return True

    with Database.open(db_path, busy_timeout=0.1, app_version="0.2.0",
                       on_wait=on_wait) as database:
        assert database.schema_revision == HEAD
    assert len(waits) == 3
    assert checked == [db_path.absolute()]


def test_the_wait_for_a_lock_is_bounded(db_path: Path) -> None:
    db_path.parent.mkdir()
    other = _hold_write_lock(db_path)
    try:
        with pytest.raises(DatabaseLockedError):  # no waiting asked for
            Database.open(db_path, busy_timeout=0.2, open_wait=0)
        with pytest.raises(DatabaseLockedError):  # the window's Quit while waiting
            Database.open(db_path, busy_timeout=0.2, on_wait=lambda _seconds: False)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Database.open(db_path) as db:
        assert db.schema_revision == HEAD


def test_a_full_disk_is_disk_full_and_loses_nothing(db: Database, shop: Shop) -> None:
    repo = OrderRepository(database=db)
    states = SyncStateRepository(database=db)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies(10)), events=[],
                     cursor="1")
    pages = int(str(_pragma(db, "page_count")))

    def no_room(dbapi_connection: sqlite3.Connection, *_: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")

    event.listen(db.engine, "checkout", no_room)
    try:
        with pytest.raises(DiskFullError) as caught:
            repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()),
                             events=parse_events(shop.events), cursor="2")
        assert "Nothing was lost" in caught.value.user_message
    finally:
        event.remove(db.engine, "checkout", no_room)
        db.engine.dispose()  # connections that still carry the limit
    assert repo.count_orders() == 10
    assert repo.count_events() == 0
    assert states.get_sync_state(ACCOUNT).event_cursor == "1"
    with db.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM line_items").scalar() == sum(
            len(o.line_items) for o in parse_all(shop.form_copies(10)))
        assert connection.exec_driver_sql("SELECT count(*) FROM orders_fts").scalar() == 10
        assert connection.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"
    result = repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()),
                              events=parse_events(shop.events), cursor="2")
    assert (result.new, result.unchanged) == (len(shop.forms) - 10, 10)


def test_a_folder_in_the_way_is_a_storage_error(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    (db_path / "x").write_text("keep me")
    with pytest.raises(StorageError) as caught:
        Database.open(db_path)
    assert "cannot be opened: Is a directory" in caught.value.user_message
    assert (db_path / "x").read_text() == "keep me"


def test_a_closed_database_cannot_be_used(db_path: Path) -> None:
    db = Database.open(db_path)
    db.close()
    db.close()  # twice is fine
    with pytest.raises(RuntimeError, match="closed"), db.read() as connection:
        connection.execute(text("SELECT 1"))


def test_a_0001_database_keeps_its_data_through_0002(db: Database) -> None:
    """0002 rebuilds `sync_state` (a column goes, one comes): the row must survive it."""
    with db.write() as connection:
        command.downgrade(alembic_config(connection=connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO sync_state (account_key, event_cursor, cursor_saved_at, backfill_done,"
            " backfill_oldest_window, last_success_at) VALUES ('acc', '123', 5, 1, 7, 9)")
    with db.write() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    with db.read() as connection:
        row = connection.exec_driver_sql(
            "SELECT account_key, event_cursor, cursor_saved_at, backfill_done, "
            "backfill_progress, last_success_at FROM sync_state").one()
    assert tuple(row) == ("acc", "123", 5, 1, None, 9)
    assert {"pending_forms", "unreadable"} <= set(inspect(db.engine).get_table_names())
