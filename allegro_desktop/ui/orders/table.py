"""`OrdersTable`: the order table view — whole rows selected, columns movable and hideable (by
key: `columns.py`), the header's sort indicator, and selections kept as row ranges (a million
selected rows are a few ranges, never a million indexes).

The default columns (the first start, "Reset columns") are fitted to the table's width once it
is on screen, and again whenever its width changes (the window resized, the details panel
dragged) or the profile's first tag adds the Tags column, until the seller changes a column:
each as wide as its content, the least important left out on a narrow window (`columns.py`).
The sort arrow points up for an ascending sort and down for a descending one on every platform
(`TableStyle`: Qt's Fusion style on Linux draws them the other way round, as GTK once did);
a right-aligned number, and its header, keep `NUMBER_GAP` free before the next column.

It also puts a refreshed result in place of the old one keeping what the seller looks at: the
selection follows its orders (the model's business), the view keeps its top row where it was, or
stays at the very top (where new orders appear) if it was there.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Final

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSignalBlocker,
    Qt,
)
from PySide6.QtGui import QPainter, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyledItemDelegate,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from allegro_desktop.domain.filters import OrderColumn, OrderSort
from allegro_desktop.domain.labels import Tag
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.orders.columns import (
    NUMBER_GAP,
    RIGHT_ALIGNED,
    apply_default_columns,
    default_shown,
    default_widths,
    fitting_columns,
    show_column,
    show_columns,
    visible_columns,
    widen_items,
)
from allegro_desktop.ui.orders.labels.chips import cell_width
from allegro_desktop.ui.orders.model import OrdersModel

__all__ = ["NumberGapDelegate", "OrdersTable", "TableStyle"]

#: The window activated or deactivated (a dialog opened or closed).
_ACTIVATION: Final = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)
#: Narrower than this, the table is not laid out yet: the default columns wait.
_LAID_OUT: Final = 200


class TableStyle(QProxyStyle):
    """The application's style, but a header's sort arrow points up for an ascending sort and
    down for a descending one, whatever the platform's convention (see the module's
    docstring), and right-aligned texts (cells and headers) end `NUMBER_GAP` before their
    right edge."""

    def subElementRect(self, element: QStyle.SubElement,  # noqa: N802 - Qt's name
                       option: QStyleOption, widget: QWidget | None = None) -> QRect:
        rect = self.baseStyle().subElementRect(element, option, widget)
        if element is QStyle.SubElement.SE_ItemViewItemText \
                and isinstance(option, QStyleOptionViewItem) \
                and option.displayAlignment & Qt.AlignmentFlag.AlignRight:
            rect.setRight(rect.right() - NUMBER_GAP // 2)
        return rect

    def drawControl(self, element: QStyle.ControlElement,  # noqa: N802 - Qt's name
                    option: QStyleOption, painter: QPainter,
                    widget: QWidget | None = None) -> None:
        if element is QStyle.ControlElement.CE_HeaderLabel \
                and isinstance(option, QStyleOptionHeader) \
                and option.textAlignment & Qt.AlignmentFlag.AlignRight:
            option = QStyleOptionHeader(option)
            option.rect = option.rect.adjusted(0, 0, -NUMBER_GAP // 2, 0)
        super().drawControl(element, option, painter, widget)

    def drawPrimitive(self, element: QStyle.PrimitiveElement,  # noqa: N802 - Qt's name
                      option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        if element is QStyle.PrimitiveElement.PE_IndicatorHeaderArrow \
                and isinstance(widget, QHeaderView):
            element = (QStyle.PrimitiveElement.PE_IndicatorArrowUp
                       if widget.sortIndicatorOrder() is Qt.SortOrder.AscendingOrder
                       else QStyle.PrimitiveElement.PE_IndicatorArrowDown)
        super().drawPrimitive(element, option, painter, widget)


class NumberGapDelegate(QStyledItemDelegate):
    """The cells of a right-aligned column, drawn by the table's `TableStyle` (its number
    clear of the next column). Only those columns have it: every other cell is drawn by
    Qt's own delegate, without a call into Python but the model's (docs/PERFORMANCE.md,
    "The window during a bulk change")."""

    def __init__(self, table: OrdersTable) -> None:
        super().__init__(table)
        self._table = table

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        self._table.table_style().drawControl(
            QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)


class OrdersTable(QTableView):
    """The table of `model`'s orders (see the module's docstring), sorted by `sort` at first.
    Context menus are asked for (`customContextMenuRequested` of the table and its header),
    not built here."""

    def __init__(self, model: OrdersModel, sort: OrderSort,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._several_accounts = False
        self._tags: tuple[Tag, ...] = ()  # the profile's tags (the Tags column's width)
        # The default columns follow the table's width (until the seller changes one).
        self._follow_width = False
        self._fitting = False  # the columns are being laid out here, not by the seller
        self.setObjectName("ordersTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setObjectName("ordersHeader")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._style = _table_style(header)
        self._same_colours_when_inactive()
        numbers = NumberGapDelegate(self)
        for column in RIGHT_ALIGNED:
            self.setItemDelegateForColumn(model.column_of(column), numbers)
        self.reset_columns()
        header.sectionResized.connect(self._on_header_changed)
        header.sectionMoved.connect(self._on_header_changed)
        header.setSortIndicator(model.column_of(sort.column), _order(sort.descending))
        self.setSortingEnabled(True)
        # The header asks the selection model whether each column it paints is selected,
        # which checks every selected row's flags: with a million selected rows that is a
        # million calls into Python per column and paint. Rows are selected, never columns:
        # the header gets a selection model of its own that stays empty.
        header.setSelectionModel(QItemSelectionModel(model, header))

    # -- columns and sort -----------------------------------------------------------------

    def visible_columns(self) -> list[OrderColumn]:
        """The visible columns in the order the seller sees them."""
        return visible_columns(self.horizontalHeader(), self._model.columns)

    def set_visible_columns(self, columns: Sequence[OrderColumn]) -> None:
        """Show these columns, in this order, after each other; hide the rest (an empty
        list changes nothing: the table needs a column)."""
        self._follow_width = False
        show_columns(self.horizontalHeader(), self._model.columns, columns)

    def reset_columns(self) -> None:
        """The default columns, order and widths, fitted to the table's width (now if it is
        on screen, else once it is)."""
        self._follow_width = True
        self._fitting = True
        try:
            apply_default_columns(self.horizontalHeader(), self._model.columns,
                                  self._default_widths(),
                                  default_shown(self._several_accounts, bool(self._tags)))
        finally:
            self._fitting = False
        self._fit_default_columns()

    def set_several_accounts(self, several: bool) -> None:
        """Whether two or more accounts are connected: the default columns then include the
        account (shown at once while the defaults follow the width; else the caller shows
        it when a second account arrives)."""
        self._several_accounts = several
        self._fit_default_columns()

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """The profile's tags: once it has one, the default columns include the Tags column
        (shown at once while the defaults follow the width; else the caller shows it), as
        wide as the widest tag's chip."""
        self._tags = tuple(tags)
        self._fit_default_columns()

    def follows_width(self) -> bool:
        """Whether the default columns are in use, following the table's width (the seller
        changed none since)."""
        return self._follow_width

    def show_column(self, column: OrderColumn, shown: bool) -> None:
        """Show or hide one column (never the last visible one); one shown too narrow to see
        gets its default width."""
        self._follow_width = False
        show_column(self.horizontalHeader(), self._model.columns,
                    self._model.column_of(column), shown, self._default_widths()[column])

    def _default_widths(self) -> dict[OrderColumn, int]:
        model = self._model
        return default_widths(model.columns, self.fontMetrics(),
                              self.horizontalHeader().fontMetrics(), model.widest_texts,
                              model.header_text,
                              drawn={OrderColumn.TAGS: cell_width(self.fontMetrics(),
                                                                  self._tags)})

    def _fit_default_columns(self) -> None:
        """Leave out the default columns that do not fit the table's width, and give the
        items what room is left (once the table is laid out on screen)."""
        room = self.viewport().width()
        if not self.verticalScrollBar().isVisible():  # it will be, once rows arrive
            room -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        if not self._follow_width or not self.isVisible() or room < _LAID_OUT:
            return
        widths = self._default_widths()
        header = self.horizontalHeader()
        columns = self._model.columns
        shown = default_shown(self._several_accounts, bool(self._tags))
        fitting, spare = fitting_columns(shown, widths, room)
        self._fitting = True
        try:
            apply_default_columns(header, columns, widths, fitting)
            widen_items(header, columns, widths, spare, self.fontMetrics())
        finally:
            self._fitting = False

    def _on_header_changed(self, *_args: object) -> None:
        """A column resized, moved, shown or hidden by someone else than the fitting: the
        seller's layout from now on."""
        if not self._fitting:
            self._follow_width = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit_default_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_default_columns()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() is QEvent.Type.StyleChange:  # another application style (the theme)
            self._style_header()
        elif event.type() is QEvent.Type.PaletteChange and not self.palette().isEqual(
                QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            self._same_colours_when_inactive()  # the application's changed: light or dark

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVATION and self.palette().isEqual(
                QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            return False  # drawn the same either way: Qt's item views repaint everything
        return super().viewportEvent(event)

    def _same_colours_when_inactive(self) -> None:
        """The application's palette, its inactive colours the active ones: the selection
        reads the same while a dialog is on top (a bulk run's progress: which orders it
        takes), and Qt does not repaint the whole table each time the window is activated
        or deactivated (a dialog opened or closed: 10-50 ms while orders are being sent)."""
        palette = QPalette(QApplication.palette(self))
        for role in QPalette.ColorRole:
            if role not in (QPalette.ColorRole.NoRole, QPalette.ColorRole.NColorRoles):
                palette.setBrush(QPalette.ColorGroup.Inactive, role,
                                 palette.brush(QPalette.ColorGroup.Active, role))
        self.setPalette(palette)

    def _style_header(self) -> None:
        """The header in the application's style, its sort arrow the right way up (its cells'
        right-aligned numbers drawn by the same style)."""
        old = self._style
        self._style = _table_style(self.horizontalHeader())
        old.deleteLater()

    def table_style(self) -> TableStyle:
        """The style the header and the right-aligned cells are drawn in."""
        return self._style

    def show_sort(self, sort: OrderSort) -> None:
        """Show `sort` on the header (no sort is asked for)."""
        header = self.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(self._model.column_of(sort.column),
                                    _order(sort.descending))

    # -- selection ------------------------------------------------------------------------

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected rows as sorted, disjoint [start, stop) ranges."""
        selection = self.selectionModel().selection()
        spans = sorted((selection.at(i).top(), selection.at(i).bottom() + 1)
                       for i in range(selection.count()))
        merged: list[tuple[int, int]] = []
        for start, stop in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            else:
                merged.append((start, stop))
        return merged

    def selected_count(self) -> int:
        return sum(stop - start for start, stop in self.selected_ranges())

    def select_seqs(self, seqs: Iterable[int], current: int | None = None) -> None:
        """Select these orders (those listed) and make `current` the current one."""
        model = self._model
        selection = QItemSelection()
        last = model.columnCount() - 1
        for start, stop in _spans(sorted(model.rows_of(seqs).values())):
            selection.select(model.index(start, 0), model.index(stop - 1, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
            | QItemSelectionModel.SelectionFlag.Rows
        selection_model = self.selectionModel()
        selection_model.select(selection, flags)
        if current is not None:
            current_row = model.row_of(current)
            if current_row is not None:
                selection_model.setCurrentIndex(
                    model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_and_show(self, seqs: Sequence[int]) -> None:
        """Select these orders (those listed) and scroll to the first of them."""
        rows = self._model.rows_of(seqs)
        if not rows:
            return
        top = min(rows, key=lambda seq: rows[seq])
        self.select_seqs(list(rows), current=top)
        self.scrollTo(self._model.index(rows[top], 0))

    def refresh_visible_rows(self) -> None:
        """The orders changed, the list did not: read the rows on screen again and repaint
        those that changed (the others are read again when shown)."""
        self._model.refresh_rows(*self._rows_on_screen())

    def _rows_on_screen(self) -> tuple[int, int]:
        """The first and last row the viewport shows (the last row if it is not filled)."""
        last = self.rowAt(self.viewport().height() - 1)
        return max(0, self.rowAt(0)), self._model.rowCount() - 1 if last < 0 else last

    def update_in_place(self, seqs: array[int], rows: dict[int, OrderRow]) -> None:
        """The new result in place of the old, the view's top row kept (see the module's
        docstring)."""
        model = self._model
        if seqs == model.seqs:  # nothing moved: the rows on screen are read again
            model.update_seqs(seqs, rows=rows)
            first, last = self._rows_on_screen()
            model.read_stale_rows(first, last)
            return
        bar = self.verticalScrollBar()
        at_top = bar.value() == bar.minimum()
        top_row = self.rowAt(0)
        top_seq = model.seq_at(top_row) if top_row >= 0 else None
        before = bar.value()
        everything = model.rowCount() > 0 and self.selected_count() == model.rowCount()
        model.update_seqs(seqs, rows=rows)
        self.doItemsLayout()
        if everything:  # "all of them" includes the new ones
            self.selectAll()
        if at_top or top_seq is None:
            bar.setValue(bar.minimum())
        else:
            new_row = model.row_of(top_seq)
            if new_row is not None:
                step = (self.verticalHeader().defaultSectionSize()
                        if self.verticalScrollMode() is QAbstractItemView.ScrollMode
                        .ScrollPerPixel else 1)
                bar.setValue(before + (new_row - top_row) * step)


def _table_style(header: QHeaderView) -> TableStyle:
    """A `TableStyle` over the application's style, set on `header` (which owns it)."""
    base = QStyleFactory.create(QApplication.style().name())
    style = TableStyle(base) if base is not None else TableStyle()
    style.setParent(header)
    header.setStyle(style)
    return style


def _spans(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as [start, stop) runs of consecutive rows."""
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and spans[-1][1] == row:
            spans[-1] = (spans[-1][0], row + 1)
        else:
            spans.append((row, row + 1))
    return spans


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
