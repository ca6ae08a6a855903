"""The words of the dialogs as a seller reads them (a screenshot review): no literal "&" of a
mnemonic in the tag dialog, every count of a thousand or more grouped in the Polish window
(print and export dialogs, the Diagnostics' figures), a backup's path on a line of its own
and never broken at a hyphen, a health check's subject without nested parentheses. Real
widgets offscreen, the app's real Polish translation; the backup through a real emulator,
sync and SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QCategoryAxis, QChartView
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QLabel, QMessageBox, QRadioButton
from pytestqt.qtbot import QtBot

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Count, Text
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort
from allegro_desktop.files.resources import resource_dir
from allegro_desktop.services.health import CheckId, CheckResult, Status
from allegro_desktop.services.stats import Granularity, SeriesPoint
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.database.care import DatabaseCare
from allegro_desktop.ui.dialogs.diagnostics.health_page import HealthPage
from allegro_desktop.ui.formatting import number_text
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.export_dialog import ExportDialog
from allegro_desktop.ui.orders.labels.tag_dialog import TagDialog
from allegro_desktop.ui.orders.printing.dialog import PrintDialog
from allegro_desktop.ui.orders.processing.carriers import CarrierList
from allegro_desktop.ui.orders.processing.tracking_dialog import TrackingDialog
from allegro_desktop.ui.stats.charts import SeriesChart, SplitChart
from allegro_desktop.ui.tasks import TaskQueue
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.stored_shop import realistic_forms, store_shop
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp

PL = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)


@pytest.fixture
def polish(qapp: QCoreApplication) -> Iterator[None]:
    """The app's Polish translation and locale for the test (removed after)."""
    translator = QTranslator()
    assert translator.load("allegro_desktop_pl", str(resource_dir() / "translations"))
    before = QLocale()
    QLocale.setDefault(PL)
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)


@pytest.fixture(scope="module")
def queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderQueries]:
    database = store_shop(tmp_path_factory.mktemp("db") / "orders.sqlite3", realistic_forms())
    yield OrderQueries(database=database)
    database.close()


def test_every_mnemonic_label_of_the_tag_dialog_has_a_buddy(qtbot: QtBot, polish: None) -> None:
    """A QLabel shows its "&" literally unless it has a buddy ("&Kolor:" in the review)."""
    dialog = TagDialog(title="Nowy tag")
    qtbot.addWidget(dialog)
    dialog.show()
    marked = [label for label in dialog.findChildren(QLabel) if "&" in label.text()]
    assert {label.text() for label in marked} == {"&Nazwa:", "&Kolor:"}
    assert [label.text() for label in marked if label.buddy() is None] == []
    colour = next(label for label in marked if label.text() == "&Kolor:")
    assert colour.buddy() is dialog.colour_buttons.checkedButton()


def test_the_print_and_export_dialogs_group_the_counts(qtbot: QtBot, polish: None,
                                                        queries: OrderQueries) -> None:
    selection = tuple(range(1, 1402))
    printing = PrintDialog(queries=queries, order_filter=OrderFilter(), sort=OrderSort(),
                           selection=selection, total=1409)
    exporting = ExportDialog(queries=queries, order_filter=OrderFilter(), sort=OrderSort(),
                             selection=selection, total=1409,
                             visible_columns=(OrderColumn.ORDER_ID,), account_names={})
    for dialog in (printing, exporting):
        qtbot.addWidget(dialog)
        texts = {radio.text() for radio in dialog.findChildren(QRadioButton)}
        assert f"Wszystkie zamówienia w bieżącym widoku ({number_text(1409, PL)})" in texts, texts
        assert f"Zaznaczone zamówienia ({number_text(1401, PL)})" in texts, texts
    assert number_text(1409, PL) == "1\N{NO-BREAK SPACE}409"


def test_the_diagnostics_figures_are_grouped_and_survive_being_stored(polish: None) -> None:
    reachable = Text(QT_TRANSLATE_NOOP("Errors", "Reachable: %1 answered in %2 ms."),
                     "http://127.0.0.1:36903", Count(2038))
    shown = translated(reachable)
    assert f"{number_text(2038, PL)} ms" in shown
    assert "127.0.0.1:36903" in shown  # a port stays as it is
    assert str(reachable) == "Reachable: http://127.0.0.1:36903 answered in 2038 ms."
    again = Text.from_stored(reachable.stored())
    assert again is not None
    assert translated(again) == shown


