"""The Diagnostics dialog offscreen, over a real profile: an account connected to the emulator
(tokens in an in-memory keyring), a real SQLite file synced by a real `SyncWorker`, a log
file; the checks and the report run on the dialog's background thread."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot

from allegro_desktop.config.assets import resource_dir
from allegro_desktop.services.health import CheckId, HealthChecker, Status
from allegro_desktop.ui.dialogs.diagnostics.controller import DiagnosticsController
from allegro_desktop.ui.dialogs.diagnostics.dialog import DiagnosticsDialog
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp


@dataclasses.dataclass
class RecordingSource(DiagnosticsSource):
    """The app's source, its checks on the emulator's clock (the one the sync ran by),
    noting the threads they run on (through that clock)."""

    now: Callable[[], datetime] = dataclasses.field(default=lambda: datetime.now(UTC))
    threads: set[str] = dataclasses.field(default_factory=set)

    def checker(self) -> HealthChecker:
        checker = super().checker()

        def recording() -> float:
            self.threads.add(threading.current_thread().name)
            return self.now().timestamp()

        return dataclasses.replace(checker, clock=recording)


def synced_app(qtbot: QtBot, make_sync_app: MakeSyncApp) -> SyncApp:
    app = make_sync_app(orders=30, history_days=60)
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        app.worker.request_sync(app.account.key)
    assert finished.args[0].report.succeeded
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    return app


def test_checks_run_in_the_background_and_are_listed(qtbot: QtBot,
                                                     make_sync_app: MakeSyncApp) -> None:
    app = synced_app(qtbot, make_sync_app)
    source = RecordingSource(paths=app.paths, services=app.services, database=app.database,
                             now=app.emu.emulator.clock.now)
    dialog = DiagnosticsDialog(source=source)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.is_checking  # started, not done: the GUI thread did not wait for them
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT) as finished:
        pass
    results = finished.args[0]
    assert threading.current_thread().name not in source.threads
    assert source.threads  # the clock was read, off the GUI thread
    assert {r.check for r in results} == set(CheckId)
    assert [r for r in results if r.status is not Status.OK] == []
    shown = dialog.health_page.checks
    assert shown.count() == len(results)
    assert not shown.icon(0).isNull()
    rows = [shown.row(i) for i in range(shown.count())]
    assert (f"Sign-in: {app.account.login}", rows[1][1]) in rows
    assert any(app.emu.base_url in detail for _name, detail in rows)

    # Check again: a new round, with Allegro in trouble now
    app.emu.control("POST", "/faults", {"error_rate": 1.0})
    again = dialog.findChild(QPushButton, "checkAgainButton")
    assert again is not None
    assert again.isEnabled()
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT) as finished:
        qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    warned = {r.check for r in finished.args[0] if r.status is Status.WARNING}
    assert warned == {CheckId.API}
    assert shown.count() == len(finished.args[0])
    app.emu.control("DELETE", "/faults")


def test_the_copied_report_holds_no_secret(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = synced_app(qtbot, make_sync_app)
    services, account = app.services, app.account
    client_secret = "Wh4t-a-Client-Secret"  # short and plain: only known by its value
    services.settings.set_client_id(account.environment, "a-developers-app")
    services.store.save_client_secret(account.environment, client_secret)
    pair = services.store.load(account.key)
    assert pair is not None
    log_file = app.paths.log_file
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text(
        "2026-11-24 10:00:00,000 DEBUG a: oops, headers: Authorization: Bearer "
        f"{pair.access_token}\n"
        f"2026-11-24 10:00:01,000 WARNING a: refresh failed for {pair.refresh_token}\n"
        f"2026-11-24 10:00:02,000 INFO a: credentials a-developers-app {client_secret}\n"
        "2026-11-24 10:00:03,000 INFO a: buyer anna.nowak@example.com 601-202-303\n",
        encoding="utf-8")
    source = DiagnosticsSource(paths=app.paths, services=services, database=app.database)
    dialog = DiagnosticsDialog(source=source)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT):
        pass
    copy = dialog.findChild(QPushButton, "copyReportButton")
    assert copy is not None
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(dialog.report_copied, timeout=WAIT) as copied:
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    report = copied.args[0]
    assert QGuiApplication.clipboard().text() == report
    for secret in (pair.access_token, pair.refresh_token, client_secret,
                   "anna.nowak@example.com", "601-202-303"):
        assert secret not in report
    assert "<redacted>" in report
    assert account.login in report
    assert "== The last 1 sync runs" in report  # the sync with its metrics
    assert "Qt:" in report
    assert "[OK  ] Order database" in report
    assert "refresh failed for" in report  # the log's lines are there, minus the secrets

    # and saved to a file, the same
    target = app.paths.data_dir / "report.txt"
    with qtbot.waitSignal(dialog.report_saved, timeout=WAIT):
        dialog.make_report(str(target))
    saved = target.read_text(encoding="utf-8")
    assert pair.access_token not in saved
    assert client_secret not in saved


def test_the_log_tab_filters_by_level(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                      tmp_path: Path) -> None:
    app = make_sync_app(orders=0)
    app.paths.log_file.write_text(
        "2026-11-24 10:00:00,000 DEBUG a: detail\n"
        "2026-11-24 10:00:01,000 INFO a: synced\n"
        "2026-11-24 10:00:02,000 ERROR a: it broke\n"
        "Traceback (most recent call last):\n"
        "2026-11-24 10:00:03,000 WARNING a: slow\n", encoding="utf-8")
    dialog = DiagnosticsDialog(source=DiagnosticsSource(
        paths=app.paths, services=app.services, database=app.database))
    qtbot.addWidget(dialog)
    assert "synced" in dialog.log_page.text
    assert "detail" not in dialog.log_page.text  # from INFO up at first
    combo = dialog.findChild(QComboBox, "logLevelFilter")
    assert combo is not None
    combo.setCurrentIndex(3)  # errors only
    assert dialog.log_page.text.splitlines() == [
        "2026-11-24 10:00:02,000 ERROR a: it broke", "Traceback (most recent call last):"]
    combo.setCurrentIndex(0)
    assert "detail" in dialog.log_page.text
    with app.paths.log_file.open("a", encoding="utf-8") as file:
        file.write("2026-11-24 10:00:04,000 INFO a: later\n")
    refresh = dialog.findChild(QPushButton, "logRefreshButton")
    assert refresh is not None
    qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)
    assert dialog.log_page.text.endswith("later")
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT):
        pass
    dialog.wait()


def test_help_menu_opens_one_dialog(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(orders=0)
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    controller = DiagnosticsController(
        source=DiagnosticsSource(paths=app.paths, services=app.services,
                                 database=app.database), window=window, parent=window)
    window.diagnostics_action.trigger()
    dialog = controller.dialog
    assert dialog is not None
    assert dialog.isVisible()
    window.diagnostics_action.trigger()
    assert controller.dialog is dialog  # brought to the front, not a second one
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT):
        pass
    dialog.reject()
    assert controller.dialog is None


@pytest.mark.timeout(20)  # closing used to wait up to 30 s for the checks
def test_closing_never_waits_for_a_check_still_running(qtbot: QtBot,
                                                       make_sync_app: MakeSyncApp) -> None:
    """A check can take seconds (an API timeout, the integrity check of a big file): closing
    the dialog returns at once, the late results go nowhere, and the app's exit waits for
    the check before the database closes (`DiagnosticsController.shutdown`)."""
    app = make_sync_app(orders=0)
    gate, entered = threading.Event(), threading.Event()

    @dataclasses.dataclass
    class SlowSource(DiagnosticsSource):
        def checker(self) -> HealthChecker:
            def slow_clock() -> float:
                entered.set()
                gate.wait(60)
                return datetime.now(UTC).timestamp()
            return dataclasses.replace(super().checker(), clock=slow_clock)

    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    controller = DiagnosticsController(
        source=SlowSource(paths=app.paths, services=app.services, database=app.database),
        window=window, parent=window)
    dialog = controller.open()
    assert dialog.is_checking
    assert entered.wait(10)  # a check is under way, blocked
    dialog.reject()
    assert not gate.is_set()
    assert controller.dialog is None  # closed and let go
    gate.set()
    controller.shutdown()  # what the app's exit does before closing the database


def kept_aside_app(qtbot: QtBot, make_sync_app: MakeSyncApp) -> tuple[SyncApp, str]:
    """A synced app, then Allegro sends one order with an absurd amount: the sync keeps it
    aside and goes on. The app and the poisoned form's id."""
    app = synced_app(qtbot, make_sync_app)
    created = app.emu.control("POST", "/orders", {"count": 2})["checkoutForms"]
    poisoned = created[0]["id"]
    store = app.emu.emulator.store
    with store.lock:
        record = next(s.orders[poisoned] for s in store.sellers.values()
                      if poisoned in s.orders)
        form = orjson.loads(record.body)
        form["summary"]["totalToPay"]["amount"] = "99999999999999999999.99"
        record.body = orjson.dumps(form)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        app.worker.request_sync(app.account.key)
    report = finished.args[0].report
    assert report.succeeded, report.error
    assert report.malformed == 1
    assert created[1]["id"] in {f["id"] for f in app.orders.raw_forms(app.account.key)}
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    return app, poisoned


