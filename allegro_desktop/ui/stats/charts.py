"""The Statistics tab's charts: orders and revenue over time and the splits (QtCharts), and the
weekday × hour heat map of purchases (painted by hand: QtCharts has no heat map).

Colours come from the window's palette — chart background, text and grid follow a dark theme
as they follow a light one — except the two accents (orders blue, revenue orange), chosen to
read on both. A palette change (the theme switched while the app runs) restyles every chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
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
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFontMetrics,
    QHelpEvent,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.safe_write import replacing_atomically
from allegro_desktop.services.stats import Granularity, SeriesPoint
from allegro_desktop.ui.formatting import date_text, money_text
from allegro_desktop.ui.theme import is_dark

__all__ = [
    "HeatMap",
    "SeriesChart",
    "SplitChart",
    "bucket_label",
    "save_png",
]

#: The accents: orders (blue) and revenue (orange), light and dark variants.
ORDERS_COLOUR: Final = (QColor("#1e6fd9"), QColor("#5aa2ff"))
REVENUE_COLOUR: Final = (QColor("#e8590c"), QColor("#ff9f43"))
#: At most this many labels along the time axis (the others stay blank; hovering tells).
MAX_TIME_LABELS: Final = 16
#: Bars of a split chart (the table lists every one).
MAX_SPLIT_BARS: Final = 8
_SPLIT_LABEL_CHARS: Final = 30


def _accent(pair: tuple[QColor, QColor], palette: QPalette) -> QColor:
    return pair[1] if is_dark(palette) else pair[0]


class _ImageNotWrittenError(Exception):
    """Qt could not encode or write the image (it does not say why)."""


def save_png(widget: QWidget, path: Path) -> bool:
    """`widget` as it is painted now, to a PNG file at `path` — written like every file the
    user chooses (`services/safe_write.py`: whole or not at all, never over the app's own
    files, a folder, a link or a pipe, which raise `ExportError`); False if Qt could not
    write the image."""
    pixmap = widget.grab()
    if pixmap.isNull():
        return False
    try:
        with replacing_atomically(path) as temporary:
            if not pixmap.save(str(temporary), "PNG"):
                raise _ImageNotWrittenError
    except _ImageNotWrittenError:
        return False
    return True


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
        axis_orders = QValueAxis()
        axis_orders.setTitleText(self.tr("Orders"))
        axis_orders.setLabelFormat("%.0f")
        most = max((point.orders for point in self._points), default=0)
        axis_orders.setRange(0, max(most, 4))
        axis_orders.applyNiceNumbers()
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
            axis_revenue = QValueAxis()
            axis_revenue.setTitleText(currency)
            axis_revenue.setLabelFormat("%.0f")
            axis_revenue.setRange(0, max(max(values, default=0.0), 10.0))
            axis_revenue.applyNiceNumbers()
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
        lines = [when, self.tr("Orders: %1").replace("%1", locale.toString(point.orders)),
                 self.tr("Sold: %1").replace("%1", locale.toString(point.sold))]
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
    most `MAX_SPLIT_BARS`; the table beside it lists all).

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
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%.0f")
        axis_x.setRange(0, max(max(self._values, default=0) * 1.15, 4))
        axis_x.applyNiceNumbers()
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


class HeatMap(QWidget):
    """Orders bought per weekday (rows, Monday first) and hour (columns), in the seller's time
    zone: a cell's colour runs from the background (none) to the highlight colour (the most
    busy hour); a legend under it says what the colours mean, hovering a cell its count.

    Signals: none (it only shows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: list[list[int]] = [[0] * 24 for _ in range(7)]
        self.setMouseTracking(True)
        self.setMinimumSize(560, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def counts(self) -> list[list[int]]:
        return self._counts

    def set_counts(self, counts: Sequence[Sequence[int]]) -> None:
        """`counts[weekday][hour]`, Monday = 0."""
        if len(counts) != 7 or any(len(row) != 24 for row in counts):
            raise ValueError("a heat map needs 7 weekdays of 24 hours")
        self._counts = [list(row) for row in counts]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(760, 270)

    # -- geometry --------------------------------------------------------------------------

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max(metrics.horizontalAdvance(self._day_name(day)) for day in range(7)) + 10

    def _grid(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = self._label_width()
        top = metrics.height() + 6
        legend = 2 * metrics.height() + 20
        return QRectF(left, top, max(self.width() - left - 8, 24),
                      max(self.height() - top - legend, 7))

    def _cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        grid = self._grid()
        if not grid.contains(QPointF(x, y)):
            return None
        hour = int((x - grid.left()) / (grid.width() / 24))
        day = int((y - grid.top()) / (grid.height() / 7))
        return (min(day, 6), min(hour, 23))

    def _day_name(self, day: int) -> str:
        return self.locale().dayName(day + 1, QLocale.FormatType.ShortFormat)

    def _hour_label(self, hour: int) -> str:
        locale = self.locale()
        twelve = "ap" in locale.timeFormat(QLocale.FormatType.ShortFormat).lower()
        return locale.toString(QTime(hour, 0), "h ap" if twelve else "H")

    def _colour(self, count: int, most: int) -> QColor:
        palette = self.palette()
        low = palette.color(QPalette.ColorRole.Base)
        high = palette.color(QPalette.ColorRole.Highlight)
        if most <= 0 or count <= 0:
            return palette.color(QPalette.ColorRole.AlternateBase)
        share = 0.12 + 0.88 * count / most  # any order at all shows
        return QColor.fromRgbF(low.redF() + (high.redF() - low.redF()) * share,
                               low.greenF() + (high.greenF() - low.greenF()) * share,
                               low.blueF() + (high.blueF() - low.blueF()) * share)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), palette.brush(QPalette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        grid = self._grid()
        cell_w, cell_h = grid.width() / 24, grid.height() / 7
        most = max((max(row) for row in self._counts), default=0)
        line = QColor(text)
        line.setAlpha(30)
        painter.setPen(QPen(line))
        for day in range(7):
            for hour in range(24):
                rect = QRectF(grid.left() + hour * cell_w, grid.top() + day * cell_h,
                              cell_w, cell_h)
                painter.fillRect(rect.adjusted(1, 1, -1, -1),
                                 self._colour(self._counts[day][hour], most))
        painter.setPen(QPen(text))
        for day in range(7):
            rect = QRectF(0, grid.top() + day * cell_h, grid.left() - 6, cell_h)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter), self._day_name(day))
        widest = max(metrics.horizontalAdvance(self._hour_label(h)) for h in range(24))
        every = 1 if widest + 4 <= cell_w else (2 if widest + 4 <= 2 * cell_w else 3)
        for hour in range(0, 24, every):
            rect = QRectF(grid.left() + hour * cell_w - cell_w, 0, 3 * cell_w,
                          grid.top() - 2)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter
                                       | Qt.AlignmentFlag.AlignBottom), self._hour_label(hour))
        self._paint_legend(painter, grid, most, metrics)

    def _paint_legend(self, painter: QPainter, grid: QRectF, most: int,
                      metrics: QFontMetrics) -> None:
        palette = self.palette()
        top = grid.bottom() + 10
        caption = self.tr("Orders bought per hour:")
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text)))
        caption_width = metrics.horizontalAdvance(caption)
        painter.drawText(QRectF(grid.left(), top, caption_width + 4, metrics.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         caption)
        low_text = self.locale().toString(0)
        high_text = self.locale().toString(most)
        bar_left = grid.left() + caption_width + 12 + metrics.horizontalAdvance(low_text) + 6
        bar = QRectF(bar_left, top + 2, min(220.0, max(grid.right() - bar_left - 60, 40.0)),
                     metrics.height() - 4)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        gradient.setColorAt(0, self._colour(0, 1))
        gradient.setColorAt(0.001, self._colour(1, 1) if most else self._colour(0, 1))
        gradient.setColorAt(1, self._colour(max(most, 1), max(most, 1)))
        painter.fillRect(bar, QBrush(gradient))
        painter.drawRect(bar)
        painter.drawText(QRectF(bar.left() - metrics.horizontalAdvance(low_text) - 6, top,
                                metrics.horizontalAdvance(low_text) + 2, metrics.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         low_text)
        painter.drawText(QRectF(bar.right() + 6, top, metrics.horizontalAdvance(high_text) + 4,
                                metrics.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         high_text)

    # -- tooltips --------------------------------------------------------------------------

    def tooltip_at(self, x: float, y: float) -> str | None:
        """What hovering (x, y) shows: the weekday, the hour and its count; None off the
        grid."""
        cell = self._cell_at(x, y)
        if cell is None:
            return None
        day, hour = cell
        locale = self.locale()
        day_name = locale.dayName(day + 1, QLocale.FormatType.LongFormat)
        start = locale.toString(QTime(hour, 0), QLocale.FormatType.ShortFormat)
        end = locale.toString(QTime((hour + 1) % 24, 0), QLocale.FormatType.ShortFormat)
        count = self._counts[day][hour]
        return self.tr("%1, %2–%3: %n orders", "", count).replace("%1", day_name).replace(
            "%2", start).replace("%3", end)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos().x(), event.pos().y())
            if text:
                QToolTip.showText(event.globalPos(), text, self, QRect())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
