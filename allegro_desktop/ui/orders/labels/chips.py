"""Tags drawn as coloured chips (a rounded box of the tag's colour, its name in black or white,
whichever reads better on it): in the Tags column (`TagsDelegate`), on the details panel
(`TagChips`), and as the small colour swatch of menus and lists (`swatch_icon`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from allegro_desktop.domain.labels import Tag
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.orders.model import ROW_ROLE

__all__ = [
    "TagChips",
    "TagsDelegate",
    "cell_width",
    "chip_text_colour",
    "paint_chips",
    "swatch_icon",
]

_PAD_X: Final = 6
_GAP: Final = 4
_RADIUS: Final = 4.0
#: The Tags column's cell: the chips' room inside it, left and right.
_CELL_MARGIN: Final = 3


def chip_text_colour(background: str) -> QColor:
    """Black on light colours (yellow), white on the others: the more readable of the two."""
    colour = QColor(background)
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return QColor("#000000") if luminance > 150 else QColor("#ffffff")


def chip_width(metrics: QFontMetrics, tag: Tag) -> int:
    return metrics.horizontalAdvance(tag.name) + 2 * _PAD_X


def cell_width(metrics: QFontMetrics, tags: Sequence[Tag]) -> int:
    """The width of a Tags cell (in the table's font `metrics`) that shows the widest of
    `tags`' chips whole (0 for no tags)."""
    return max((chip_width(metrics, tag) for tag in tags), default=0) + 2 * _CELL_MARGIN


def paint_chips(painter: QPainter, rect: QRect, tags: Sequence[Tag], *,
                wrap: bool = False) -> int:
    """Draw `tags` left to right in `rect` (cut at its right edge, or on further lines with
    `wrap`); the height used."""
    metrics = painter.fontMetrics()
    height = metrics.height() + 2
    x, y = rect.left(), rect.top() + (0 if wrap else max(0, (rect.height() - height) // 2))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setClipRect(rect)
    for tag in tags:
        width = chip_width(metrics, tag)
        if wrap and x > rect.left() and x + width > rect.right():
            x, y = rect.left(), y + height + _GAP
        if not wrap and x >= rect.right():
            break
        box = QRectF(x, y, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(tag.colour))
        painter.drawRoundedRect(box, _RADIUS, _RADIUS)
        painter.setPen(chip_text_colour(tag.colour))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), tag.name)
        x += width + _GAP
    painter.restore()
    return y + height - rect.top()


def swatch_icon(colour: str, size: int = 12) -> QIcon:
    """A filled rounded square of `colour` (menus, lists, the colour buttons)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(colour).darker(130))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)


class TagsDelegate(QStyledItemDelegate):
    """Paints the Tags column's cells as chips (the model's text, the names joined by commas,
    stays what Copy and the tooltip use)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(ROW_ROLE)
        tags = row.tags if isinstance(row, OrderRow) else ()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        if tags:
            cell = option.rect.adjusted(_CELL_MARGIN, 2, -_CELL_MARGIN, -2)
            painter.save()
            painter.setFont(option.font)
            paint_chips(painter, cell, tags)
            painter.restore()


class TagChips(QWidget):
    """An order's tags as chips, wrapping to the width it is given (the details panel)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: tuple[Tag, ...] = ()
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def tags(self) -> tuple[Tag, ...]:
        return self._tags

    def set_tags(self, tags: Sequence[Tag]) -> None:
        self._tags = tuple(tags)
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        if not self._tags:
            return 0
        metrics = self.fontMetrics()
        height = metrics.height() + 2
        lines, x = 1, 0
        for tag in self._tags:
            chip = chip_width(metrics, tag)
            if x > 0 and x + chip > width:
                lines, x = lines + 1, 0
            x += chip + _GAP
        return lines * height + (lines - 1) * _GAP

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(200, self.heightForWidth(200))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        paint_chips(painter, self.rect(), self._tags, wrap=True)
        painter.end()
