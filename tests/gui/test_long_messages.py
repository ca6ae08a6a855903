"""Long messages that do not fit stay one line: the status bar keeps its height and its times
("Next try") whatever the sync's problem says — a keyring that cannot be used, a locked or
damaged database — and "Details…" shows the whole of it; the Orders tab's red line shows the
beginning of a damaged database's sentence, with the rest behind "Details…"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.errors import AppError
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage.errors import DatabaseDamagedError, DatabaseLockedError
from allegro_desktop.sync import SyncProblem
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.filter_bar import FilterBar
from allegro_desktop.ui.window.main_window import MainWindow

#: Fixed moments (never today's): the last sync and the next try.
LAST = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
NEXT = LAST + timedelta(minutes=20)


def _keyring_text() -> str:
    try:
        TokenStore(backend=fail.Keyring()).check_available()
    except AppError as exc:
        return translated(exc)
    raise AssertionError("a failing keyring was accepted")


def _problems(tmp_path: Path) -> dict[str, tuple[SyncProblem, str]]:
    database = tmp_path / "a folder with a rather long name" / "orders.sqlite3"
    return {
        "keyring": (SyncProblem.ERROR, _keyring_text() + "\nSee the documentation of keyring "
                    "for how to configure a backend on this system."),
        "locked": (SyncProblem.ERROR, translated(DatabaseLockedError("locked",
                                                                     path=database))),
        "damaged": (SyncProblem.DAMAGED, translated(DatabaseDamagedError(
            "damaged", path=database, detected_at=LAST).user_text)),
        "offline": (SyncProblem.OFFLINE, "All connection attempts failed: the name "
                    "api.allegro.pl could not be resolved"),
    }


def _details_box(qtbot: QtBot, window: MainWindow, link: QLabel) -> QMessageBox:
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton,
                     pos=QPoint(link.width() // 2, link.height() // 2))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "messageDetailsBox") is not None)
    box = window.findChild(QMessageBox, "messageDetailsBox")
    assert box is not None
    return box


@pytest.mark.parametrize("state", ["keyring", "locked", "damaged", "offline"])
def test_a_long_status_stays_one_line_and_details_show_it_all(
        qtbot: QtBot, tmp_path: Path, state: str) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    bar = window.statusBar()
    window.show_sync_state(last_success=LAST, next_at=NEXT)
    qtbot.waitUntil(lambda: bar.height() > 0)
    one_line = bar.height()
    problem, detail = _problems(tmp_path)[state]
    window.show_sync_state(last_success=LAST, next_at=NEXT, problem=problem, detail=detail)
    QApplication.sendPostedEvents()  # the layout settles
    assert bar.height() == one_line
    line = bar.findChild(QLabel, "messageText")
    assert line is not None
    assert "\n" not in line.text()
    assert line.text().endswith("…") == (state in ("keyring", "locked"))  # cut to fit
    assert line.geometry().right() <= bar.width()
    times = bar.findChild(QLabel, "statusTimes")
    assert times is not None
    assert "Next try:" in times.text()
    assert times.isVisible()
    assert times.geometry().right() <= bar.width()
    link = bar.findChild(QLabel, "messageDetails")
    assert link is not None
    assert link.isVisible()
    assert line.geometry().right() < link.geometry().left()  # right after it, not over it
    assert link.mapTo(window, link.rect().bottomRight()).x() <= window.width()
    box = _details_box(qtbot, window, link)
    whole = " ".join(box.text().split())
    assert " ".join(detail.split()) in whole
    box.close()


def test_a_short_status_offers_no_details(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.show_sync_state(last_success=LAST, next_at=NEXT)
    link = window.statusBar().findChild(QLabel, "messageDetails")
    assert link is not None
    assert not link.isVisible()


def test_the_orders_error_line_shows_its_beginning(qtbot: QtBot, tmp_path: Path) -> None:
    bar = FilterBar(LocalTime(clock=lambda: LAST, zone=ZoneInfo("Europe/Warsaw")))
    qtbot.addWidget(bar)
    bar.resize(1000, 60)
    bar.show()
    qtbot.waitExposed(bar)
    message = translated(DatabaseDamagedError(
        "damaged", path=tmp_path / "orders.sqlite3", detected_at=LAST).user_text)
    bar.show_error(message)
    QApplication.sendPostedEvents()
    shown = bar.error_line.shown_text
    assert shown.startswith("The orders could not be read: The ")
    assert shown.endswith("…")
    assert bar.error_line.details_link.isVisible()
    assert bar.error_line.label.geometry().right() < \
        bar.error_line.details_link.geometry().left()
    assert bar.error_line.open_details().text() == (
        "The orders could not be read: " + message)
    bar.show_total(5, loading=False, short_search=False)
    assert not bar.error_line.isVisible()
    assert bar.result_label.text() == "5 orders"
