"""Backups a seller can rely on: real SQLite files, the online backup API, a backup taken while
another thread writes, automatic rotation, and restores that never lose the database they
replace. Files are compared table by table."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command

from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.files.safe import UnsafeTargetError
from allegro_desktop.storage import Database, DatabaseCorruptError, OrderRepository, integrity
from allegro_desktop.storage import backup as backup_module
from allegro_desktop.storage.backup import (
    BackupCancelled,
    BackupPolicy,
    BackupStep,
    automatic_backups,
    back_up,
    backup_folder,
    newest_backup,
    restore,
    stage_backup,
    take_automatic_backup,
)
from allegro_desktop.storage.errors import (
    BackupDamagedError,
    BackupError,
    BackupTooNewError,
    DatabaseDamagedError,
    DatabaseInUseError,
    NotABackupError,
)
from allegro_desktop.storage.integrity import marker_path, record_damage
from allegro_desktop.storage.migrations import alembic_config
from tests.helpers.database_rows import every_row_of_file
from tests.helpers.served_orders import ACCOUNT, Shop, parse_all, parse_events

DAY = date(2026, 11, 20)


def _fill(db: Database, shop: Shop, first: int, last: int, cursor: str) -> None:
    """Store forms [first, last) of the shop, as a sync page does."""
    OrderRepository(database=db).apply_batch(
        account_key=ACCOUNT, orders=parse_all(shop.form_copies(last)[first:]),
        events=parse_events(shop.events[first:last]), cursor=cursor)


def _consistent(path: Path) -> int:
    """Assert the backup file is a sound, self-consistent order database; its order count."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        orders = connection.execute("SELECT count(*) FROM orders").fetchone()[0]
        assert connection.execute("SELECT count(*) FROM order_forms").fetchone()[0] == orders
        assert connection.execute("SELECT count(*) FROM orders_fts").fetchone()[0] == orders
        assert connection.execute(
            "SELECT count(*) FROM line_items WHERE order_id NOT IN (SELECT id FROM orders)"
        ).fetchone()[0] == 0
        connection.execute("INSERT INTO orders_fts(orders_fts) VALUES ('integrity-check')")
    finally:
        connection.close()
    return int(orders)


def test_a_backup_is_one_checked_file_readable_by_sqlite_and_the_app(
        db: Database, shop: Shop, tmp_path: Path) -> None:
    _fill(db, shop, 0, 120, "1")
    target = tmp_path / "elsewhere" / "my backup.sqlite3"
    target.parent.mkdir()
    steps: list[BackupStep] = []
    info = back_up(db, target, progress=lambda step, _done, _total: steps.append(step))
    assert info.orders == 120
    assert info.path == target
    assert info.revision == db.schema_revision
    assert steps[0] is BackupStep.COPY
    assert steps[-1] is BackupStep.CHECK
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file, no -wal
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    assert _consistent(target) == 120
    assert every_row_of_file(target) == every_row_of_file(db.path)
    copy = tmp_path / "app" / "orders.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(target, copy)
    with Database.open(copy) as reopened:
        assert OrderRepository(database=reopened).count_orders() == 120


