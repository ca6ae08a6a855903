"""In the window, every file the seller saves goes through the same target check as the command
line (`services/safe_write.py`): the export dialog, a Statistics chart's "Save as PNG" and the
diagnostics report refuse the app's own database and a link, saying why in the seller's
language (Polish here, from the compiled translation), and leave both as they were."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from pytestqt.qtbot import QtBot

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.assets import resource_dir
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderFilter, OrderSort
from allegro_desktop.services.stats import StatsService
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.dialogs.diagnostics.dialog import DiagnosticsDialog
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.orders.export_dialog import ExportDialog
from allegro_desktop.ui.stats.tab import StatsTab
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.stored_shop import LOGINS, NOW, realistic_forms, store_shop

WAIT = 30_000


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


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[tuple[AppPaths, Database]]:
    """The profile in use (protected by `resolve_paths`) and its open database."""
    paths = resolve_paths(tmp_path / "profile")
    database = store_shop(paths.database, realistic_forms())
    yield paths, database
    database.close()


def _dialog(qtbot: QtBot, database: Database) -> ExportDialog:
    queries = OrderQueries(database=database)
    dialog = ExportDialog(queries=queries, order_filter=OrderFilter(), sort=OrderSort(),
                          selection=(), total=queries.count(OrderFilter()),
                          visible_columns=TABLE_COLUMNS, account_names=LOGINS)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.usefixtures("polish")
def test_the_export_dialog_refuses_the_live_database(
        qtbot: QtBot, profile: tuple[AppPaths, Database]) -> None:
    paths, database = profile
    before = paths.database.stat().st_size
    dialog = _dialog(qtbot, database)
    with qtbot.waitSignal(dialog.export_failed, timeout=WAIT) as failed:
        dialog.start_export(paths.database)
    message = str(failed.args[0])
    assert message.startswith(f"{paths.database} to baza zamówień Allegro Desktop")
    assert "zniszczyłoby Twoje zamówienia" in message
    assert dialog.status_label.text() == message
    assert not dialog.is_running()
    assert paths.database.stat().st_size == before
    assert OrderQueries(database=database).count(OrderFilter()) == 300


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.usefixtures("polish")
def test_the_export_dialog_refuses_a_link(qtbot: QtBot, profile: tuple[AppPaths, Database],
                                          tmp_path: Path) -> None:
    _paths, database = profile
    mine = tmp_path / "mine.csv"
    mine.write_text("keep")
    link = tmp_path / "orders.csv"
    link.symlink_to(mine)
    dialog = _dialog(qtbot, database)
    with qtbot.waitSignal(dialog.export_failed, timeout=WAIT) as failed:
        dialog.start_export(link)
    assert str(failed.args[0]).startswith(f"{link} to dowiązanie (skrót) do {mine}.")
    assert mine.read_text() == "keep"
    assert os.readlink(link) == str(mine)


@pytest.mark.usefixtures("polish")
def test_a_chart_is_not_saved_over_the_database(
        qtbot: QtBot, profile: tuple[AppPaths, Database]) -> None:
    paths, database = profile
    tab = StatsTab(stats=StatsService(database=database),
                   queries=OrderQueries(database=database), clock=lambda: NOW)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.show()
    try:
        assert not tab.files.save_png("orders-over-time", paths.database)
        assert "to baza zamówień Allegro Desktop" in tab._message.text()
        saved = paths.data_dir / "chart.png"  # the user's --data-dir: an image may go there
        assert tab.files.save_png("orders-over-time", saved)
        assert saved.read_bytes().startswith(b"\x89PNG")
    finally:
        tab.shutdown()
    assert OrderQueries(database=database).count(OrderFilter()) == 300


@pytest.mark.usefixtures("polish")
def test_the_diagnostics_report_is_not_saved_over_the_log(
        qtbot: QtBot, profile: tuple[AppPaths, Database]) -> None:
    paths, database = profile
    paths.log_file.write_text("the log\n", encoding="utf-8")
    services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()),
                                 require_keyring=False)
    dialog = DiagnosticsDialog(source=DiagnosticsSource(paths=paths, services=services,
                                                        database=database))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.report_failed, timeout=WAIT) as failed:
        dialog.make_report(str(paths.log_file))
    assert "folderze, w którym Allegro Desktop trzyma własne pliki" in str(failed.args[0])
    assert paths.log_file.read_text(encoding="utf-8") == "the log\n"
    dialog.wait()
