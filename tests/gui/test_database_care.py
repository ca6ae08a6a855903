"""The order database in the window (ui/database/): File → Back up… and Restore
from backup… with a real sync thread syncing over real HTTP, the checkpoint after a sync, the
background check and the damage banner, and the opening that waits for a lock or restores a
database too damaged to open. Real widgets offscreen, real SQLite files; waits on signals."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.backup import BackupPolicy, backup_folder, take_automatic_backup
from allegro_desktop.storage.errors import DatabaseDamagedError
from allegro_desktop.ui.database.care import DatabaseCare
from allegro_desktop.ui.database.opener import DatabaseOpener
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.sync_app import PAGED, MakeSyncApp, SyncApp, after_a_page

WAIT = 60_000  # ms: a ceiling on a loaded machine; every wait ends at its signal


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        tables = {name: sorted(connection.execute(f'SELECT * FROM "{name}"'), key=repr)
                  for name in names}
    finally:
        connection.close()
    # The version that last wrote the file: this app, once it restored (and migrated) it.
    tables["app_meta"] = [row for row in tables["app_meta"] if row[0] != "written_by"]
    return tables


def _sync(qtbot: QtBot, app: SyncApp) -> None:
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        assert app.worker.request_sync(app.account.key)
    assert finished.args[0].report.succeeded, finished.args[0].report.error
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)  # the job (and checkpoint) too


def _orders_in_the_file_alone(path: Path, tmp_path: Path) -> int:
    """What a seller who copies only orders.sqlite3 (no -wal) gets."""
    copy = tmp_path / "copied.sqlite3"
    shutil.copyfile(path, copy)
    connection = sqlite3.connect(copy)
    try:
        return int(connection.execute("SELECT count(*) FROM orders").fetchone()[0])
    except sqlite3.OperationalError:  # even the tables are still in the -wal
        return 0
    finally:
        connection.close()
        copy.unlink()


@pytest.fixture
def make_care(qtbot: QtBot) -> Iterator[Callable[..., tuple[DatabaseCare, MainWindow]]]:
    cares: list[DatabaseCare] = []

    def make(app: SyncApp, after_restore: Callable[[], None] | None = None,
             automatic_backups: bool = False) -> tuple[DatabaseCare, MainWindow]:
        """The window's care of `app`'s database; automatic backups only if asked for (one
        taken in the background would race with what a test checks)."""
        if not automatic_backups:
            app.services.settings.backup_interval_days = 0
        window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
        qtbot.addWidget(window)
        care = DatabaseCare(window=window, database=app.database, worker=app.worker,
                            settings=app.services.settings, app_version="0.1.0",
                            after_restore=after_restore, parent=window)
        cares.append(care)
        return care, window

    yield make
    for care in cares:
        care.shutdown()


def _answer(qtbot: QtBot, care: DatabaseCare, button: str) -> None:
    """Click `button` of the restore question once it is asked."""
    restores = care.restores
    qtbot.waitUntil(lambda: restores.confirm_box is not None and restores.confirm_box.isVisible(),
                    timeout=WAIT)
    box = restores.confirm_box
    assert box is not None
    [clicked] = [b for b in box.buttons() if b.text().replace("&", "") == button]
    clicked.click()


def test_after_a_sync_the_database_file_alone_holds_every_order(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    """The sync thread checkpoints after each job: while the app keeps running (the worker
    and the database's pool open), a copy of the main file alone has every order."""
    app = make_sync_app()
    _sync(qtbot, app)
    assert app.stored() == 300
    assert _orders_in_the_file_alone(app.database.path, tmp_path) == 300
    app.emu.control("POST", "/orders", {"count": 7})
    _sync(qtbot, app)
    assert _orders_in_the_file_alone(app.database.path, tmp_path) == 307


def test_back_up_from_the_window_while_a_sync_writes(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any],
        tmp_path: Path) -> None:
    """File → Back up… during a long sync: the backup is one snapshot (sound, whole orders with
    their items and search rows), the sync goes on and ends well, the seller is told."""
    app = make_sync_app(settings=PAGED)
    app.slow()
    care, window = make_care(app)
    target = tmp_path / "backup during a sync.sqlite3"
    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        assert app.worker.request_sync(app.account.key)
    with qtbot.waitSignal(care.backups.finished, timeout=WAIT) as done:
        assert care.backups.back_up_to(target)
        assert not window.backup_action.isEnabled()
    info = done.args[0]
    assert window.backup_action.isEnabled()
    assert window.findChild(QMessageBox, "backupDoneBox") is not None
    connection = sqlite3.connect(target)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        orders = connection.execute("SELECT count(*) FROM orders").fetchone()[0]
        assert connection.execute("SELECT count(*) FROM orders_fts").fetchone()[0] == orders
        assert connection.execute(
            "SELECT count(*) FROM line_items WHERE order_id NOT IN (SELECT id FROM orders)"
        ).fetchone()[0] == 0
    finally:
        connection.close()
    assert info.orders == orders
    assert 0 < orders <= 300
    app.emu.control("DELETE", "/faults")
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    assert app.stored() == 300