def test_a_backup_taken_while_a_sync_writes_is_one_snapshot(
        db: Database, shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another thread stores a page of orders between two steps of the copy: the backup holds
    the database as it was when it started — whole orders, line items and search rows — and
    the writer was not held up."""
    _fill(db, shop, 0, 100, "1")
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 8)
    go, stored = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def sync_thread() -> None:
        go.wait(timeout=60)
        try:
            _fill(db, shop, 100, 250, "2")  # what a sync's page does, in its own thread
        except BaseException as exc:
            errors.append(exc)
        stored.set()

    writer = threading.Thread(target=sync_thread)
    writer.start()

    def progress(step: BackupStep, done: int, total: int) -> None:
        if step is BackupStep.COPY and 0 < done < total and not go.is_set():
            go.set()
            assert stored.wait(timeout=60)

    info = back_up(db, tmp_path / "during-sync.sqlite3", progress=progress)
    writer.join()
    assert not errors
    assert go.is_set()
    assert stored.is_set()
    assert OrderRepository(database=db).count_orders() == 250
    assert info.orders == 100
    assert _consistent(info.path) == 100


def test_the_live_database_is_never_a_backup_target(db: Database, tmp_path: Path) -> None:
    """Also outside a protected profile: the database, its companions and marker (by name and
    as another name of the same file), its backups folder."""
    before = db.path.read_bytes()
    hard_link = tmp_path / "not-the-database.sqlite3"
    os.link(db.path, hard_link)
    for target in (db.path, Path(f"{db.path}-wal"), db.path.parent / "." / db.path.name,
                   integrity.marker_path(db.path), hard_link,
                   backup_folder(db.path) / "orders-2026-11-20.sqlite3"):
        with pytest.raises(UnsafeTargetError) as refused:
            back_up(db, target)
        assert "Allegro Desktop" in refused.value.user_message
    assert db.path.read_bytes() == before
    assert not integrity.marker_path(db.path).exists()
    assert not backup_folder(db.path).exists()


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[tuple[AppPaths, Database]]:
    """A portable profile (--data-dir, the user's own folder), protected as the app protects
    it, with its database open and its lock files and settings in place."""
    paths = resolve_paths(tmp_path / "profile")
    database = Database.open(paths.database)
    paths.settings_file.write_text("[data]\nbackups_kept=7\n")
    paths.log_file.write_text("a log line\n")
    for lock in ("sync.lock", "sync-owner.json", "window.lock"):
        (paths.data_dir / lock).write_text("held")
    yield paths, database
    database.close()


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder`, and what it is: a file's bytes, a link's destination."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = "-> " + os.readlink(path)
        elif stat.S_ISFIFO(path.lstat().st_mode):
            found[str(path)] = "fifo"
        elif path.is_dir():
            found[str(path)] = "folder"
        elif not path.name.startswith("orders.sqlite3"):  # the open database's own files move
            found[str(path)] = repr(path.read_bytes())
    return found


@pytest.mark.parametrize("name", [
    "config/settings.ini", "logs/allegro-desktop.log", "sync.lock", "sync-owner.json",
    "window.lock", "backups/orders-2099-01-01.sqlite3", "backups/mine.sqlite3", "link",
    "fifo", "a folder"])
def test_a_backup_target_is_checked_as_any_file_the_seller_saves(
        profile: tuple[AppPaths, Database], tmp_path: Path, name: str) -> None:
    """`backup --out` and File → Back up… go through the one target check of every file the
    app saves: never over the app's own files (the settings, the log, the lock files whose
    replacement would let a second sync or window in), never into the automatic backups'
    folder, never a link (kept, and what it points to), a pipe (never opened: that would
    hang) or a folder (a clear refusal, not an exit 70)."""
    paths, database = profile
    mine = tmp_path / "mine.txt"
    mine.write_text("the user's file")
    if name == "link":
        target = tmp_path / "link.sqlite3"
        target.symlink_to(mine)
    elif name == "fifo":
        target = tmp_path / "pipe.sqlite3"
        os.mkfifo(target)
    elif name == "a folder":
        target = tmp_path / "a folder"
        target.mkdir()
    else:
        target = paths.data_dir / name
    before = _snapshot(tmp_path)
    with pytest.raises(UnsafeTargetError) as refused:
        back_up(database, target)
    assert str(target.name) in refused.value.user_message
    assert _snapshot(tmp_path) == before
    assert mine.read_text() == "the user's file"
    assert [p.name for p in tmp_path.rglob(".*.part")] == []
    assert database.damage is None


def test_a_replaced_backup_keeps_its_permissions_a_new_one_is_private(
        db: Database, tmp_path: Path) -> None:
    """As an export: the seller's file keeps the permissions they gave it."""
    shared = tmp_path / "shared.sqlite3"
    shared.write_bytes(b"last week's backup")
    shared.chmod(0o640)
    back_up(db, shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    new = back_up(db, tmp_path / "new.sqlite3").path
    assert stat.S_IMODE(new.stat().st_mode) == 0o600


def test_a_failed_or_cancelled_backup_keeps_the_old_file(db: Database, shop: Shop,
                                                         tmp_path: Path) -> None:
    _fill(db, shop, 0, 50, "1")
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"last week's backup")
    with pytest.raises(BackupCancelled):
        back_up(db, target, stop=lambda: True)
    assert target.read_bytes() == b"last week's backup"
    with pytest.raises(BackupError) as failed:
        back_up(db, tmp_path / "no such folder" / "backup.sqlite3")
    assert "could not be written" in failed.value.user_message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite3", "profile"]


def test_a_damaged_database_gives_no_backup_and_is_marked(db_path: Path, shop: Shop,
                                                          tmp_path: Path) -> None:
    with Database.open(db_path) as db:
        _fill(db, shop, 0, 300, "1")
    pages = db_path.stat().st_size // 4096
    with db_path.open("r+b") as file:  # garbage over a page in the middle
        file.seek(pages // 2 * 4096)
        file.write(b"\xa5" * 4096)
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"an older, good backup")
    with Database.open(db_path) as db:
        with pytest.raises(DatabaseDamagedError):
            back_up(db, target)
        assert db.damage is not None
    assert target.read_bytes() == b"an older, good backup"
    assert [p.name for p in tmp_path.glob(".*.part")] == []


def test_a_backup_medium_that_fails_never_marks_the_database(db: Database, shop: Shop,
                                                             tmp_path: Path) -> None:
    """The USB stick is pulled while the copy is checked: the copy cannot be read back. That
    is the target's failure (`BackupError`), not damage of the database, which stays
    writable."""
    _fill(db, shop, 0, 40, "1")
    stick = tmp_path / "usb stick"
    stick.mkdir()

    def pulled_out(step: BackupStep, _done: int, _total: int) -> None:
        if step is BackupStep.CHECK:
            shutil.rmtree(stick)

    with pytest.raises(BackupError) as failed:
        back_up(db, stick / "backup.sqlite3", progress=pulled_out)
    assert "could not be written" in failed.value.user_message
    assert db.damage is None
    assert not integrity.marker_path(db.path).exists()
    _fill(db, shop, 40, 60, "2")  # still written to


def test_a_copy_spoilt_by_its_medium_is_not_kept_and_the_database_is_not_marked(
        db: Database, shop: Shop, tmp_path: Path) -> None:
    """The copy fails its check although the database is sound (a failing disk returned
    garbage): the database is checked itself, found sound, and not marked; the seller is told
    to save the backup elsewhere; the older backup stays."""
    _fill(db, shop, 0, 300, "1")
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"an older, good backup")

    def spoilt(step: BackupStep, _done: int, _total: int) -> None:
        if step is BackupStep.CHECK:
            [copy] = tmp_path.glob(".backup.sqlite3.*.part")
            with copy.open("r+b") as data:
                data.seek(copy.stat().st_size // 4096 // 2 * 4096)
                data.write(b"\xa5" * 4096)

    with pytest.raises(BackupError) as failed:
        back_up(db, target, progress=spoilt)
    assert not isinstance(failed.value, DatabaseDamagedError)
    assert "failing" in failed.value.user_message
    assert db.damage is None
    assert target.read_bytes() == b"an older, good backup"
    assert [p.name for p in tmp_path.glob(".*.part")] == []
    _fill(db, shop, 300, 300, "2")  # still written to


def test_a_check_begun_before_a_restore_does_not_mark_the_restored_database(
        db_path: Path, shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The background check of a damaged database is still reading its old snapshot when the
    seller restores a backup (the window: `Database.replaced`): its verdict is about the file
    replaced, and is not recorded against the restored one."""
    with Database.open(db_path) as db:
        _fill(db, shop, 0, 300, "1")
        backup = back_up(db, tmp_path / "good.sqlite3").path
    with db_path.open("r+b") as file:  # then a page in the middle goes bad
        file.seek(db_path.stat().st_size // 4096 // 2 * 4096)
        file.write(b"\xa5" * 4096)
    monkeypatch.setattr(integrity, "_STEPS_PER_POLL", 50)  # poll `stop` within the check
    polls: list[int] = []
    assert integrity.full_check(db_path, stop=lambda: polls.append(1) is None and False)
    # The first polls come while SQLite reads the schema, before the check's own snapshot is
    # taken: pause at the last but one, well inside the check of the old file.
    pause_at = len(polls) - 1
    assert pause_at >= 2
    checking, go_on = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_stop() -> bool:  # a big file: the check goes on while the seller restores
        calls.append(1)
        if len(calls) == pause_at:
            checking.set()
            assert go_on.wait(timeout=60)
        return False

    with Database.open(db_path) as db:
        verdict: list[bool | None] = []
        check = threading.Thread(target=lambda: verdict.append(db.verify(stop=slow_stop)))
        check.start()
        assert checking.wait(timeout=60)
        with stage_backup(db.path, backup) as staged:
            restore(db.path, staged, exclusive=False)
        db.replaced()
        go_on.set()
        check.join()
        assert verdict == [None]  # about the old file: no verdict
        assert db.damage is None
        assert not integrity.marker_path(db_path).exists()
        assert db.verify() is True
        _fill(db, shop, 0, 20, "2")  # written to


def test_a_read_begun_before_a_restore_does_not_mark_the_restored_database(
        db_path: Path, shop: Shop, tmp_path: Path) -> None:
    """A read of the window still on the old snapshot meets its damaged page after the restore
    (SQLITE_CORRUPT): it fails, but the restored database is not marked."""
    with Database.open(db_path) as db:
        _fill(db, shop, 0, 300, "1")
        backup = back_up(db, tmp_path / "good.sqlite3").path
    with db_path.open("r+b") as file:
        file.seek(db_path.stat().st_size // 4096 // 2 * 4096)
        file.write(b"\xa5" * 4096)
    with Database.open(db_path) as db:
        tables = list(every_row_of_file(backup))

        def read_across_a_restore() -> None:
            with db.read() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar()
                with stage_backup(db.path, backup) as staged:  # meanwhile, a restore
                    restore(db.path, staged, exclusive=False)
                db.replaced()
                for table in tables:  # the old snapshot, page by page
                    connection.exec_driver_sql(f'SELECT * FROM "{table}"').fetchall()

        with pytest.raises(DatabaseCorruptError):
            read_across_a_restore()
        assert db.damage is None
        assert not integrity.marker_path(db_path).exists()
        assert OrderRepository(database=db).count_orders() == 300


def test_a_backup_dated_in_the_future_neither_stops_nor_is_rotated(db: Database,
                                                                   shop: Shop) -> None:
    """orders-2099-01-01.sqlite3 (a clock that was wrong once): the daily backups go on, the
    rotation keeps today's, and the backup offered after damage is the one written last."""
    _fill(db, shop, 0, 30, "1")
    folder = backup_folder(db.path)
    first = take_automatic_backup(db, BackupPolicy(), today=DAY)
    assert first is not None
    future = folder / "orders-2099-01-01.sqlite3"
    shutil.copyfile(first.path, future)
    os.utime(future, (first.path.stat().st_mtime - 3600,) * 2)  # written before it
    policy = BackupPolicy(interval_days=1, keep=1)
    assert policy.due(folder, DAY + timedelta(days=1))
    taken = take_automatic_backup(db, policy, today=DAY + timedelta(days=1))
    assert taken is not None
    assert sorted(p.name for p in folder.glob("orders-*")) == [
        taken.path.name, future.name]  # the older one rotated away, the future one left
    assert newest_backup(db.path) == taken.path
    assert not policy.due(folder, DAY + timedelta(days=1))


def test_automatic_backups_are_taken_when_due_and_rotated(db: Database, shop: Shop) -> None:
    _fill(db, shop, 0, 30, "1")
    policy = BackupPolicy(interval_days=2, keep=3)
    folder = backup_folder(db.path)
    taken = []
    for offset in range(10):
        info = take_automatic_backup(db, policy, today=DAY + timedelta(days=offset))
        if info is not None:
            taken.append(info.path.name)
    assert taken == [f"orders-{(DAY + timedelta(days=d)).isoformat()}.sqlite3"
                     for d in (0, 2, 4, 6, 8)]
    assert [p.name for _day, p in automatic_backups(folder)] == taken[:-4:-1]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for _day, path in automatic_backups(folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert newest_backup(db.path) == folder / taken[-1]
    assert take_automatic_backup(db, BackupPolicy(interval_days=0), today=DAY + timedelta(
        days=30)) is None


def test_no_automatic_backup_of_a_damaged_database(db: Database, db_path: Path) -> None:
    record_damage(db_path, "found by the background check")
    assert take_automatic_backup(db, BackupPolicy(), today=DAY) is None
    assert not backup_folder(db_path).exists()


def test_backup_sync_more_restore_gives_the_backup_back(db: Database, shop: Shop,
                                                        tmp_path: Path) -> None:
    """The round trip: back up, sync more, restore — into the open database (as the window
    does), whose connections then read the backup's orders; the database as it was is kept."""
    _fill(db, shop, 0, 100, "1")
    backup = back_up(db, tmp_path / "backup.sqlite3").path
    backed_up = every_row_of_file(backup)
    _fill(db, shop, 100, 300, "2")
    synced_more = every_row_of_file(db.path)
    assert synced_more != backed_up
    with stage_backup(db.path, backup) as staged:
        assert staged.info.orders == 100
        report = restore(db.path, staged, exclusive=False)
    assert OrderRepository(database=db).count_orders() == 100
    assert every_row_of_file(db.path) == backed_up
    assert report.saved_current is not None
    assert report.saved_current.parent == backup_folder(db.path)
    assert stat.S_IMODE(report.saved_current.stat().st_mode) == 0o600
    assert every_row_of_file(report.saved_current) == synced_more
    assert [p.name for p in backup_folder(db.path).glob(".*")] == []  # no staged copy left
    _fill(db, shop, 100, 300, "2")  # and it goes on as before
    assert every_row_of_file(db.path) == synced_more


def test_restore_from_the_command_line_needs_the_database_alone(db: Database, shop: Shop,
                                                                 tmp_path: Path) -> None:
    _fill(db, shop, 0, 40, "1")
    backup = back_up(db, tmp_path / "backup.sqlite3").path
    _fill(db, shop, 40, 80, "2")
    before = every_row_of_file(db.path)
    with stage_backup(db.path, backup) as staged:
        with pytest.raises(DatabaseInUseError) as refused:
            restore(db.path, staged, exclusive=True)  # the app (this `db`) has it open
        assert "open in another program" in refused.value.user_message
        assert every_row_of_file(db.path) == before
        path = db.path
        db.close()
        report = restore(path, staged, exclusive=True)
    assert report.restored.orders == 40
    assert every_row_of_file(path) == every_row_of_file(backup)


@pytest.mark.parametrize("kind", ["text", "zip", "other program", "newer", "damaged", "empty"])
def test_a_file_that_is_no_backup_of_ours_is_refused(db: Database, shop: Shop, tmp_path: Path,
                                                     kind: str) -> None:
    _fill(db, shop, 0, 60, "1")
    file = tmp_path / "chosen.sqlite3"
    expected: type[Exception] = NotABackupError
    if kind == "text":
        file.write_text("orders, but as text\n" * 100)
    elif kind == "zip":
        file.write_bytes(b"PK\x03\x04" + bytes(5000))
    elif kind == "empty":
        file.write_bytes(b"")
    elif kind == "other program":
        with sqlite3.connect(file) as raw:
            raw.execute("CREATE TABLE contacts (name TEXT)")
        raw.close()
    else:
        back_up(db, file)
        if kind == "newer":
            expected = BackupTooNewError
            with sqlite3.connect(file) as raw:
                raw.execute("UPDATE alembic_version SET version_num = '0042'")
            raw.close()
        else:
            expected = BackupDamagedError
            with file.open("r+b") as data:
                data.seek(file.stat().st_size // 4096 // 2 * 4096)
                data.write(b"\x5a" * 4096)
    before = every_row_of_file(db.path)
    with pytest.raises(expected) as refused:
        stage_backup(db.path, file)
    assert "Nothing was changed" in refused.value.user_message
    assert every_row_of_file(db.path) == before
    assert [p.name for p in backup_folder(db.path).glob(".*")] == []


def test_the_database_itself_is_not_a_backup(db: Database) -> None:
    with pytest.raises(BackupError, match="live database"):
        stage_backup(db.path, db.path)


def test_an_older_backup_is_migrated_after_the_restore(db_path: Path, shop: Shop,
                                                       tmp_path: Path) -> None:
    backup = tmp_path / "old.sqlite3"
    with Database.open(db_path) as db:
        _fill(db, shop, 0, 30, "1")
        back_up(db, backup)
    old = Database.open(backup)  # made by a version whose newest migration was 0006
    with old.write() as connection:
        command.downgrade(alembic_config(connection=connection), "0006")
    old.close()
    with stage_backup(db_path, backup) as staged:
        assert staged.info.revision == "0006"
        restore(db_path, staged, exclusive=True)
    with Database.open(db_path) as db:
        assert db.schema_revision != "0006"
        assert OrderRepository(database=db).count_orders() == 30


def test_restore_over_a_database_too_damaged_to_open(db_path: Path, shop: Shop,
                                                     tmp_path: Path) -> None:
    """The newest automatic backup replaces a file SQLite cannot open at all; the damaged file
    is kept, moved into the backups folder, with its log."""
    with Database.open(db_path) as db:
        _fill(db, shop, 0, 50, "1")
        info = take_automatic_backup(db, BackupPolicy(), today=DAY)
    assert info is not None
    garbage = b"SQLite format 3\x00" + os.urandom(40_000)
    db_path.write_bytes(garbage)
    Path(f"{db_path}-wal").write_bytes(b"a log of the damaged file")
    with pytest.raises(DatabaseCorruptError) as refused:
        Database.open(db_path)
    assert refused.value.newest_backup == info.path
    assert str(info.path) in refused.value.user_message
    record_damage(db_path, "cannot be opened")
    with stage_backup(db_path, info.path) as staged:
        report = restore(db_path, staged, exclusive=True)
    assert report.saved_current is not None
    assert report.saved_current.read_bytes() == garbage
    assert Path(f"{report.saved_current}-wal").read_bytes() == b"a log of the damaged file"
    assert not Path(f"{db_path}-wal").exists()
    assert not marker_path(db_path).exists()
    with Database.open(db_path) as db:
        assert OrderRepository(database=db).count_orders() == 50


def test_restore_into_a_new_profile(tmp_path: Path, db: Database, shop: Shop) -> None:
    _fill(db, shop, 0, 20, "1")
    backup = back_up(db, tmp_path / "backup.sqlite3").path
    fresh = tmp_path / "new profile" / "orders.sqlite3"
    with stage_backup(fresh, backup) as staged:
        report = restore(fresh, staged, exclusive=True)
    assert report.saved_current is None
    assert every_row_of_file(fresh) == every_row_of_file(backup)


def _wal_only_copy(db: Database, tmp_path: Path) -> Callable[[], int]:
    def orders_in_the_file_alone() -> int:
        copy = tmp_path / "copy-of-the-file-alone.sqlite3"
        shutil.copyfile(db.path, copy)
        for companion in ("-wal", "-shm"):
            Path(f"{copy}{companion}").unlink(missing_ok=True)
        connection = sqlite3.connect(copy)
        try:
            return int(connection.execute("SELECT count(*) FROM orders").fetchone()[0])
        except sqlite3.OperationalError:  # no such table: even the schema is in the -wal
            return 0
        finally:
            connection.close()
    return orders_in_the_file_alone


def test_a_checkpoint_never_holds_up_a_writer(db: Database, shop: Shop,
                                               tmp_path: Path) -> None:
    """A long reader (a backup, the start-up check) on an older snapshot: the checkpoint after
    a sync gives up at once instead of holding the write lock while it waits for the reader —
    another writer with no patience at all still writes — and once the reader is gone the
    next checkpoint empties the log, the file alone then holding every order."""
    slow = Database.open(db.path, busy_timeout=600)  # a checkpoint that would wait 10 minutes
    file_alone = _wal_only_copy(db, tmp_path)
    _fill(db, shop, 0, 100, "1")
    reader = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM orders").fetchone()
        _fill(db, shop, 100, 200, "2")
        done = threading.Event()
        emptied: list[bool] = []

        def checkpoint() -> None:
            emptied.append(slow.checkpoint())
            done.set()

        threading.Thread(target=checkpoint, daemon=True).start()
        assert done.wait(timeout=60), "the checkpoint waits for the reader"
        assert emptied == [False]
        other = sqlite3.connect(db.path, timeout=0.0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO app_meta (key, value) VALUES ('other', 'writer')")
            other.execute("COMMIT")
        finally:
            other.close()
    finally:
        reader.close()
    assert slow.checkpoint() is True
    assert Path(f"{db.path}-wal").stat().st_size == 0
    assert file_alone() == 200
    slow.close()


def test_a_checkpoint_puts_every_order_into_the_file_itself(db: Database, shop: Shop,
                                                            tmp_path: Path) -> None:
    """While the app runs (its pool open), the orders live in the -wal until a checkpoint:
    after it, the file alone — what a seller or a cloud folder copies — holds them all."""
    file_alone = _wal_only_copy(db, tmp_path)
    _fill(db, shop, 0, 200, "1")
    with db.read() as connection:  # the app's connections stay open
        connection.exec_driver_sql("SELECT count(*) FROM orders").scalar()
    assert file_alone() < 200
    assert db.checkpoint() is True
    assert Path(f"{db.path}-wal").stat().st_size == 0
    assert file_alone() == 200
