"""The Statistics tab's charts (QtCharts): orders and revenue over time, and the orders per
delivery method or marketplace. The weekday × hour heat map is `heat_map.py`'s.

Colours come from the window's palette — chart background, text and grid follow a dark theme
as they follow a light one — except the two accents (orders blue, revenue orange), chosen to
read on both. A palette change (the theme switched while the app runs) restyles every chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QMargins,
    QPoint,
    QPointF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QHelpEvent,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.stats import Granularity, SeriesPoint
from allegro_desktop.ui.formatting import date_text, money_text, number_text
from allegro_desktop.ui.theme import is_dark

__all__ = [
    "SeriesChart",
    "SplitChart",
    "bucket_label",
]

#: The accents: orders (blue) and revenue (orange), light and dark variants.
ORDERS_COLOUR: Final = (QColor("#1e6fd9"), QColor("#5aa2ff"))
REVENUE_COLOUR: Final = (QColor("#e8590c"), QColor("#ff9f43"))
#: At most this many labels along the time axis (the others stay blank; hovering tells).
MAX_TIME_LABELS: Final = 16
#: Bars of a split chart (the table lists every one).
MAX_SPLIT_BARS: Final = 8
#: A split chart's label longer than this is cut (with "…"); a shorter one is shown whole
#: where the chart has room (QtCharts elides it where not), the tooltip always whole.
_SPLIT_LABEL_CHARS: Final = 80


def _accent(pair: tuple[QColor, QColor], palette: QPalette) -> QColor:
    return pair[1] if is_dark(palette) else pair[0]


def _short_date_format(locale: QLocale) -> str:
    """The locale's short date format without the year: "d.MM" in Polish, "M/d" in US
    English."""
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return re.sub(r"[^dM]*y+", "", pattern).strip(" .,/-") or "d.MM"


def bucket_label(start: date, granularity: Granularity, locale: QLocale,
                 with_year: bool = False) -> str:
    """The name of a bucket of the time series: its day ("24.11"), its week's Monday, or its
    month ("lis 2026")."""
    day = QDate(start.year, start.month, start.day)
    if granularity is Granularity.MONTH:
        return locale.standaloneMonthName(start.month, QLocale.FormatType.ShortFormat) \
            + " " + str(start.year)
    if with_year:
        return date_text(start, locale)
    return locale.toString(day, _short_date_format(locale))


def grouped_value_axis(top: float, locale: QLocale) -> QCategoryAxis:
    """A value axis from 0 to `top` (rounded up to nice numbers, as `QValueAxis` rounds) whose
    labels group every thousand as `number_text` does: a `QValueAxis` writes them as Qt's
    locale does, and Qt's Polish leaves four digits ungrouped ("1500" under "15 000")."""
    nice = QValueAxis()
    nice.setRange(0, top)
    nice.applyNiceNumbers()
    high, ticks = nice.max(), max(nice.tickCount(), 2)
    step = high / (ticks - 1)
    decimals = 0 if float(step).is_integer() else 1
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setStartValue(0)
    axis.setRange(0, high)
    for index in range(ticks):
        axis.append(number_text(step * index, locale, decimals), step * index)
    return axis