def test_restore_from_the_window_gives_the_backup_back(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any],
        tmp_path: Path) -> None:
    """Back up, sync more, restore: the database equals the backup (read by the app's own open
    pool), the database as it was is kept, and the next sync fetches the newer orders again."""
    app = make_sync_app()
    restored: list[bool] = []
    care, window = make_care(app, after_restore=lambda: restored.append(True))
    _sync(qtbot, app)
    backup = tmp_path / "backup.sqlite3"
    with qtbot.waitSignal(care.backups.finished, timeout=WAIT):
        care.backups.back_up_to(backup)
    app.emu.control("POST", "/orders", {"count": 12})
    _sync(qtbot, app)
    assert app.stored() == 312

    with qtbot.waitSignal(care.restores.finished, timeout=WAIT) as done:
        assert care.restores.restore_from(backup)
        _answer(qtbot, care, "Restore")
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    report = done.args[0]
    assert restored == [True]
    assert report.restored.orders == 300
    assert app.stored() == 300
    assert _tables(app.database.path) == _tables(backup)
    assert report.saved_current is not None
    assert len(_tables(report.saved_current)["orders"]) == 312
    assert window.findChild(QMessageBox, "restoreDoneBox") is not None
    _sync(qtbot, app)  # what the backup lacks comes back from Allegro
    assert app.stored() == 312


def test_a_failure_nobody_foresaw_ends_the_operation(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any],
        tmp_path: Path) -> None:
    """Whatever breaks in a backup's or a restore's thread — here a name the system cannot
    take (a NUL byte: a ValueError, not an AppError) — the seller is told, the progress goes,
    the actions come back and the next backup runs; and a folder chosen as the target is a
    plain refusal."""
    app = make_sync_app(orders=10)
    care, window = make_care(app)
    bad = tmp_path / "bad\0name.sqlite3"
    for start, failed in ((care.backups.back_up_to, care.backups.failed),
                          (care.restores.restore_from, care.restores.failed)):
        with qtbot.waitSignal(failed, timeout=WAIT) as told:
            assert start(bad)
        assert "unexpected error" in translated(told.args[0])
        assert not care.operation.busy
        assert window.backup_action.isEnabled()
        assert window.restore_action.isEnabled()
    folder = tmp_path / "a folder"
    folder.mkdir()
    with qtbot.waitSignal(care.backups.failed, timeout=WAIT) as refused:
        assert care.backups.back_up_to(folder)
    assert "is a folder" in translated(refused.args[0])
    assert list(folder.iterdir()) == []
    with qtbot.waitSignal(care.backups.finished, timeout=WAIT) as done:
        assert care.backups.back_up_to(tmp_path / "fine.sqlite3")
    assert done.args[0].path == tmp_path / "fine.sqlite3"


