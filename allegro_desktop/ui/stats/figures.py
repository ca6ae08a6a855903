"""`StatsFigures`: the figures of one Statistics result, as the tab shows them — a summary line
(the period and the one it is compared with), six KPI cards (a figure, its change against the
previous period, the previous figure), and the panels: orders and revenue over time (with a
chooser of the revenue line's currency), top products by revenue and by units, the splits by
delivery method and by marketplace, and the weekday × hour heat map.

`panels` names each panel ("orders-over-time", …): the names of their files and object names.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.stats import Granularity, StatsResult
from allegro_desktop.ui.formatting import date_text, marketplace_label, money_text, number_text
from allegro_desktop.ui.stats import tables
from allegro_desktop.ui.stats.charts import SeriesChart, SplitChart
from allegro_desktop.ui.stats.figure_texts import change_text, percent_text, points_change_text
from allegro_desktop.ui.stats.heat_map import HeatMap
from allegro_desktop.ui.stats.models import StatsTableModel
from allegro_desktop.ui.stats.panels import KpiCard, KpiLine, Panel
from allegro_desktop.ui.stats.tables import main_first

__all__ = ["StatsFigures"]

def _same(key: str) -> str:
    return key


class StatsFigures(QWidget):
    """The summary, the KPI cards and the panels of a result (see the module's docstring);
    `show_result` fills them.

    Signals: none (it only shows; the panels ask for their files).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsContent")
        self._shown: tuple[StatsResult, Granularity] | None = None
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 8)
        layout.setSpacing(10)
        self.summary = QLabel(self)
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.summary)
        layout.addLayout(self._build_cards())
        self._build_panels(layout)
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

    # -- building --------------------------------------------------------------------------

    def _build_cards(self) -> QGridLayout:
        cards = QGridLayout()
        cards.setSpacing(8)
        self.orders_card = KpiCard(self.tr("Orders"), parent=self)
        self.revenue_card = KpiCard(self.tr("Revenue"), parent=self)
        self.average_card = KpiCard(self.tr("Average order value"), parent=self)
        self.units_card = KpiCard(self.tr("Units sold"), parent=self)
        self.cancelled_card = KpiCard(self.tr("Cancellation rate"), good_when_up=False,
                                      parent=self)
        self.unpaid_card = KpiCard(self.tr("Unpaid share"), good_when_up=False, parent=self)
        self.cards = [self.orders_card, self.revenue_card, self.average_card, self.units_card,
                      self.cancelled_card, self.unpaid_card]
        for index, card in enumerate(self.cards):
            cards.addWidget(card, index // 3, index % 3)
        for column in range(3):
            cards.setColumnStretch(column, 1)
        return cards

    def _build_panels(self, layout: QVBoxLayout) -> None:
        self.series_chart = SeriesChart(self)
        self.series_model = StatsTableModel(parent=self)
        self.series_panel = Panel(self.tr("Orders and revenue over time"),
                                  chart=self.series_chart, model=self.series_model,
                                  show_table=False, parent=self)
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
                                       model=self.top_revenue_model, parent=self)
        self.top_units_model = StatsTableModel(parent=self)
        self.top_units_panel = Panel(self.tr("Top products by units"),
                                     model=self.top_units_model, parent=self)
        tops.addWidget(self.top_revenue_panel, 1, Qt.AlignmentFlag.AlignTop)
        tops.addWidget(self.top_units_panel, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(tops)

        self.delivery_chart = SplitChart(self)
        self.delivery_model = StatsTableModel(parent=self)
        self.delivery_panel = Panel(self.tr("Orders by delivery method"),
                                    chart=self.delivery_chart, model=self.delivery_model,
                                    parent=self)
        layout.addWidget(self.delivery_panel)
        self.marketplace_chart = SplitChart(self)
        self.marketplace_model = StatsTableModel(parent=self)
        self.marketplace_panel = Panel(self.tr("Orders by marketplace"),
                                       chart=self.marketplace_chart,
                                       model=self.marketplace_model, parent=self)
        layout.addWidget(self.marketplace_panel)

        self.heat_map = HeatMap(self)
        self.heat_model = StatsTableModel(parent=self)
        self.heat_panel = Panel(self.tr("When buyers buy (weekday and hour)"),
                                chart=self.heat_map, model=self.heat_model, show_table=False,
                                parent=self)
        layout.addWidget(self.heat_panel)

    # -- showing ---------------------------------------------------------------------------

    def show_result(self, result: StatsResult, days: tuple[date, date],
                    granularity: Granularity) -> None:
        """Show `result`, computed for `days` (both included) by `granularity`."""
        self._shown = (result, granularity)
        locale = QLocale()
        length = (days[1] - days[0]).days + 1
        previous = (days[0] - timedelta(days=length), days[0] - timedelta(days=1))
        by = {Granularity.DAY: self.tr("by day"), Granularity.WEEK: self.tr("by week"),
              Granularity.MONTH: self.tr("by month")}[granularity]
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
                                      granularity)
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
        self.heat_map.set_counts(result.heatmap)
        self.heat_model.set_table(tables.heat_table(result, locale))
        self._arrange()

    def tops_stacked(self) -> bool:
        """Whether the two top-product tables are one under the other."""
        return self._tops.direction() == QBoxLayout.Direction.TopToBottom

    def _arrange(self) -> None:
        """Each table beside its chart (the two top-product tables beside each other) where
        the width holds its figures and readable names, else under it, one under the other
        (side by side at 1100 px in Polish, the product names were cut to a few words and
        the units went behind a sideways scroll bar)."""
        margins = self._layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        half = (width - self._tops.spacing()) // 2
        tops = (self.top_revenue_panel, self.top_units_panel)
        wide = any(panel.table_width_needed() > panel.table_share(half) for panel in tops)
        direction = (QBoxLayout.Direction.TopToBottom if wide
                     else QBoxLayout.Direction.LeftToRight)
        if self._tops.direction() != direction:
            self._tops.setDirection(direction)
        for panel in (self.delivery_panel, self.marketplace_panel):
            stacked = panel.table_width_needed() > panel.table_share(width)
            if panel.is_stacked() != stacked:
                panel.set_stacked(stacked)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange()

    def _show_cards(self, result: StatsResult, locale: QLocale) -> None:
        now, before = result.totals, result.previous
        has_previous = before.orders > 0

        def counted(value: int, old: int) -> KpiLine:
            change = change_text(value, old, locale) if has_previous else ("—", 0)
            return number_text(value, locale), change[0], change[1]

        def previous_line(text: str) -> str:
            if not has_previous:
                return self.tr("Previous period: no orders")
            return self.tr("Previous period: %1").replace("%1", text)

        self.orders_card.show_figures([counted(now.orders, before.orders)],
                                      previous_line(number_text(before.orders, locale)))
        self.units_card.show_figures([counted(now.units, before.units)],
                                     previous_line(number_text(before.units, locale)))
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

    # -- slots -----------------------------------------------------------------------------

    def _on_currency_combo_changed(self, _index: int) -> None:
        if self._shown is not None:
            result, granularity = self._shown
            self.series_chart.show_series(result.series, self.currency_combo.currentData(),
                                          granularity)