def test_records_kept_aside_are_listed_with_their_reason(qtbot: QtBot,
                                                         make_sync_app: MakeSyncApp) -> None:
    """Diagnostics counts the records kept aside per account and lists them with their form
    id, their reason and what Allegro sent."""
    app, poisoned = kept_aside_app(qtbot, make_sync_app)
    source = RecordingSource(paths=app.paths, services=app.services, database=app.database,
                             now=app.emu.emulator.clock.now)
    dialog = DiagnosticsDialog(source=source)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT) as checked:
        pass
    (kept,) = [r for r in checked.args[0] if r.check is CheckId.KEPT_ASIDE]
    assert kept.status is Status.WARNING
    assert kept.subject == app.account.login
    rows = [dialog.health_page.checks.row(i) for i in range(dialog.health_page.checks.count())]
    (line,) = [detail for name, detail in rows if name.startswith("Records kept aside")]
    assert "Kept aside: 1; orders asked for again at every sync: 1." in line
    assert poisoned in line
    assert "summary.totalToPay.amount" in line
    table = dialog.kept_aside_page.table
    assert table.rowCount() == 1
    cells = [table.item(0, column).text() for column in range(table.columnCount())]
    assert cells[0] == app.account.login
    assert cells[2:4] == ["Order", poisoned]
    assert "is too large to store exactly" in cells[4]
    assert orjson.loads(dialog.kept_aside_page.raw_text)["summary"]["totalToPay"]["amount"] == \
        "99999999999999999999.99"
    with qtbot.waitSignal(dialog.report_copied, timeout=WAIT) as copied:
        dialog.make_report("copy")
    assert f"form {poisoned}: checkout form {poisoned}: summary.totalToPay.amount" in \
        copied.args[0]


