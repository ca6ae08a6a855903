"""`StatsTableModel`: one small table of the Statistics tab (top products, a split, the time
series), over the same typed `Table` the export writes — so what is exported is exactly what
is shown, formatted for the spreadsheet instead of for the eye."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.table_export import Cell, Percent, Table
from allegro_desktop.ui.formatting import date_text, datetime_text, money_text, number_text
from allegro_desktop.ui.stats.figure_texts import percent_text
from allegro_desktop.ui.table_model import TableModel

__all__ = ["StatsTableModel", "cell_text"]

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def cell_text(cell: Cell, locale: QLocale) -> str:
    """A typed cell as the tab shows it, in `locale`."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Money):
        return money_text(cell, locale)
    if isinstance(cell, Percent):
        return percent_text(cell.value, locale)
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return number_text(cell, locale)
    if isinstance(cell, Decimal | float):
        return number_text(cell, locale, 2)
    if isinstance(cell, datetime):
        return datetime_text(cell, locale)
    assert isinstance(cell, date)
    return date_text(cell, locale)


class StatsTableModel(TableModel):
    """A read-only `Table`: `DisplayRole` the cell in the locale's words, `UserRole` the typed
    cell, text left and figures right-aligned, a long text's whole value as its tooltip.
    `set_table` replaces it (a reset)."""

    def __init__(self, *, table: Table | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table or Table(title="", headers=(), rows=())
        self._locale: QLocale | None = None

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def table(self) -> Table:
        return self._table

    def set_locale(self, locale: QLocale | None) -> None:
        """The locale of figures and dates (None: the default locale)."""
        self.beginResetModel()
        self._locale = locale
        self.endResetModel()

    def cell(self, row: int, column: int) -> Cell:
        return self._table.rows[row][column]

    # -- QAbstractItemModel ----------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._table.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self._table.headers
            return headers[section] if 0 <= section < len(headers) else None
        return section + 1 if 0 <= section < len(self._table.rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        rows = self._table.rows
        if not (0 <= index.row() < len(rows) and 0 <= index.column() < len(rows[index.row()])):
            return None
        cell = rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell, self._locale if self._locale is not None else QLocale())
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell if isinstance(cell, str) and len(cell) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignLeft if isinstance(cell, str | None)
                          else Qt.AlignmentFlag.AlignRight)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return cell
        return None