def test_a_restore_the_seller_declines_changes_nothing(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any],
        tmp_path: Path) -> None:
    app = make_sync_app(orders=40)
    care, window = make_care(app)
    _sync(qtbot, app)
    backup = tmp_path / "backup.sqlite3"
    with qtbot.waitSignal(care.backups.finished, timeout=WAIT):
        care.backups.back_up_to(backup)
    app.emu.control("POST", "/orders", {"count": 3})
    _sync(qtbot, app)
    before = _tables(app.database.path)
    assert care.restores.restore_from(backup)
    _answer(qtbot, care, "Cancel")
    qtbot.waitUntil(lambda: not care.operation.busy, timeout=WAIT)
    assert window.restore_action.isEnabled()
    assert _tables(app.database.path) == before
    assert [p.name for p in backup_folder(app.database.path).glob(".*")] == []


def test_damage_found_in_the_background_stops_syncing_and_the_banner_restores(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any]) -> None:
    """A page of the forms overwritten with garbage while the app runs: the check after start
    finds it, the banner offers the newest backup, syncs are refused without writing, and
    restoring the backup from the banner brings everything back."""
    app = make_sync_app(orders=120)
    care, window = make_care(app)
    window.show()
    _sync(qtbot, app)
    with app.database.read() as connection:
        root = connection.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'order_forms'").scalar()
    automatic = take_automatic_backup(app.database, BackupPolicy(), today=date(2026, 11, 19))
    assert automatic is not None
    with app.database.path.open("r+b") as file:  # the WAL is empty: the file is the database
        file.seek((int(root) - 1) * 4096)
        file.write(b"\xee" * 4096)
    damaged = app.database.path.read_bytes()

    with qtbot.waitSignal(care.damage_watch.verified, timeout=WAIT) as checked:
        care.start()
    assert checked.args == [False]
    assert care.banner.isVisible()
    assert "damaged" in care.banner.message.text()
    assert care.banner.restore_newest_button.isVisible()
    with qtbot.waitSignal(app.worker.sync_failed, timeout=WAIT) as failed:
        app.worker.request_sync(app.account.key)
    assert "found damaged" in translated(failed.args[1])
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    assert app.database.path.read_bytes() == damaged

    with qtbot.waitSignal(care.restores.finished, timeout=WAIT):
        care.banner.restore_newest_button.click()
        _answer(qtbot, care, "Restore")
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    assert not care.banner.isVisible()
    assert app.database.damage is None
    assert app.stored() == 120
    _sync(qtbot, app)


def test_damage_met_by_a_read_shows_the_banner(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any]) -> None:
    app = make_sync_app(orders=0)
    care, window = make_care(app)
    window.show()
    assert not care.banner.isVisible()
    with qtbot.waitSignal(care.damage_watch.damage_found, timeout=WAIT):
        app.database.record_damage("database disk image is malformed")
    assert care.banner.isVisible()
    assert not care.banner.restore_newest_button.isVisible()  # no backup yet: a file then
    with pytest.raises(DatabaseDamagedError):
        OrderRepository(database=app.database).delete_account_data(app.account.key)


def test_closing_the_window_during_the_check_waits_for_it_and_tells_nothing(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any]) -> None:
    """The window closes while the check after start runs: `shutdown()` returns once the
    check has stopped (or ended), saying so — the database may be closed then — and neither
    its verdict nor damage found afterwards reaches the closing window."""
    app = make_sync_app(orders=50)
    care, window = make_care(app)
    window.show()
    told: list[object] = []
    care.damage_watch.verified.connect(told.append)
    care.start()
    assert care.shutdown()
    QCoreApplication.sendPostedEvents()  # whatever the check sent is delivered now, or never
    assert told == []
    with qtbot.assertNotEmitted(care.damage_watch.damage_found):
        app.database.record_damage("database disk image is malformed")
        QCoreApplication.sendPostedEvents()
    assert not care.banner.isVisible()


def test_the_automatic_backup_follows_a_successful_sync(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., Any]) -> None:
    app = make_sync_app(orders=30)
    care, _window = make_care(app, automatic_backups=True)
    with qtbot.waitSignal(care.automatic_backups.taken, timeout=WAIT) as taken:
        _sync(qtbot, app)
    info = taken.args[0]
    assert info.orders == 30
    assert info.path.parent == backup_folder(app.database.path)
    app.services.settings.backup_interval_days = 0  # off: the next sync takes none
    _sync(qtbot, app)
    assert list(backup_folder(app.database.path).glob("orders-*.sqlite3")) == [info.path]