@pytest.fixture
def polish(qapp: QCoreApplication) -> Iterator[None]:
    """The app's Polish translation installed for the test (removed after)."""
    translator = QTranslator()
    assert translator.load("allegro_desktop_pl", str(resource_dir() / "translations"))
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def test_the_reason_of_a_record_kept_aside_is_polish_in_a_polish_window(
        qtbot: QtBot, make_sync_app: MakeSyncApp, polish: None) -> None:
    """In a Polish window the reason is Polish, in the "Records kept aside" check and the
    Kept aside tab alike — only Allegro's field name and the value it sent are quoted as they
    are; the report for support keeps the English line."""
    app, poisoned = kept_aside_app(qtbot, make_sync_app)
    dialog = DiagnosticsDialog(source=RecordingSource(
        paths=app.paths, services=app.services, database=app.database,
        now=app.emu.emulator.clock.now))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checks_finished, timeout=WAIT):
        pass
    polish_reason = (f"Zamówienie {poisoned}: pole summary.totalToPay.amount jest zbyt duże, "
                     "by zapisać je dokładnie: '99999999999999999999.99'")
    english_words = ("checkout form", "the field", "is too large", "store exactly", "Order ")
    rows = [dialog.health_page.checks.row(i) for i in range(dialog.health_page.checks.count())]
    (line,) = [detail for name, detail in rows if name.startswith("Odłożone rekordy")]
    assert line.endswith(polish_reason), line
    assert not [word for word in english_words if word in line], line
    table = dialog.kept_aside_page.table
    assert table.rowCount() == 1
    cells = [table.item(0, column).text() for column in range(table.columnCount())]
    assert cells[2:] == ["Zamówienie", poisoned, polish_reason]

    with qtbot.waitSignal(dialog.report_copied, timeout=WAIT) as copied:
        dialog.make_report("copy")
    report = copied.args[0]
    assert (f"form {poisoned}: checkout form {poisoned}: summary.totalToPay.amount is too "
            "large to store exactly: '99999999999999999999.99'") in report
    assert "Zamówienie" not in report
    assert "zbyt duże" not in report
