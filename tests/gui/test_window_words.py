"""The window's words, in Polish and in English: Qt's own dialogs translated too, numbers
grouped the same way everywhere, dates in the language's format, the environment named in the
window's language, the Sync log's columns in a seller's words, a "Yesterday" preset, a device
code whose 0 cannot pass for an O, whole delivery-method names on the chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLibraryInfo, QLocale, QPoint, Qt, QTranslator
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
)
from pytestqt.qtbot import QtBot

from allegro_desktop.api.environments import environment_from_key
from allegro_desktop.domain.orders import Money
from allegro_desktop.files.resources import resource_dir
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage import Database
from allegro_desktop.ui.accounts.connect_dialog import CODE_FONTS, ConnectDialog
from allegro_desktop.ui.formatting import date_text, money_text, number_text
from allegro_desktop.ui.i18n import translated, window_locale
from allegro_desktop.ui.orders.filter_bar import FilterBar
from allegro_desktop.ui.orders.filter_panel import DateFilter
from allegro_desktop.ui.orders.list_state import DatePreset, date_range
from allegro_desktop.ui.stats.charts import SplitChart
from allegro_desktop.ui.stats.files import FigureFiles
from allegro_desktop.ui.stats.models import StatsTableModel, cell_text
from allegro_desktop.ui.stats.panels import Panel
from allegro_desktop.ui.stats.periods import StatsPeriod, period_label
from allegro_desktop.ui.syncing.log_view import SyncLogColumn, SyncLogModel
from tests.helpers.window_language import window_language

NBSP = "\u00a0"
PL = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def polish(qapp: QApplication) -> Iterator[None]:
    with window_language(qapp, "pl"):
        yield


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    with window_language(qapp, "en"):
        yield


# -- Qt's own dialogs ------------------------------------------------------------------------

def test_qt_file_dialog_and_buttons_are_polish_in_a_polish_window(
        qtbot: QtBot, polish: None) -> None:
    """Qt's file dialog (the one a desktop without its own shows: "Look in:", "Files of
    type:"), a message box's and a button box's standard buttons speak Polish."""
    dialog = QFileDialog()
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "&Szukaj w:"
    assert labels["fileTypeLabel"] == "Pliki &rodzaju:"
    assert labels["fileNameLabel"] == "Nazwa &pliku:"
    buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
    assert buttons is not None
    assert sorted(b.text() for b in buttons.buttons()) == ["&Zachowaj", "Anuluj"]

    box = QMessageBox(QMessageBox.Icon.Question, "", "",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == ["&Nie", "&Tak", "Anuluj"]


def test_qt_texts_the_shipped_translation_lacks_are_ours_and_complete() -> None:
    """`qtbase_supplement_pl.ts` translates every message it holds, keeping the accelerator
    (the file dialog's Alt+letter)."""
    root = ET.parse(resource_dir() / "translations" / "qtbase_supplement_pl.ts").getroot()
    messages = list(root.iter("message"))
    assert messages
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None, source
        assert translation.text, source
        assert translation.get("type") is None, source
        assert ("&" in source) == ("&" in translation.text), source


#: Texts of Qt's printer properties (the Advanced tab, Pages per sheet, the CUPS job options)
#: that Qt's own Polish file lacks, as Qt 6 writes them (context: the .ui form's class).
UNTRANSLATED_BY_QT = (
    ("QPrintPropertiesWidget", "Advanced"),
    ("QPageSetupWidget", "Pages &per sheet:"),
    ("QPageSetupWidget", "Page &order:"),
    ("QCupsJobWidget", "Scheduled &printing:"),
    ("QCupsJobWidget", "&Billing information:"),
    ("QCupsJobWidget", "Job &priority:"),
    ("QCupsJobWidget", "&Start:"),
    ("QCupsJobWidget", "&End:"),
)


@pytest.mark.parametrize(("context", "source"), UNTRANSLATED_BY_QT)
def test_the_print_dialogs_qt_leaves_english_are_polish(qapp: QApplication, context: str,
                                                        source: str) -> None:
    """The Polish print dialog's printer properties showed English labels: the supplement
    (compiled as the app loads it) translates each, and Qt's own file still does not."""
    folder = str(resource_dir() / "translations")
    supplement = QTranslator()
    assert supplement.load("qtbase_supplement_pl", folder)
    polish = supplement.translate(context, source)
    assert polish
    assert polish != source
    assert ("&" in source) == ("&" in polish)
    qt_own = QTranslator()
    if qt_own.load("qtbase_pl", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        assert qt_own.translate(context, source) == ""  # else the supplement is not needed


# -- the locale of numbers and dates ---------------------------------------------------------

def test_an_english_window_writes_english_dates_on_any_system(english: None) -> None:
    """Even on a system whose locale is C (dates "20 11 2026", no thousands grouped), the
    English window writes English dates and numbers."""
    locale = QLocale()
    assert locale.language() == QLocale.Language.English
    assert date_text(date(2026, 11, 20), locale) in ("20/11/2026", "11/20/26")
    assert number_text(14905, locale) == "14,905"


def test_the_window_locale_follows_the_language() -> None:
    british = window_locale("en", QLocale.c())
    assert (british.language(), british.territory()) == (
        QLocale.Language.English, QLocale.Country.UnitedKingdom)
    american = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert window_locale("en", american) == american
    assert window_locale("pl", american).language() == QLocale.Language.Polish
    assert window_locale("pl", PL) == PL


@pytest.mark.parametrize(("amount", "polish", "english"), [
    ("2019.83", f"2{NBSP}019,83{NBSP}zł", f"PLN{NBSP}2,019.83"),
    ("14905.39", f"14{NBSP}905,39{NBSP}zł", f"PLN{NBSP}14,905.39"),
    ("999.99", f"999,99{NBSP}zł", f"PLN{NBSP}999.99"),
    ("-1234.50", f"-1{NBSP}234,50{NBSP}zł", f"-PLN{NBSP}1,234.50"),
])
def test_every_thousand_is_grouped(amount: str, polish: str, english: str) -> None:
    """Qt (after CLDR) leaves a four-digit Polish number ungrouped: "2019,83 zł" beside
    "14 905,39 zł" in one column. The window groups them all."""
    money = Money(Decimal(amount), "PLN")
    assert money_text(money, PL) == polish
    assert money_text(money, QLocale(QLocale.Language.English,
                                     QLocale.Country.UnitedStates)) == english


def test_statistics_cells_group_their_thousands() -> None:
    assert cell_text(2019, PL) == f"2{NBSP}019"
    assert cell_text(Decimal("2019.5"), PL) == f"2{NBSP}019,50"
    assert cell_text(Money(Decimal("2019.83"), "PLN"), PL) == f"2{NBSP}019,83{NBSP}zł"
    assert number_text(-0.001, PL, 2) == "0,00"  # never "-0,00"
    assert number_text(12345, QLocale.c()) == "12345"  # a locale without grouping keeps it


# -- names and columns -----------------------------------------------------------------------

def test_the_emulator_is_named_in_the_window_language(polish: None) -> None:
    environment = environment_from_key("http://127.0.0.1:8080")
    assert translated(environment.name) == "Emulator Allegro (127.0.0.1:8080)"
    assert environment.label == "Allegro emulator (127.0.0.1:8080)"  # the command line's
    assert translated(environment_from_key("production").name) == "Allegro"


def test_sync_log_columns_say_what_they_count_in_polish(database: Database,
                                                        polish: None) -> None:
    model = SyncLogModel(database=database, account_names={})
    numeric = (SyncLogColumn.REQUESTS, SyncLogColumn.RETRIES, SyncLogColumn.RATE_LIMITED)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in numeric]
    assert headers == ["Połączenia", "Powtórzone", "Spowolnienia"]
    for column in numeric:
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip
        assert "Allegro" in tip


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "orders.db")
    yield database
    database.close()


