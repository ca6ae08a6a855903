"""The Orders tab's filter widgets on their own: the date presets (when they say they changed,
what range they mean on a pinned day), the Filters popup's values, and the bar above the table
(what it says was clicked, what it shows)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import QuickFilter
from allegro_desktop.domain.labels import PALETTE, Tag
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage.order_query import Facets
from allegro_desktop.ui.orders.filter_bar import FilterBar
from allegro_desktop.ui.orders.filter_panel import DateFilter, FilterPanel
from allegro_desktop.ui.orders.list_state import DatePreset, date_range
from tests.helpers.window_language import window_language

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


def test_the_filters_popup_fits_the_window_and_scrolls(qtbot: QtBot) -> None:
    """Many delivery methods, payments, marketplaces and tags: the popup stays inside the
    1100x720 window (not over its status bar, not off the screen); its panel scrolls so that
    "Clear these filters" is reachable."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addSpacing(200)  # the menu bar, tool bar, notices and tabs above the bar
    bar = FilterBar(LOCAL)
    layout.addWidget(bar)
    layout.addStretch(1)
    window.setGeometry(0, 0, 1100, 720)
    window.show()
    qtbot.waitExposed(window)
    panel = bar.filter_panel
    panel.set_facets(Facets((), tuple(f"Allegro Kurier {n}" for n in range(20)),
                            ("CASH_ON_DELIVERY", "ONLINE", "SPLIT_PAYMENT", "EXTENDED_TERM"),
                            ("allegro-pl", "allegro-cz", "allegro-sk", "allegro-hu"), ()))
    panel.set_tags([Tag(id=n, name=f"tag {n}", colour=PALETTE[n % len(PALETTE)])
                    for n in range(1, 9)])
    button = bar.filters_button
    below = button.mapToGlobal(button.rect().bottomLeft()).y()
    assert panel.sizeHint().height() > window.geometry().bottom() - below  # too tall
    menu = button.menu()
    assert menu is not None
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible)
    bottom = min(window.geometry().bottom(),
                 window.screen().availableGeometry().bottom())
    assert menu.geometry().bottom() <= bottom, (menu.geometry(), bottom)
    scroll = panel.parentWidget()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    assert scroll is not None
    assert scroll.verticalScrollBar().maximum() > 0
    scroll.ensureWidgetVisible(panel.clear_button)
    corner = panel.clear_button.mapTo(scroll.viewport(), panel.clear_button.rect().bottomRight())
    assert scroll.viewport().rect().contains(corner)
    menu.hide()
    # A smaller window, opened again: the popup follows.
    first = menu.height()
    window.resize(1100, 600)
    qtbot.waitUntil(lambda: window.height() == 600)
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible)
    assert menu.height() < first
    assert menu.geometry().bottom() <= window.geometry().bottom()
    menu.hide()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_search_placeholder_is_whole_at_the_default_window_size(
        qtbot: QtBot, qapp: QApplication, language: str) -> None:
    """The search box shows its placeholder whole at an 1100 px window, indeed at its least
    width; what it searches is in the tooltip."""
    with window_language(qapp, language):
        bar = FilterBar(LOCAL)
        qtbot.addWidget(bar)
        bar.resize(1090, bar.sizeHint().height())
        bar.show()
        qtbot.waitExposed(bar)
        edit = bar.search_edit
        text = edit.placeholderText()
        # The clear button and the margins off its least width.
        room = edit.minimumWidth() - edit.height() - 12
        assert edit.fontMetrics().horizontalAdvance(text) <= room, (text, room)
        assert "e-mail" in edit.toolTip()
        assert "Ctrl+F" in edit.toolTip()
        if language == "pl":
            assert text == "Szukaj zamówień…"
