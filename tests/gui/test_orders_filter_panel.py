"""The Orders tab's filter widgets on their own: the date presets (when they say they changed,
what range they mean on a pinned day), the Filters popup's values, and the bar above the table
(what it says was clicked, what it shows)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import QuickFilter
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage.order_query import Facets
from allegro_desktop.ui.orders.filter_bar import FilterBar
from allegro_desktop.ui.orders.filter_panel import DateFilter, FilterPanel
from allegro_desktop.ui.orders.list_state import DatePreset, date_range

WARSAW = ZoneInfo("Europe/Warsaw")
LOCAL = LocalTime(clock=lambda: datetime(2026, 11, 20, 12, 0, tzinfo=UTC), zone=WARSAW)


def test_the_date_filter_says_when_the_seller_changed_it(qtbot: QtBot) -> None:
    dates = DateFilter(LOCAL)
    qtbot.addWidget(dates)
    dates.show()
    changes: list[None] = []
    dates.changed.connect(lambda: changes.append(None))
    assert dates.preset() is DatePreset.ALL
    assert not dates.date_from.isVisible()
    dates.date_to.setDate(dates.date_to.date().addDays(-1))  # hidden days do not count
    assert changes == []

    dates.combo.setCurrentIndex(dates.combo.findData(DatePreset.CUSTOM.value))
    assert len(changes) == 1
    assert dates.date_from.isVisible()
    dates.date_from.setDate(dates.date_from.date().addDays(1))
    assert len(changes) == 2

    dates.set_values(DatePreset.CUSTOM, date(2026, 9, 1), date(2026, 9, 30))
    assert len(changes) == 2  # shown, not chosen: no signal
    assert dates.custom_days() == (date(2026, 9, 1), date(2026, 9, 30))
    assert dates.time_range() == date_range(DatePreset.CUSTOM, LOCAL, date(2026, 9, 1),
                                            date(2026, 9, 30))
    dates.set_values(DatePreset.LAST_MONTH)
    assert dates.custom_days() == (None, None)
    assert not dates.date_from.isVisible()
    assert dates.time_range() == (datetime(2026, 9, 30, 22, tzinfo=UTC),
                                  datetime(2026, 10, 31, 23, tzinfo=UTC))


def test_the_filter_panel_keeps_checked_values_the_orders_no_longer_have(
        qtbot: QtBot) -> None:
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_facets(Facets((), ("Kurier", "Paczkomat"), ("ONLINE",), ("allegro-pl",), ()))
    panel.set_values(delivery_methods=frozenset({"Kurier"}), payment_types=frozenset(),
                     marketplaces=frozenset(), invoice=True, min_total=Decimal("10.50"),
                     max_total=None)
    assert panel.delivery_methods() == frozenset({"Kurier"})
    assert panel.invoice_value() is True
    assert panel.amounts() == (Decimal("10.50"), None)
    assert panel.active_count() == 3
    panel.set_facets(Facets((), ("Paczkomat",), (), (), ()))
    assert panel.delivery_methods() == frozenset({"Kurier"})
    with qtbot.waitSignal(panel.changed):
        panel.clear_button.click()
    assert panel.active_count() == 0


def test_the_filter_bar_says_what_was_clicked_and_shows_what_it_is_told(
        qtbot: QtBot) -> None:
    bar = FilterBar(LOCAL)
    qtbot.addWidget(bar)
    bar.show()
    with qtbot.waitSignal(bar.quick_clicked) as clicked:
        bar.quick_buttons[QuickFilter.SENT].click()
    assert clicked.args == [QuickFilter.SENT]
    bar.check_quick(QuickFilter.ALL)
    assert bar.quick_buttons[QuickFilter.ALL].isChecked()

    bar.show_counts({QuickFilter.SENT: 1234})
    assert bar.quick_buttons[QuickFilter.SENT].text().endswith(bar.locale().toString(1234))
    assert bar.quick_buttons[QuickFilter.UNPAID].text().endswith("  0")
    bar.show_total(None, loading=True, short_search=False)
    assert bar.result_label.text() == "Loading orders…"
    bar.show_total(1, loading=False, short_search=True)
    assert bar.result_label.text() == "1 order · search from 2 characters"
    bar.show_error("disk I/O error")
    assert bar.error_line.text == "The orders could not be read: disk I/O error"
    bar.show_filter_state(clear_visible=False)
    assert not bar.clear_button.isVisible()
    assert bar.filters_button.text() == "Filters"

    bar.search_edit.setText("kubek")
    qtbot.keyClick(bar.search_edit, Qt.Key.Key_Escape)
    assert bar.search_edit.text() == ""
