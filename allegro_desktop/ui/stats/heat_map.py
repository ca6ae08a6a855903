"""`HeatMap`: the Statistics tab's weekday × hour map of purchases, painted by hand (QtCharts
has no heat map). Its colours come from the window's palette, from the background (no order)
to the highlight colour (the busiest hour), so it reads in a dark theme as in a light one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QLocale, QPointF, QRect, QRectF, QSize, Qt, QTime
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from allegro_desktop.ui.formatting import count_grouped, number_text

__all__ = ["HeatMap"]


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
        low_text = number_text(0, self.locale())
        high_text = number_text(most, self.locale())
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
        return count_grouped(self.tr("%1, %2–%3: %Ln orders", "", count), count, locale).replace(
            "%1", day_name).replace("%2", start).replace("%3", end)

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