# -- "Yesterday" -----------------------------------------------------------------------------

def test_yesterday_is_the_whole_local_day_before_today(qtbot: QtBot, polish: None) -> None:
    """Shortly after midnight on 26 October in Warsaw, yesterday is 25 October: the day
    summer time ended, 25 hours long."""
    moment = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # 00:30 on the 26th in Warsaw
    local = LocalTime(clock=lambda: moment, zone=WARSAW)
    assert date_range(DatePreset.YESTERDAY, local) == (
        datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 25, 23, tzinfo=UTC))

    dates = DateFilter(local=local)
    qtbot.addWidget(dates)
    index = dates.combo.findData(DatePreset.YESTERDAY.value)
    assert dates.combo.itemText(index) == "Wczoraj"
    assert index == dates.combo.findData(DatePreset.TODAY.value) + 1
    dates.combo.setCurrentIndex(index)
    assert dates.time_range() == date_range(DatePreset.YESTERDAY, local)
    assert period_label(StatsPeriod.YESTERDAY) == "Wczoraj"


# -- the device code ---------------------------------------------------------------------------

class _NoSession:
    """The dialog is only built here: no login starts."""


def test_the_device_code_font_tells_zero_from_o(qtbot: QtBot) -> None:
    dialog = ConnectDialog(new_session=_NoSession,  # type: ignore[arg-type]
                           environment_label="Allegro")
    qtbot.addWidget(dialog)
    code = dialog.findChild(QLabel, "userCode")
    assert code is not None
    font = code.font()
    assert font.families()[:len(CODE_FONTS)] == list(CODE_FONTS)
    assert font.featureValue(QFont.Tag("zero")) == 1