# -- opening ----------------------------------------------------------------------------------


def test_opening_waits_for_a_lock_held_by_another_program(qtbot: QtBot, tmp_path: Path) -> None:
    """A second copy holds the lock while the file is still to be created: the window says it
    waits (not an error, not an exit) and opens the database once the lock is released."""
    path = tmp_path / "profile" / "orders.sqlite3"
    path.parent.mkdir()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE somebody_elses (x)")
    opener = DatabaseOpener(path, app_version="0.1.0", busy_timeout=0.2)
    shown: list[bool] = []

    def release(_seconds: float) -> None:
        if not shown:
            shown.append(opener.wait_box is not None and opener.wait_box.isVisible())
            other.execute("ROLLBACK")
            other.close()

    opener.waiting.connect(release)
    database = opener.open()
    assert shown == [True]
    assert database is not None
    with database:
        assert database.schema_revision is not None


def test_quit_while_waiting_for_the_lock(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "profile" / "orders.sqlite3"
    path.parent.mkdir()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE somebody_elses (x)")
    opener = DatabaseOpener(path, app_version="0.1.0", busy_timeout=0.2)

    def quit_(_seconds: float) -> None:
        box = opener.wait_box
        if box is not None:
            [button] = [b for b in box.buttons() if b.text().replace("&", "") == "Quit"]
            button.click()

    opener.waiting.connect(quit_)
    try:
        assert opener.open() is None
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_database_too_damaged_to_open_is_restored_from_the_newest_backup(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "profile" / "orders.sqlite3"
    with Database.open(path, app_version="0.1.0") as database:
        with database.write() as connection:
            connection.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES ('x', 'y')")
        backup = take_automatic_backup(database, BackupPolicy(), today=date(2026, 11, 19))
    assert backup is not None
    path.write_bytes(b"SQLite format 3\x00" + b"\x17" * 30_000)
    clicked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "databaseDamagedBox":
            QTimer.singleShot(10, answer)  # not shown yet
            return
        assert str(backup.path) in box.text()
        [button] = [b for b in box.findChildren(QPushButton)
                    if b.text().replace("&", "") == "Restore the newest backup"]
        clicked.append(button.text())
        button.click()

    QTimer.singleShot(0, answer)
    database = DatabaseOpener(path, app_version="0.1.0").open()
    assert clicked
    assert database is not None
    with database, database.read() as connection:
        assert connection.exec_driver_sql(
            "SELECT value FROM app_meta WHERE key = 'x'").scalar() == "y"
    assert list(backup_folder(path).glob("orders-damaged-*.sqlite3"))


def test_the_backup_settings_in_the_data_tab(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from allegro_desktop.config.paths import resolve_paths
    from allegro_desktop.config.settings import Settings
    from allegro_desktop.ui.dialogs.settings.dialog import SettingsDialog

    paths = resolve_paths(tmp_path / "profile")
    settings = Settings(paths.settings_file)
    dialog = SettingsDialog(settings=settings, store=None, paths=paths)
    qtbot.addWidget(dialog)
    assert dialog.data_page.backup_interval.currentData() == 1  # one a day
    assert dialog.data_page.backups_kept.value() == 7
    dialog.data_page.backup_interval.setCurrentIndex(dialog.data_page.backup_interval.findData(7))
    dialog.data_page.backups_kept.setValue(30)
    with qtbot.waitSignal(dialog.settings_changed) as changed:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert set(changed.args[0]) == {"backup_interval_days", "backups_kept"}
    again = Settings(paths.settings_file)
    assert again.backup_policy() == BackupPolicy(interval_days=7, keep=30)
    dialog.data_page.backup_interval.setCurrentIndex(dialog.data_page.backup_interval.findData(0))
    with qtbot.waitSignal(dialog.settings_changed):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert Settings(paths.settings_file).backup_interval_days == 0
