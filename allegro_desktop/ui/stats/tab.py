"""`StatsTab`: the Statistics tab — sales figures of a period against the period before, charts
of orders and revenue over time, top products, the split by delivery method and marketplace,
and a weekday × hour heat map of purchases.

What is counted is `services/stats.py`'s business (ARCHITECTURE.md "Statistics" is the
contract); this tab asks and shows:

- **which orders**: the period (`StatsPeriod` of `ui/stats/periods.py`: presets or two
  days), the account chosen in the toolbar and — if the seller ticks it — the Orders tab's
  filter (its quick stage, search, filters and dates; a line says which filter applies);
- **off the GUI thread**: `StatsLoader` runs the computation on a `TaskQueue`; a newer request
  drops the older one's result; a busy indicator shows meanwhile, an error shows in the tab
  (the previous figures stay);
- **only when seen**: a change of period, filter or account recomputes after a short pause
  (`DEBOUNCE_MS`); a sync that stored orders (`refresh()`) recomputes after `REFRESH_DELAY_MS`
  if the tab is on screen, else when it is shown next — as does a changed Orders-tab filter;
- **exports**: every table to CSV or Excel (`services/table_export.py`), every chart to PNG,
  with a default file name naming the period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Final

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderFilter
from allegro_desktop.domain.orders import Money
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.services.stats import (
    Granularity,
    StatsResult,
)
from allegro_desktop.services.time_zone import local_zone
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.times import utc_now
from allegro_desktop.ui.formatting import date_text, marketplace_label, money_text
from allegro_desktop.ui.stats import tables
from allegro_desktop.ui.stats.charts import SeriesChart, SplitChart
from allegro_desktop.ui.stats.computation import (
    StatsComputation,
    StatsOutcome,
    StatsPlan,
    StatsSource,
)
from allegro_desktop.ui.stats.controls import StatsControls
from allegro_desktop.ui.stats.figure_texts import change_text, percent_text, points_change_text
from allegro_desktop.ui.stats.files import FigureFiles
from allegro_desktop.ui.stats.heat_map import HeatMap
from allegro_desktop.ui.stats.loader import StatsLoader
from allegro_desktop.ui.stats.models import StatsTableModel
from allegro_desktop.ui.stats.panels import KpiCard, KpiLine, Panel, change_colour
from allegro_desktop.ui.stats.tables import main_first

__all__ = ["DEBOUNCE_MS", "REFRESH_DELAY_MS", "StatsTab"]

log = logging.getLogger("allegro_desktop.ui")

#: The pause after a change of the period or filter before computing.
DEBOUNCE_MS: Final = 150
#: The pause after a sync stored orders (several syncs in a row compute once).
REFRESH_DELAY_MS: Final = 1500


def _same(key: str) -> str:
    return key


class StatsTab(QWidget):
    """The Statistics tab (see the module's docstring).

    `stats` computes (on a pool thread); `queries` finds the first order for "All time";
    `workspace_filter` gives the Orders tab's current filter (None: the check box is
    disabled); `clock` and `time_zone` say what "today" is (tests pin them).

    Signals: none (the tab only shows and writes the files the seller asks for).
    """

    def __init__(self, *, stats: StatsSource, queries: OrderQueries,
                 workspace_filter: Callable[[], OrderFilter] | None = None,
                 clock: Callable[[], datetime] | None = None, time_zone: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsTab")
        self._computation = StatsComputation(stats=stats, queries=queries)
        self._time_zone = time_zone or local_zone()
        self._local = LocalTime(clock=clock or utc_now, zone=self._time_zone)
        self._account: str | None = None
        self._dirty = True  # computed for what is on screen? (not yet)
        self._last_plan: StatsPlan | None = None
        self._outcome: StatsOutcome | None = None
        self._error: str | None = None
        self._stopped = False
        self._loader = StatsLoader(parent=self)
        self._loader.computed.connect(self._on_loader_computed)
        self._loader.failed.connect(self._on_loader_failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        self.controls = StatsControls(today=self._today(), workspace_filter=workspace_filter,
                                      parent=self)
        self.controls.changed.connect(self._changed)
        self._loader.busy_changed.connect(self.controls.show_busy)
        layout.addWidget(self.controls)
        self._message = QLabel(self)
        self._message.setObjectName("statsMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()
        layout.addWidget(self._message)
        self._stack = QStackedWidget(self)
        self._empty = QLabel(self)
        self._empty.setObjectName("statsEmpty")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        self._stack.addWidget(self._empty)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("statsScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._build_content())
        self.files = FigureFiles(self.panels, period_days=self._shown_days, parent=self)
        self.files.message.connect(self._on_files_message)
        self._stack.addWidget(self._scroll)
        layout.addWidget(self._stack, 1)
        self._empty.setText(self.tr("Statistics appear here once they are computed."))

    # -- building --------------------------------------------------------------------------

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        content.setObjectName("statsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 8)
        layout.setSpacing(10)
        self.summary = QLabel(content)
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.summary)

        cards = QGridLayout()
        cards.setSpacing(8)
        self.orders_card = KpiCard(self.tr("Orders"), parent=content)
        self.revenue_card = KpiCard(self.tr("Revenue"), parent=content)
        self.average_card = KpiCard(self.tr("Average order value"), parent=content)
        self.units_card = KpiCard(self.tr("Units sold"), parent=content)
        self.cancelled_card = KpiCard(self.tr("Cancellation rate"), good_when_up=False,
                                      parent=content)
        self.unpaid_card = KpiCard(self.tr("Unpaid share"), good_when_up=False, parent=content)
        self.cards = [self.orders_card, self.revenue_card, self.average_card, self.units_card,
                      self.cancelled_card, self.unpaid_card]
        for index, card in enumerate(self.cards):
            cards.addWidget(card, index // 3, index % 3)
        for column in range(3):
            cards.setColumnStretch(column, 1)
        layout.addLayout(cards)

        self.series_chart = SeriesChart(content)
        self.series_model = StatsTableModel(parent=self)
        self.series_panel = Panel(self.tr("Orders and revenue over time"),
                                  chart=self.series_chart, model=self.series_model,
                                  show_table=False, parent=content)
        self.currency_combo = QComboBox(self.series_panel)
        self.currency_combo.setObjectName("statsCurrency")
        self.currency_combo.setToolTip(self.tr("The currency of the revenue line"))
        self.currency_combo.currentIndexChanged.connect(self._on_currency_combo_changed)
        self.currency_combo.hide()
        self.series_panel.add_header_widget(self.currency_combo)
        layout.addWidget(self.series_panel)

        self._tops = tops = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        tops.setSpacing(10)
        self.top_revenue_model = StatsTableModel(parent=self)
        self.top_revenue_panel = Panel(self.tr("Top products by revenue"),
                                       model=self.top_revenue_model, parent=content)
        self.top_units_model = StatsTableModel(parent=self)
        self.top_units_panel = Panel(self.tr("Top products by units"),
                                     model=self.top_units_model, parent=content)
        tops.addWidget(self.top_revenue_panel, 1, Qt.AlignmentFlag.AlignTop)
        tops.addWidget(self.top_units_panel, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(tops)

        self.delivery_chart = SplitChart(content)
        self.delivery_model = StatsTableModel(parent=self)
        self.delivery_panel = Panel(self.tr("Orders by delivery method"),
                                    chart=self.delivery_chart, model=self.delivery_model,
                                    parent=content)
        layout.addWidget(self.delivery_panel)
        self.marketplace_chart = SplitChart(content)
        self.marketplace_model = StatsTableModel(parent=self)
        self.marketplace_panel = Panel(self.tr("Orders by marketplace"),
                                       chart=self.marketplace_chart,
                                       model=self.marketplace_model, parent=content)
        layout.addWidget(self.marketplace_panel)

        self.heat_map = HeatMap(content)
        self.heat_model = StatsTableModel(parent=self)
        self.heat_panel = Panel(self.tr("When buyers buy (weekday and hour)"),
                                chart=self.heat_map, model=self.heat_model, show_table=False,
                                parent=content)
        layout.addWidget(self.heat_panel)
        layout.addStretch(1)

        self.panels = {
            "orders-over-time": self.series_panel,
            "top-products-by-revenue": self.top_revenue_panel,
            "top-products-by-units": self.top_units_panel,
            "delivery-methods": self.delivery_panel,
            "marketplaces": self.marketplace_panel,
            "weekday-hour": self.heat_panel,
        }
        for name, panel in self.panels.items():
            panel.setObjectName("statsPanel-" + name)
        return content

    # -- public ----------------------------------------------------------------------------

    def set_account_filter(self, key: str | None) -> None:
        """The toolbar's account (None: every account)."""
        if key == self._account:
            return
        self._account = key
        self._changed()

    def save_state(self, state: UiState) -> None:
        """Remember the seller's choices (`StatsControls.save_state`)."""
        self.controls.save_state(state)

    def restore_state(self, state: UiState) -> None:
        """Choose what `save_state` remembered."""
        self.controls.restore_state(state)

    def refresh(self) -> None:
        """Orders changed (a sync stored some): compute again, shortly if the tab is on
        screen, else when it is shown."""
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start(REFRESH_DELAY_MS)

    def compute_now(self) -> int:
        """Start computing what the controls say at once; returns the request's generation."""
        self._timer.stop()
        self._dirty = False
        plan = self.current_plan()
        self._last_plan = plan
        self.controls.update_filter_line()
        return self._loader.submit(lambda stale: self._computation.run(plan, stale))

    def current_plan(self) -> StatsPlan:
        """What the controls say, for this moment."""
        return StatsPlan(period=self.controls.period(), today=self._today(),
                         custom=self.controls.custom_days(),
                         granularity=self.controls.granularity(),
                         order_filter=self.current_filter(), time_zone=self._time_zone)

    def current_filter(self) -> OrderFilter:
        """The orders counted: the account's — and the Orders tab's filter if ticked."""
        accounts = frozenset({self._account}) if self._account else frozenset()
        workspace = self.controls.applied_workspace_filter()
        if workspace is not None:
            return replace(workspace, accounts=accounts)
        return OrderFilter(accounts=accounts)

    @property
    def outcome(self) -> StatsOutcome | None:
        """What is shown (None before the first result)."""
        return self._outcome

    @property
    def loader(self) -> StatsLoader:
        return self._loader

    @property
    def error_text(self) -> str | None:
        return self._error

    def is_busy(self) -> bool:
        return self._loader.is_busy()

    def is_empty_shown(self) -> bool:
        return self._stack.currentWidget() is self._empty

    def _shown_days(self) -> tuple[date, date] | None:
        """The days of the figures shown (None before the first)."""
        return self._outcome.days if self._outcome is not None else None

    def shutdown(self) -> None:
        """Stop computing (before the database closes)."""
        self._stopped = True
        self._timer.stop()
        self._loader.stop()

    # -- computing -------------------------------------------------------------------------

    def _today(self) -> date:
        return self._local.today()

    def _changed(self) -> None:
        """The seller changed what to count: compute after a short pause, if seen."""
        self._dirty = True
        self.controls.update_filter_line()
        if self.isVisible() and not self._stopped:
            self._timer.start(DEBOUNCE_MS)

    # -- showing ---------------------------------------------------------------------------

    def _show_outcome(self, outcome: StatsOutcome) -> None:
        self._outcome = outcome
        result = outcome.result
        if result is None or outcome.days is None or result.totals.orders == 0:
            self._show_empty(outcome)
            return
        self._stack.setCurrentWidget(self._scroll)
        locale = QLocale()
        days = outcome.days
        length = (days[1] - days[0]).days + 1
        previous = (days[0] - timedelta(days=length), days[0] - timedelta(days=1))
        by = {Granularity.DAY: self.tr("by day"), Granularity.WEEK: self.tr("by week"),
              Granularity.MONTH: self.tr("by month")}[outcome.granularity]
        self.summary.setText(self.tr("%1 – %2, compared with %3 – %4; charts %5.").replace(
            "%1", date_text(days[0], locale)).replace("%2", date_text(days[1], locale))
            .replace("%3", date_text(previous[0], locale))
            .replace("%4", date_text(previous[1], locale)).replace("%5", by))
        self._show_cards(result, locale)
        currencies = tables.currencies(result)
        chosen = self.currency_combo.currentData()
        self.currency_combo.blockSignals(True)
        self.currency_combo.clear()
        for currency in currencies:
            self.currency_combo.addItem(currency, currency)
        if chosen in currencies:
            self.currency_combo.setCurrentIndex(currencies.index(chosen))
        self.currency_combo.blockSignals(False)
        self.currency_combo.setVisible(len(currencies) > 1)
        self.series_chart.show_series(result.series, self.currency_combo.currentData(),
                                      outcome.granularity)
        self.series_model.set_table(tables.series_table(result, currencies))
        self.top_revenue_model.set_table(tables.products_table(
            self.tr("Top products by revenue"), result.top_by_revenue, currencies))
        self.top_units_model.set_table(tables.products_table(
            self.tr("Top products by units"), result.top_by_units, currencies))
        for split, model, chart, title, what, label in (
                (result.by_delivery, self.delivery_model, self.delivery_chart,
                 self.tr("Delivery methods"), self.tr("Delivery method"), _same),
                (result.by_marketplace, self.marketplace_model, self.marketplace_chart,
                 self.tr("Marketplaces"), self.tr("Marketplace"), marketplace_label)):
            names = [(label(row.key) or row.key) if row.key else self.tr("(none)")
                     for row in split]
            model.set_table(tables.split_table(title, what, split, names=names,
                                              total=result.totals.orders, currencies=currencies))
            chart.show_split([(name, row.orders) for name, row in zip(names, split,
                                                                       strict=True)])
        # Tables with several currencies' revenue need the whole width: under the chart,
        # one under the other.
        for panel in (self.top_revenue_panel, self.delivery_panel, self.marketplace_panel):
            assert panel.model is not None
            wide = panel.model.columnCount() > 6
            panel.set_stacked(wide)
            if panel is self.top_revenue_panel:
                self._tops.setDirection(QBoxLayout.Direction.TopToBottom if wide
                                        else QBoxLayout.Direction.LeftToRight)
        self.heat_map.set_counts(result.heatmap)
        self.heat_model.set_table(tables.heat_table(result, locale))

    def _show_empty(self, outcome: StatsOutcome) -> None:
        self._stack.setCurrentWidget(self._empty)
        if outcome.plan.order_filter != OrderFilter(accounts=outcome.plan.order_filter.accounts):
            text = self.tr("No orders match the Orders tab's filter in this period. Choose a "
                           "longer period, or untick “Only orders matching the Orders tab's "
                           "filter”.")
        elif outcome.days is None:
            text = self.tr("No orders yet. Statistics appear here once the first orders are "
                           "synced from Allegro.")
        else:
            text = self.tr("No orders in this period. Choose a longer period, such as "
                           "“Last 12 months” or “All time”.")
        self._empty.setText(text)

    def _show_cards(self, result: StatsResult, locale: QLocale) -> None:
        now, before = result.totals, result.previous
        has_previous = before.orders > 0

        def counted(value: int, old: int) -> KpiLine:
            change = change_text(value, old, locale) if has_previous else ("—", 0)
            return locale.toString(value), change[0], change[1]

        def previous_line(text: str) -> str:
            if not has_previous:
                return self.tr("Previous period: no orders")
            return self.tr("Previous period: %1").replace("%1", text)

        self.orders_card.show_figures([counted(now.orders, before.orders)],
                                      previous_line(locale.toString(before.orders)))
        self.units_card.show_figures([counted(now.units, before.units)],
                                     previous_line(locale.toString(before.units)))
        self.revenue_card.show_figures(
            self._money_lines(now.revenue, before.revenue, has_previous, result, locale),
            previous_line(self._money_list(before.revenue, result, locale)))
        self.average_card.show_figures(
            self._money_lines(now.average, before.average, has_previous, result, locale),
            previous_line(self._money_list(before.average, result, locale)))
        for card, share, old in (
                (self.cancelled_card, now.cancellation_rate, before.cancellation_rate),
                (self.unpaid_card, now.unpaid_share, before.unpaid_share)):
            value = "—" if share is None else percent_text(share, locale)
            if share is None or old is None:
                line: KpiLine = (value, "—", 0)
            else:
                line = (value, *points_change_text(share, old, locale))
            card.show_figures([line], previous_line(
                "—" if old is None else percent_text(old, locale)))

    def _money_lines(self, now: dict[str, Decimal], before: dict[str, Decimal],
                     has_previous: bool, result: StatsResult,
                     locale: QLocale) -> list[KpiLine]:
        currencies = main_first(now, result) or [result.main_currency or "PLN"]
        lines: list[KpiLine] = []
        for currency in currencies:
            amount = now.get(currency, Decimal(0))
            change = change_text(float(amount), float(before.get(currency, 0)), locale) \
                if has_previous else ("—", 0)
            lines.append((money_text(Money(amount, currency), locale), *change))
        return lines

    def _money_list(self, amounts: dict[str, Decimal], result: StatsResult,
                    locale: QLocale) -> str:
        if not amounts:
            return "—"
        return ", ".join(money_text(Money(amounts[c], c), locale)
                         for c in main_first(amounts, result))

    def _show_message(self, text: str | None, *, error: bool) -> None:
        if not text:
            self._message.hide()
            return
        palette = self._message.palette()
        colour = palette.color(QPalette.ColorRole.WindowText)
        if error:
            colour = change_colour(1, False, self.palette()) or colour
        else:
            colour = self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._message.setPalette(palette)
        self._message.setText(text)
        self._message.show()

    # -- events and slots ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stopped:
            return
        if self._dirty or self._last_plan is None \
                or self._last_plan.order_filter != self.current_filter() \
                or self._last_plan.today != self._today():
            QTimer.singleShot(0, self, self._on_shown)
        self.controls.update_filter_line()

    def _on_shown(self) -> None:
        if self.isVisible() and not self._stopped:
            self.compute_now()

    def _on_timer_timeout(self) -> None:
        if self.isVisible() and not self._stopped:
            self.compute_now()

    def _on_currency_combo_changed(self, _index: int) -> None:
        outcome = self._outcome
        if outcome is not None and outcome.result is not None:
            self.series_chart.show_series(outcome.result.series,
                                          self.currency_combo.currentData(),
                                          outcome.granularity)

    def _on_loader_computed(self, _generation: int, outcome: Any) -> None:
        assert isinstance(outcome, StatsOutcome)
        self._error = None
        self._show_message(None, error=False)
        self._show_outcome(outcome)

    def _on_loader_failed(self, _generation: int, message: str) -> None:
        self._error = message
        self._dirty = True  # try again when next asked
        self._show_message(self.tr("The statistics could not be computed: %1").replace(
            "%1", message), error=True)

    def _on_files_message(self, text: str, error: bool) -> None:
        self._show_message(text, error=error)
