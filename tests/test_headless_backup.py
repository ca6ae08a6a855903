"""`allegro-desktop backup`, `restore`, and what `sync` does for backups, as a user runs them:
real processes, real SQLite files, a real emulator for the sync."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from allegro_desktop import __version__
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.emulator.generator import OrderGenerator
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.backup import (
    BackupPolicy,
    back_up,
    backup_folder,
    take_automatic_backup,
)
from allegro_desktop.storage.outbox import WebhookOutbox
from tests.helpers.database_rows import every_row_of_file
from tests.helpers.emulator import StartEmulator
from tests.helpers.processes import login_in_a_process, run_app

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _orders(count: int) -> list[Any]:
    history = OrderGenerator(seed=5, seller_id="1").history(count, now=NOW)
    return [parse_checkout_form(order.form, account_key="production|1") for order in history]


def _store(database_path: Path, orders: list[Any], cursor: str) -> None:
    with Database.open(database_path, app_version=__version__) as database:
        OrderRepository(database=database).apply_batch(
            account_key="production|1", orders=orders, events=[], cursor=cursor)


def test_backup_then_restore_from_the_command_line(tmp_path: Path) -> None:
    database = resolve_paths(tmp_path / "profile").database
    orders = _orders(200)
    _store(database, orders[:150], "1")
    backup = tmp_path / "my backups" / "orders backup.sqlite3"
    backup.parent.mkdir()

    made = run_app(tmp_path / "profile", "backup", "--out", str(backup))
    assert made.returncode == 0, made.stderr
    assert "Backed up 150 orders to" in made.stdout
    assert "checked: OK" in made.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    backed_up = every_row_of_file(backup)

    _store(database, orders[150:], "2")  # synced more since
    with Database.open(database):  # the app is running: the restore must wait for it
        refused = run_app(tmp_path / "profile", "restore", str(backup))
        assert refused.returncode == 1
        assert "open in another program" in refused.stderr
    assert every_row_of_file(database)["orders"] != backed_up["orders"]

    restored = run_app(tmp_path / "profile", "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 150 orders" in restored.stdout
    assert every_row_of_file(database) == backed_up
    [saved] = backup_folder(database).glob("orders-before-restore-*.sqlite3")
    assert len(every_row_of_file(saved)["orders"]) == 200
    assert str(saved) in restored.stdout


def test_backup_is_never_written_over_the_database(tmp_path: Path) -> None:
    database = resolve_paths(tmp_path / "profile").database
    _store(database, _orders(20), "1")
    before = database.read_bytes()
    result = run_app(tmp_path / "profile", "backup", "--out", str(database))
    assert result.returncode == 1
    assert "is Allegro Desktop's order database" in result.stderr
    assert database.read_bytes() == before


def test_backup_goes_where_any_saved_file_may_go(tmp_path: Path) -> None:
    """The same target check as an export: not into the automatic backups' folder (a future
    date there would stop the daily backups), not over a folder (exit 1 with the reason, not
    an internal error)."""
    paths = resolve_paths(tmp_path / "profile")
    _store(paths.database, _orders(20), "1")
    future = backup_folder(paths.database) / "orders-2099-01-01.sqlite3"
    refused = run_app(tmp_path / "profile", "backup", "--out", str(future))
    assert refused.returncode == 1
    assert "a folder where Allegro Desktop keeps its own files" in refused.stderr
    assert not future.exists()
    folder = tmp_path / "a folder"
    folder.mkdir()
    into_folder = run_app(tmp_path / "profile", "backup", "--out", str(folder))
    assert into_folder.returncode == 1
    assert "is a folder" in into_folder.stderr
    assert list(folder.iterdir()) == []


def test_restore_switches_the_webhook_as_the_settings_say(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A backup from before the webhook restored into a new profile whose settings have a
    webhook: new orders are queued for it from then on, as if the app had started."""
    from tests.helpers.file_keyring import SharedFileKeyring

    old = tmp_path / "old computer" / "orders.sqlite3"
    _store(old, _orders(20), "1")
    backup = tmp_path / "backup.sqlite3"
    with Database.open(old) as database:
        back_up(database, backup)
    paths = resolve_paths(tmp_path / "profile")
    monkeypatch.setenv("TEST_KEYRING_FILE", str(paths.data_dir / "test-keyring.json"))
    TokenStore(backend=SharedFileKeyring()).save_webhook_url("https://hooks.example/orders")
    restored = run_app(tmp_path / "profile", "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    with Database.open(paths.database) as database:
        assert WebhookOutbox(database=database).enabled()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    database = resolve_paths(tmp_path / "profile").database
    _store(database, _orders(20), "1")
    before = every_row_of_file(database)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 50)
    result = run_app(tmp_path / "profile", "restore", str(notes))
    assert result.returncode == 1
    assert "is not an Allegro Desktop database" in result.stderr
    assert every_row_of_file(database) == before


def test_sync_refuses_a_damaged_database_and_names_the_backup(tmp_path: Path) -> None:
    """A page in the middle overwritten with garbage, found by a full check: `sync` does not
    write into it (not even the run history) and says how to restore the newest backup."""
    database = resolve_paths(tmp_path / "profile").database
    _store(database, _orders(300), "1")
    with Database.open(database) as opened:
        newest = take_automatic_backup(opened, BackupPolicy(), today=date(2026, 11, 19))
    assert newest is not None
    with database.open("r+b") as file:
        file.seek(database.stat().st_size // 4096 // 2 * 4096)
        file.write(b"\x3c" * 4096)
    with Database.open(database) as opened:
        assert opened.verify() is False
    damaged = database.read_bytes()

    result = run_app(tmp_path / "profile", "sync")
    assert result.returncode == 1
    assert "found damaged" in result.stderr
    assert f"allegro-desktop restore {newest.path}" in result.stderr
    assert database.read_bytes() == damaged

    restored = run_app(tmp_path / "profile", "restore", str(newest.path))
    assert restored.returncode == 0, restored.stderr
    synced = run_app(tmp_path / "profile", "sync")
    assert synced.returncode == 0, synced.stderr  # no account yet: nothing to do, no refusal


def test_sync_leaves_every_order_in_the_file_and_takes_the_daily_backup(
        start_emulator: StartEmulator, tmp_path: Path) -> None:
    """While the app keeps the database open (its pool here, in this process), a sync from the
    command line checkpoints: a copy of the main file alone — no -wal — has every order. It
    also takes the automatic backup of the day: 0600, in a 0700 folder."""
    emu = start_emulator(device_interval=1, orders=180, history_days=200, seed=23)
    login_in_a_process(emu, tmp_path)
    paths = resolve_paths(tmp_path)
    with Database.open(paths.database) as app:  # the app, running meanwhile
        synced = run_app(tmp_path, "sync")
        assert synced.returncode == 0, synced.stderr
        assert "Backed up 180 orders to" in synced.stdout
        copy = tmp_path / "copied by a backup tool.sqlite3"
        shutil.copyfile(paths.database, copy)
        connection = sqlite3.connect(copy)
        try:
            assert connection.execute("SELECT count(*) FROM orders").fetchone()[0] == 180
        finally:
            connection.close()
        assert OrderRepository(database=app).count_orders() == 180
    folder = backup_folder(paths.database)
    [backup] = folder.glob("orders-*.sqlite3")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    again = run_app(tmp_path, "sync")  # the day's backup is there: no second one
    assert again.returncode == 0, again.stderr
    assert "Backed up" not in again.stdout
    assert list(folder.glob("orders-*.sqlite3")) == [backup]