def test_the_big_code_keeps_clear_of_the_copy_button(qtbot: QtBot, polish: None) -> None:
    """The bold code ran into its Copy button ("CXV|Kopiuj"): the button starts clearly after
    the code's last ink, at the default size and when the window is wide."""
    dialog = ConnectDialog(new_session=_NoSession,  # type: ignore[arg-type]
                           environment_label="Allegro")
    qtbot.addWidget(dialog)
    code = dialog.findChild(QLabel, "userCode")
    copy = dialog.findChild(QPushButton, "copyButton")
    assert code is not None
    assert copy is not None
    code.setText("TBZ HL3 CXV")
    pages = dialog.findChild(QStackedWidget)
    assert pages is not None
    page = code.parentWidget()
    assert page is not None
    pages.setCurrentWidget(page)  # the page that shows the code
    for width in (560, 1200):
        dialog.resize(width, 420)
        dialog.show()
        qtbot.waitExposed(dialog)
        metrics = QFontMetrics(code.font())
        ink_right = code.mapTo(dialog, QPoint(code.contentsRect().left(), 0)).x() \
            + max(metrics.boundingRect(code.text()).right(), metrics.horizontalAdvance(code.text()))
        gap = copy.mapTo(dialog, QPoint(0, 0)).x() - ink_right
        assert gap >= QFontMetrics(dialog.font()).horizontalAdvance("M"), gap


# -- the Statistics tab ------------------------------------------------------------------------

def test_a_long_delivery_method_is_named_whole(qtbot: QtBot) -> None:
    """Not cut to 30 characters ("Allegro Odbiór w Punkcie Orle…"); where the chart is too
    narrow for it, hovering its row tells it whole."""
    name = "Allegro Odbiór w Punkcie Orlen Paczka"
    chart = SplitChart()
    qtbot.addWidget(chart)
    chart.resize(420, 300)
    chart.show_split([(name, 1234), ("Allegro Paczkomaty InPost", 30)])
    chart.show()
    qtbot.waitExposed(chart)
    axis = chart.chart().axes(Qt.Orientation.Vertical)[0]
    assert name in axis.categories()  # type: ignore[attr-defined]
    plot = chart.chart().plotArea()
    top_row = chart.mapFromScene(chart.chart().mapToScene(
        plot.left(), plot.top() + plot.height() / 4))
    assert chart.row_at(QPoint(5, top_row.y())) == 0  # over the label, left of the bars
    assert chart.row_tooltip(0).startswith(name + "\n")
    assert chart.row_at(QPoint(5, 1)) is None


def test_the_export_button_is_a_menu_button(qtbot: QtBot) -> None:
    """A push button with a menu (its arrow has room), not a tool button's arrow squeezed
    into its corner."""
    panel = Panel("Delivery", model=StatsTableModel())
    qtbot.addWidget(panel)
    assert isinstance(panel.export_button, QPushButton)
    menu = panel.export_button.menu()
    assert menu is not None
    assert len(menu.actions()) == 2


def test_the_order_count_and_the_quick_filters_group_alike(qtbot: QtBot, polish: None) -> None:
    """"Wszystkie 1 406" on the button and "1 406 zamówień" beside it (Qt's %Ln wrote
    "1406 zamówień")."""
    bar = FilterBar(LocalTime(clock=lambda: datetime(2026, 11, 20, 12, tzinfo=UTC), zone=WARSAW))
    qtbot.addWidget(bar)
    bar.show_total(1406, loading=False, short_search=False)
    assert bar.result_label.text() == f"1{NBSP}406 zamówień"
    bar.show_total(22, loading=False, short_search=False)
    assert bar.result_label.text() == "22 zamówienia"


def test_statistics_files_are_named_in_the_window_language(qtbot: QtBot, polish: None) -> None:
    panel = Panel("Dostawa", model=StatsTableModel())
    qtbot.addWidget(panel)
    files = FigureFiles({"delivery-methods": panel},
                        period_days=lambda: (date(2026, 11, 1), date(2026, 11, 20)), parent=panel)
    assert files.default_file_name("delivery-methods", "csv") == \
        "sposoby-dostawy_2026-11-01_2026-11-20.csv"