def test_a_health_check_names_its_subject_without_nested_parentheses(
        qtbot: QtBot, polish: None) -> None:
    page = HealthPage()
    qtbot.addWidget(page)
    subject = "Emulator Allegro (127.0.0.1:36903)"
    result = CheckResult(CheckId.API, Status.OK, "ok", subject=subject)
    page.add_result(result)
    name = page.checks.row(0)[0]
    assert name.endswith(f": {subject}"), name
    assert name.count("(") == 1
    assert result.name == f"Allegro reachable — {subject}"


@pytest.fixture
def make_care(qtbot: QtBot) -> Iterator[Callable[..., tuple[DatabaseCare, MainWindow]]]:
    cares: list[DatabaseCare] = []

    def make(app: SyncApp) -> tuple[DatabaseCare, MainWindow]:
        app.services.settings.backup_interval_days = 0  # no automatic backup racing the test
        window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
        qtbot.addWidget(window)
        care = DatabaseCare(window=window, database=app.database, worker=app.worker,
                            settings=app.services.settings, app_version="0.1.0", parent=window)
        cares.append(care)
        return care, window

    yield make
    for care in cares:
        care.shutdown()


def test_the_backup_message_keeps_the_path_whole_on_its_own_line(
        qtbot: QtBot, make_sync_app: MakeSyncApp, make_care: Callable[..., tuple[
            DatabaseCare, MainWindow]], tmp_path: Path, polish: None) -> None:
    app = make_sync_app()
    care, window = make_care(app)
    target = tmp_path / "kopia-sklepu-grudzien.sqlite3"
    with qtbot.waitSignal(care.backups.finished, timeout=WAIT):
        assert care.backups.back_up_to(target)
    box = window.findChild(QMessageBox, "backupDoneBox")
    assert box is not None
    lines = box.text().split("\n")
    assert str(target).replace("-", "\N{NON-BREAKING HYPHEN}") in lines, lines
    assert "-" not in "".join(line for line in lines if "kopia" in line)


def test_the_tracking_dialog_never_breaks_the_order_id(qtbot: QtBot, tmp_path: Path,
                                                       polish: None) -> None:
    """The heading wrapped inside the order's UUID ("…-11f1-⏎adae-…"): its hyphens are
    non-breaking now, so a narrow dialog wraps before "(id)" and the id stays whole."""
    order_id = "0f5e8a52-d2b1-11f1-adae-6b3a1c9d2e7f"
    tasks = TaskQueue("test-carriers")
    carriers = CarrierList(source=None, ui_state=UiState(tmp_path / "ui-state.ini"), tasks=tasks)
    dialog = TrackingDialog(carriers=carriers, account_key="acc",
                            order_label=f"Małgorzata Kowalska-Wiśniewska ({order_id})")
    qtbot.addWidget(dialog)
    heading = next(label for label in dialog.findChildren(QLabel)
                   if label.text().startswith("Zamówienie:"))
    assert order_id.replace("-", "\N{NON-BREAKING HYPHEN}") in heading.text()
    assert "-" not in heading.text()
    tasks.shutdown()


def _axis_labels(chart: QChartView) -> list[list[str]]:
    """The labels of each value axis (not the time axis at the bottom of the series chart)."""
    found = []
    for axis in chart.chart().axes():
        if isinstance(axis, QCategoryAxis) and axis.alignment() == Qt.AlignmentFlag.AlignBottom \
                and isinstance(chart, SeriesChart):
            continue
        assert isinstance(axis, QCategoryAxis | QBarCategoryAxis), type(axis)
        if isinstance(axis, QCategoryAxis):
            found.append(axis.categoriesLabels())
    return found


def test_the_polish_charts_group_every_thousand_on_their_axes(qtbot: QtBot,
                                                               polish: None) -> None:
    """The Statistics chart's axes showed "1500" and "1000" beside "15 000": every label of a
    thousand or more is grouped now, the orders' and the revenue's axis alike."""
    series = SeriesChart()
    series.setLocale(PL)
    qtbot.addWidget(series)
    points = [SeriesPoint(date(2026, 11, day), orders, orders,
                          {"PLN": Decimal(orders) * 10}) for day, orders in
              ((2, 1500), (3, 900), (4, 1210))]
    series.show_series(points, "PLN", Granularity.DAY)
    split = SplitChart()
    split.setLocale(PL)
    qtbot.addWidget(split)
    split.show_split([("Allegro Paczkomaty InPost", 1234), ("Kurier DPD", 312)])
    axes = _axis_labels(series) + _axis_labels(split)
    assert len(axes) == 3
    for labels in axes:
        assert labels[0] == "0"
        big = [label for label in labels if len(label.replace("\N{NO-BREAK SPACE}", "")) >= 4]
        assert big, labels
        assert all("\N{NO-BREAK SPACE}" in label for label in big), labels
    assert number_text(1000, PL) in axes[0]
