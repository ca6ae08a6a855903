"""New-order notifications, alerts and the tray: a real emulator, sync worker and SQLite file,
the real window and workspace offscreen (no system tray there: the `Notifier` decides, the
tray only shows, so the decisions are tested here without one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from allegro_desktop.config.assets import app_icon_path
from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.domain.orders import Money
from allegro_desktop.storage import RunKind, RunOutcome
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.outbox import WebhookOutbox
from allegro_desktop.sync import SyncProblem, SyncReport, SyncResult
from allegro_desktop.ui.formatting import money_text
from allegro_desktop.ui.window.notifications import Notification, Notifier
from allegro_desktop.ui.window.tray import TrayIcon, badge_icon
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs


def _notifier(app: SyncApp, tmp_path: Path, batch_ms: int = 2000,
              play_sound: Callable[[], None] = lambda: None) -> tuple[Notifier, Settings]:
    settings = Settings(tmp_path / "settings.ini")
    notifier = Notifier(worker=app.worker, queries=OrderQueries(database=app.database),
                        settings=settings, account_login={app.account.key: "sklep"}.get,
                        batch_ms=batch_ms, play_sound=play_sound)
    return notifier, settings


def _sync(qtbot: QtBot, app: SyncApp) -> SyncResult:
    """One sync, to its very end (the worker's queue empty: a request made while the
    previous job still winds down would be taken for that one)."""
    results: list[SyncResult] = []
    app.worker.sync_finished.connect(results.append)
    try:
        with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
            assert app.worker.request_sync(app.account.key)
    finally:
        app.worker.sync_finished.disconnect(results.append)
    [result] = results
    assert result.report.outcome == RunOutcome.SUCCEEDED, result.report.error
    return result


def _new_orders(app: SyncApp, count: int) -> set[str]:
    forms = app.emu.control("POST", "/orders", {"count": count})["checkoutForms"]
    return {form["id"] for form in forms}


def test_new_orders_are_batched_into_one_message_and_never_the_history(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=80)
    notifier, _settings = _notifier(app, tmp_path, batch_ms=1500)
    shown: list[Notification] = []
    notifier.notification_ready.connect(shown.append)
    queries = OrderQueries(database=app.database)

    with qtbot.waitSignal(notifier.to_process_changed, timeout=WAIT) as counted:
        first = _sync(qtbot, app)
    assert first.report.new == 80
    assert first.report.announced_order_ids == []
    assert counted.args == [queries.count(OrderFilter(quick=QuickFilter.TO_PROCESS))]
    assert notifier.pending_ids == []

    # Two syncs close together: one message for both.
    ids = _new_orders(app, 2)
    _sync(qtbot, app)
    ids |= _new_orders(app, 1)
    with qtbot.waitSignal(notifier.notification_ready, timeout=WAIT) as told:
        _sync(qtbot, app)
        assert set(notifier.pending_ids) == ids
        assert shown == []
    message = told.args[0]
    assert message == notifier.last_notification
    assert shown == [message]
    assert message.kind == "orders"
    assert set(message.order_ids) == ids
    rows = [queries.rows([seq])[seq] for seq in (queries.seq_of(i) for i in ids) if seq]
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.total.currency] = sums.get(row.total.currency, Decimal(0)) + row.total.amount
    assert message.title.startswith("3 new orders · ")
    for currency, amount in sums.items():
        assert money_text(Money(amount, currency), QLocale()) in message.title
    assert len(message.text.splitlines()) == 3
    assert notifier.pending_ids == []
    notifier.shutdown()


def test_one_new_order_reads_singular_and_the_count_follows_the_syncs(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=30)
    notifier, _settings = _notifier(app, tmp_path, batch_ms=50)
    queries = OrderQueries(database=app.database)
    _sync(qtbot, app)
    qtbot.waitUntil(lambda: notifier.to_process is not None, timeout=WAIT)
    before = notifier.to_process
    paid = app.emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING"}})["checkoutForms"]
    with qtbot.waitSignal(notifier.notification_ready, timeout=WAIT) as told:
        _sync(qtbot, app)
    assert told.args[0].title.startswith("1 new order · ")
    expected = queries.count(OrderFilter(quick=QuickFilter.TO_PROCESS))
    qtbot.waitUntil(lambda: notifier.to_process == expected, timeout=WAIT)
    assert before is not None
    assert expected == before + len(paid)
    notifier.shutdown()


def _newest_first(queries: OrderQueries, ids: set[str]) -> list[int]:
    """The seqs of these orders by purchase time, newest first (the seq breaks ties)."""
    rows = queries.rows(seq for seq in (queries.seq_of(i) for i in ids) if seq is not None)
    return sorted(rows, key=lambda seq: (rows[seq].bought_at, seq), reverse=True)


def test_clicking_the_message_shows_the_new_orders_selected(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=120)
    window, workspace = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    notifier, _settings = _notifier(app, tmp_path, batch_ms=10)
    notifier.orders_requested.connect(workspace.show_orders)
    _sync(qtbot, app)
    orders_loaded(qtbot, workspace, 120)
    workspace.orders.set_search_text("no-such-buyer-anywhere")  # the seller was searching
    window.tabs.setCurrentIndex(1)  # and looking at the Sync log
    orders_loaded(qtbot, workspace, 0)

    ids = _new_orders(app, 3)
    with qtbot.waitSignal(notifier.notification_ready, timeout=WAIT):
        _sync(qtbot, app)
    with qtbot.waitSignal(notifier.orders_requested) as requested:
        notifier.message_clicked()
    assert set(requested.args[0]) == ids
    newest_first = _newest_first(OrderQueries(database=app.database), ids)
    orders = workspace.orders
    qtbot.waitUntil(lambda: sorted(orders.selected_seqs()) == sorted(newest_first)
                    and not orders.list_state.is_loading(), timeout=WAIT)
    assert window.tabs.currentWidget() is orders
    assert orders.filter_bar.search_edit.text() == ""
    # the new orders on their own, newest first, under the bar that says so
    assert orders.result_count() == 3
    assert list(orders.model.seqs) == newest_first
    assert orders.current_seq() == newest_first[0]
    assert orders.new_orders_bar.isVisible()
    assert orders.new_orders_bar.label.text() == "Showing 3 new orders, newest first"
    notifier.shutdown()


def test_show_all_orders_brings_back_the_view_the_seller_had(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=150)
    _window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    _sync(qtbot, app)
    orders = tabs.orders
    orders_loaded(qtbot, tabs, 150)
    queries = OrderQueries(database=app.database)
    # The seller looks at the sent orders by amount, one of them selected, scrolled down.
    by_amount = OrderSort(column=OrderColumn.TOTAL, descending=False)
    orders.set_quick_filter(QuickFilter.SENT)
    orders.set_sort(by_amount)
    sent = queries.count(OrderFilter(quick=QuickFilter.SENT))
    assert sent > 60
    orders_loaded(qtbot, tabs, sent)
    table = orders.table
    chosen = orders.model.seq_at(45)
    table.select_seqs([chosen], current=chosen)
    table.scrollTo(orders.model.index(40, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    top = orders.model.seq_at(table.rowAt(0))
    assert top != orders.model.seq_at(0)

    ids = _new_orders(app, 4)
    _sync(qtbot, app)
    tabs.show_orders(sorted(ids))
    newest_first = _newest_first(queries, ids)
    qtbot.waitUntil(lambda: list(orders.model.seqs) == newest_first
                    and not orders.list_state.is_loading(), timeout=WAIT)
    assert sorted(orders.selected_seqs()) == sorted(newest_first)
    assert orders.list_state.sort == OrderSort()
    assert orders.list_state.quick is QuickFilter.ALL
    assert orders.is_showing_new_orders()

    qtbot.mouseClick(orders.new_orders_bar.show_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: orders.selected_seqs() == [chosen]
                    and not orders.list_state.is_loading(), timeout=WAIT)
    assert not orders.new_orders_bar.isVisible()
    assert not orders.is_showing_new_orders()
    assert orders.list_state.quick is QuickFilter.SENT
    assert orders.list_state.sort == by_amount
    assert orders.result_count() == queries.count(OrderFilter(quick=QuickFilter.SENT))
    assert orders.current_seq() == chosen
    assert orders.model.seq_at(table.rowAt(0)) == top
    tabs.shutdown()


def test_settings_are_respected(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                tmp_path: Path) -> None:
    app = make_sync_app(orders=20)
    beeps: list[int] = []
    notifier, settings = _notifier(app, tmp_path, batch_ms=10,
                                   play_sound=lambda: beeps.append(1))
    shown: list[Notification] = []
    notifier.notification_ready.connect(shown.append)
    _sync(qtbot, app)

    settings.notify_new_orders = False
    _new_orders(app, 1)
    _sync(qtbot, app)
    qtbot.waitUntil(lambda: notifier.pending_ids == [])  # the batch ended, silently
    assert shown == []
    assert beeps == []

    settings.notify_new_orders = True
    settings.notify_sound = True
    _new_orders(app, 1)
    with qtbot.waitSignal(notifier.notification_ready, timeout=WAIT):
        _sync(qtbot, app)
    assert len(shown) == 1
    assert beeps == [1]
    notifier.shutdown()


def _result(key: str, outcome: RunOutcome, problem: SyncProblem | None = None) -> SyncResult:
    report = SyncReport(key, RunKind.INCREMENTAL, outcome, datetime.now(UTC))
    return SyncResult(report, problem, "Allegro is not answering." if problem else None)


def test_alerts_come_once_per_episode(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                      tmp_path: Path) -> None:
    app = make_sync_app(orders=0)
    notifier, _settings = _notifier(app, tmp_path)
    shown: list[Notification] = []
    notifier.notification_ready.connect(shown.append)
    key = app.account.key
    worker = app.worker
    # Failing syncs: the third in a row alerts, the next ones do not.
    for _ in range(2):
        worker.sync_finished.emit(_result(key, RunOutcome.FAILED, SyncProblem.UNAVAILABLE))
    assert shown == []
    worker.sync_failed.emit(key, "The order database is locked.")
    assert [n.kind for n in shown] == ["alert"]
    assert "sklep" in shown[0].text
    assert "3 times in a row" in shown[0].text
    assert "The order database is locked." in shown[0].text
    for _ in range(5):
        worker.sync_finished.emit(_result(key, RunOutcome.FAILED, SyncProblem.OFFLINE))
    assert len(shown) == 1
    # A cancelled sync changes nothing; a successful one ends the episode.
    worker.sync_finished.emit(_result(key, RunOutcome.CANCELLED))
    worker.sync_finished.emit(_result(key, RunOutcome.SUCCEEDED))
    for _ in range(2):
        worker.sync_finished.emit(_result(key, RunOutcome.FAILED, SyncProblem.UNAVAILABLE))
    assert len(shown) == 1
    worker.sync_finished.emit(_result(key, RunOutcome.FAILED, SyncProblem.UNAVAILABLE))
    assert len(shown) == 2
    # Reconnect needed: at once, once.
    other = "production|999"
    for _ in range(3):
        worker.sync_finished.emit(_result(other, RunOutcome.FAILED,
                                          SyncProblem.RECONNECT_NEEDED))
    assert len(shown) == 3
    assert "must be connected again" in shown[2].text
    assert shown[2].account_key == other
    with qtbot.waitSignal(notifier.window_requested):
        notifier.message_clicked()  # an alert opens the window
    qtbot.waitUntil(lambda: notifier.to_process is not None, timeout=WAIT)
    notifier.shutdown()


def test_the_tray_shows_the_count_and_its_menu_acts(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                                     tmp_path: Path) -> None:
    app = make_sync_app(orders=60)
    notifier, _settings = _notifier(app, tmp_path)
    icon = QIcon(str(app_icon_path()))
    tray = TrayIcon(notifier=notifier, icon=icon)
    assert tray.tray is None  # offscreen: no system tray, and nothing breaks
    assert tray.count == 0
    assert tray.tooltip == "Allegro Desktop"
    queries = OrderQueries(database=app.database)
    _sync(qtbot, app)
    expected = queries.count(OrderFilter(quick=QuickFilter.TO_PROCESS))
    qtbot.waitUntil(lambda: tray.count == expected, timeout=WAIT)
    for _ in range(3):
        app.emu.control("POST", "/orders", {"checkoutForm": {"status": "READY_FOR_PROCESSING"}})
    _sync(qtbot, app)
    qtbot.waitUntil(lambda: tray.count == expected + 3, timeout=WAIT)
    assert queries.count(OrderFilter(quick=QuickFilter.TO_PROCESS)) == expected + 3
    assert tray.tooltip == f"Allegro Desktop — {expected + 3} orders to process"
    corner = tray.icon.pixmap(64, 64).toImage().pixelColor(61, 18)
    assert corner == QColor(211, 47, 47)
    for action, signal in ((tray.show_action, tray.show_requested),
                           (tray.sync_action, tray.sync_requested),
                           (tray.quit_action, tray.quit_requested)):
        with qtbot.waitSignal(signal):
            action.trigger()
    assert [a.objectName() for a in tray.menu.actions() if a.objectName()] == [
        "trayShow", "traySync", "trayQuit"]
    notifier.shutdown()
    tray.menu.deleteLater()


def test_the_badge(qapp: QApplication) -> None:
    """(Pixmaps need the application: run first on a worker, the test aborted without it.)"""
    icon = QIcon(str(app_icon_path()))
    assert badge_icon(icon, 0) is icon
    plain = icon.pixmap(64, 64).toImage()
    for count in (1, 42, 1234):
        badged = badge_icon(icon, count).pixmap(64, 64).toImage()
        assert badged.pixelColor(61, 18) == QColor(211, 47, 47)
        assert badged.pixelColor(2, 60) == plain.pixelColor(2, 60)  # the rest untouched


def test_the_app_wires_the_webhook_to_the_syncs(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    """As `run_gui` wires it: the address from the settings, the secret from the keyring,
    a delivery as soon as a sync announced new orders; stopped before the database closes."""
    from allegro_desktop.app import build_controllers, wire_notifications
    from allegro_desktop.config.ui_state import UiState
    from allegro_desktop.services.webhook import verify
    from allegro_desktop.ui.window.main_window import MainWindow
    from allegro_desktop.ui.window.tabs import TabsController
    from tests.helpers.webhook_receiver import serve

    app = make_sync_app(orders=40)
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    _accounts, sync = build_controllers(
        window=window, services=app.services, worker=app.worker,
        database=app.database, environment=app.services.environment(app.emu.base_url),
        environment_error=None, sync_interval=0)
    workspace = TabsController(window=window, database=app.database, worker=app.worker,
                                    ui_state=UiState(tmp_path / "ui.ini"), parent=window)
    with serve() as receiver:
        app.services.store.save_webhook_url(receiver.url)
        app.services.store.save_webhook_secret("hush")
        stop = wire_notifications(window=window, tabs=workspace, worker=app.worker,
                                  sync=sync, services=app.services, database=app.database)
        try:
            # the switch runs off the GUI thread: new orders are queued once it is done
            outbox = WebhookOutbox(database=app.database)
            qtbot.waitUntil(outbox.enabled, timeout=WAIT)
            _sync(qtbot, app)  # the first back-fill: nothing sent
            ids = _new_orders(app, 2)
            _sync(qtbot, app)
            assert receiver.wait_for(2)
        finally:
            stop()
            workspace.shutdown()
    assert {r.json()["order"]["order_id"] for r in receiver.received} == ids
    request = receiver.received[0]
    assert verify("hush", request.headers["X-Allegro-Desktop-Timestamp"], request.body,
                  request.headers["X-Allegro-Desktop-Signature"])
    assert {r.json()["account"] for r in receiver.received} == {app.account.login}


def test_the_sound_is_the_desktops_own() -> None:
    from allegro_desktop.ui.window import sound

    linux = sound.sound_command("linux")
    assert linux is None or linux[0] in ("canberra-gtk-play", "pw-play", "paplay")
    assert sound.sound_command("freebsd") is None  # the beep, then
    mac = sound.sound_command("darwin")
    assert mac is None or mac[0] == "afplay"