class _ChartView(QChartView):
    """A chart view styled from the palette (see the module), antialiased, without the
    chart's own frame and margins."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QChartView.Shape.NoFrame)
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.setLocalizeNumbers(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self._restyle()

    def _restyle(self) -> None:
        palette = self.palette()
        chart = self.chart()
        chart.setBackgroundBrush(palette.brush(QPalette.ColorRole.Base))
        chart.setPlotAreaBackgroundVisible(False)
        text = palette.color(QPalette.ColorRole.Text)
        chart.setTitleBrush(QBrush(text))
        chart.legend().setLabelColor(text)
        chart.setLocale(self.locale())
        grid = QColor(text)
        grid.setAlpha(40)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setTitleBrush(QBrush(text))
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        self._recolour()

    def _recolour(self) -> None:
        """Colour the series (after the palette changed)."""

    def _clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LocaleChange):
            self._restyle()


class SeriesChart(_ChartView):
    """Orders per day/week/month as bars (left axis) and revenue in one currency as a line
    (right axis). Hovering a bar tells its bucket's figures.

    Signals: none (it only shows)."""

    # class-level: the base class's constructor styles the (not yet existing) series
    _bars: QBarSet | None = None
    _line: QLineSeries | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(280)
        self._points: list[SeriesPoint] = []
        self._currency: str | None = None
        self._granularity = Granularity.DAY

    @property
    def points(self) -> list[SeriesPoint]:
        return self._points

    @property
    def currency(self) -> str | None:
        return self._currency

    def show_series(self, points: Sequence[SeriesPoint], currency: str | None,
                    granularity: Granularity) -> None:
        """Show `points`; the line is the revenue in `currency` (None: no line)."""
        self._points = list(points)
        self._currency = currency
        self._granularity = granularity
        self._clear()
        locale = self.locale()
        chart = self.chart()
        bars = QBarSet(self.tr("Orders"))
        bars.append([float(point.orders) for point in self._points])
        bars.hovered.connect(self._on_bars_hovered)
        bar_series = QBarSeries()
        bar_series.setBarWidth(0.7)
        bar_series.append(bars)
        chart.addSeries(bar_series)
        self._bars = bars

        # Value positions, not QBarCategoryAxis: that one cuts every label to its bar's width
        # ("2…"); this one labels every `step`-th bar with the whole text.
        axis_x = QCategoryAxis()
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_x.setRange(-0.5, max(len(self._points), 1) - 0.5)
        axis_x.setStartValue(-0.5)
        axis_x.setGridLineVisible(False)
        step = max(1, math.ceil(len(self._points) / MAX_TIME_LABELS))
        years = {point.start.year for point in self._points}
        for index in range(0, len(self._points), step):
            axis_x.append(bucket_label(self._points[index].start, granularity, locale,
                                       len(years) > 1 and granularity is not Granularity.MONTH),
                          index)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        bar_series.attachAxis(axis_x)
        most = max((point.orders for point in self._points), default=0)
        axis_orders = grouped_value_axis(max(most, 4), locale)
        axis_orders.setTitleText(self.tr("Orders"))
        chart.addAxis(axis_orders, Qt.AlignmentFlag.AlignLeft)
        bar_series.attachAxis(axis_orders)

        self._line = None
        if currency is not None:
            line = QLineSeries()
            line.setName(self.tr("Revenue (%1)").replace("%1", currency))
            values = [float(point.revenue.get(currency, 0)) for point in self._points]
            for index, value in enumerate(values):
                line.append(QPointF(index, value))
            line.setPointsVisible(len(values) <= 62)
            chart.addSeries(line)
            line.attachAxis(axis_x)
            axis_revenue = grouped_value_axis(max(max(values, default=0.0), 10.0), locale)
            axis_revenue.setTitleText(currency)
            chart.addAxis(axis_revenue, Qt.AlignmentFlag.AlignRight)
            line.attachAxis(axis_revenue)
            self._line = line
        chart.legend().setVisible(True)
        self._restyle()

    def _recolour(self) -> None:
        palette = self.palette()
        if self._bars is not None:
            colour = _accent(ORDERS_COLOUR, palette)
            self._bars.setColor(colour)
            self._bars.setBorderColor(colour)
        if self._line is not None:
            pen = QPen(_accent(REVENUE_COLOUR, palette))
            pen.setWidthF(2.5)
            self._line.setPen(pen)

    def tooltip_text(self, index: int) -> str:
        """What hovering bucket `index` shows."""
        point = self._points[index]
        locale = self.locale()
        when = bucket_label(point.start, self._granularity, locale, with_year=True)
        if self._granularity is Granularity.WEEK:
            when = self.tr("week of %1").replace("%1", when)
        lines = [when, self.tr("Orders: %1").replace("%1", number_text(point.orders, locale)),
                 self.tr("Sold: %1").replace("%1", number_text(point.sold, locale))]
        for currency, amount in sorted(point.revenue.items()):
            lines.append(self.tr("Revenue: %1").replace(
                "%1", money_text(Money(amount, currency), locale)))
        return "\n".join(lines)

    def _on_bars_hovered(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self._points):
            QToolTip.showText(QCursor.pos(), self.tooltip_text(index), self)
        else:
            QToolTip.hideText()


class SplitChart(_ChartView):
    """Orders per delivery method or marketplace as horizontal bars, the biggest on top (at
    most `MAX_SPLIT_BARS`; the table beside it lists all). A label the chart has no room for
    is elided; hovering its row (label or bar) tells it whole, with its orders.

    Signals: none (it only shows)."""

    _bars: QBarSet | None = None  # class-level: see SeriesChart

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._values: list[int] = []
        self.chart().legend().setVisible(False)
        self.setMinimumHeight(160)

    @property
    def labels(self) -> list[str]:
        return self._labels

    @property
    def values(self) -> list[int]:
        return self._values

    def row_at(self, position: QPoint) -> int | None:
        """The row (an index of `labels`) at a point of the view, its label or its bar; None
        outside the rows."""
        if not self._labels:
            return None
        chart = self.chart()
        point = chart.mapFromScene(self.mapToScene(position))
        plot = chart.plotArea()
        if not plot.top() <= point.y() <= plot.bottom():
            return None
        category = round(chart.mapToValue(point).y())  # bottom to top: the last row first
        if not 0 <= category < len(self._labels):
            return None
        return len(self._labels) - 1 - category

    def row_tooltip(self, row: int) -> str:
        """What hovering a row shows: its whole label and its orders."""
        return self._labels[row] + "\n" + self.tr("Orders: %1").replace(
            "%1", number_text(self._values[row], self.locale()))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.pos())
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.row_tooltip(row), self.viewport())
            return True
        return super().viewportEvent(event)

    def show_split(self, rows: Sequence[tuple[str, int]]) -> None:
        """`rows`: (label, orders), most orders first."""
        shown = list(rows[:MAX_SPLIT_BARS])
        self._labels = [label for label, _count in shown]
        self._values = [count for _label, count in shown]
        self._clear()
        chart = self.chart()
        bars = QBarSet(self.tr("Orders"))
        bars.append([float(count) for count in reversed(self._values)])
        series = QHorizontalBarSeries()
        series.setBarWidth(0.7)
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        self._bars = bars
        axis_y = QBarCategoryAxis()
        names: list[str] = []
        for label in reversed(self._labels):
            name = label if len(label) <= _SPLIT_LABEL_CHARS \
                else label[:_SPLIT_LABEL_CHARS - 1] + "…"
            while name in names:  # two names cut to the same text stay apart
                name += "\u200b"
            names.append(name)
        axis_y.append(names)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = grouped_value_axis(max(max(self._values, default=0) * 1.15, 4), self.locale())
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        self.setMinimumHeight(90 + 30 * max(len(shown), 1))
        self._restyle()

    def _recolour(self) -> None:
        if self._bars is not None:
            colour = _accent(ORDERS_COLOUR, self.palette())
            self._bars.setColor(colour)
            self._bars.setBorderColor(colour)
            self._bars.setLabelColor(self.palette().color(QPalette.ColorRole.Text))
