"""`OrdersModel`: the order table's model over SQL (ARCHITECTURE.md "The orders workspace").

What it holds is the *result* of the current query — the ordered seqs (`orders.seq`) of the
orders it selects, in an `array('q')` (8 bytes an order: a million take 8 MB) — plus an LRU
cache of a few thousand `OrderRow`s. The GUI thread never reads the database for a paint: a
row that is not cached shows empty while the block of rows around it (`OrderQueries.rows`, by
primary key: a few milliseconds for 128 rows when the file is in memory, far more when the
disk must be read) is read on a background thread (a `TaskQueue`), newest request first;
when it arrives the rows repaint. The first screen of a new result comes already read
(`reset_seqs(..., rows=)`: the loader reads it with the ids), so a filter or sort change
paints complete rows.

Sorting and filtering are SQL's job: `sort()` does not sort anything, it emits
`sort_requested` and the workspace runs the query again (`OrderListLoader`). Results arrive in
pieces — `reset_seqs` for the first piece of a new query (a model reset), `append_seqs` for
each later one (rows inserted at the end: the view keeps its place while a million ids
stream in) — and after a sync the same query's new result replaces the old with
`update_seqs`, a layout change that moves the persistent indexes (the selection, the current
row) with their orders, by seq. The cached rows then become stale: they stay on screen (no
flicker every two seconds of a long sync) while their fresh versions are read in the
background, as the view asks for them.
"""

from __future__ import annotations

import logging
import struct
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.filters import SELLER_STATUSES, OrderColumn, seller_status
from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.domain.orders import FulfillmentStatus, Money, OrderStatus, PaymentType
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.ui.formatting import (
    datetime_text,
    fulfillment_label,
    marketplace_label,
    money_text,
    payment_type_label,
    seller_status_label,
    status_label,
)
from allegro_desktop.ui.orders.columns import RIGHT_ALIGNED, WINDOW_COLUMNS
from allegro_desktop.ui.orders.processing.texts import (
    FAILED_MARK,
    WAITING_MARK,
    fulfillment_cell,
    marker_tooltip,
)
from allegro_desktop.ui.table_model import TableModel
from allegro_desktop.ui.tasks import TaskQueue

__all__ = ["ROW_ROLE", "SEQ_ROLE", "SHORT_ID", "OrdersModel", "short_order_id"]

log = logging.getLogger("allegro_desktop.ui")

#: `data()` role of an order's seq (int), without fetching its row.
SEQ_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 1
#: `data()` role of the whole `OrderRow` (None if the order is no longer stored).
ROW_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 2

_DISPLAY: Final = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT: Final = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP: Final = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT: Final = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT: Final = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
#: Columns whose first click sorts newest / biggest first (the others A to Z).
_DESCENDING_FIRST: Final = frozenset({OrderColumn.BOUGHT_AT, OrderColumn.QUANTITY,
                                      OrderColumn.TOTAL, OrderColumn.INVOICE})
#: Characters of an order id its cell shows: Allegro's ids are UUIDs (36 characters), and their
#: first eight tell a seller's orders apart (the search finds an order by them, the cell's
#: tooltip, the details panel and a copy have the whole id).
SHORT_ID: Final = 8
#: A moment whose date and time are as wide as any (two-digit day, month and hour).
_SAMPLE_MOMENT: Final = datetime(2026, 12, 28, 22, 58, tzinfo=UTC)
#: Characters of a private note its cell's tooltip shows at most.
_NOTE_TIP: Final = 1000
_ROOT: Final = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex

#: The overload of layout(AboutToBe)Changed that carries a hint: VerticalSortHint lets the
#: selection model keep one persistent index per selected row instead of one per cell.
_LAYOUT_SIGNATURE: Final = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
#: Seqs searched one by one in the bytes of the result (each a fast C scan); more are found
#: with one pass in Python.
_FEW: Final = 64


#: Block reads waiting for the reader beyond which the oldest are dropped (the seller scrolled
#: past them; they are asked again if painted again).
_MAX_WAITING: Final = 4


class _Entry:
    """A cached row, the data version it was read at, and, once shown, its cells' texts
    (formatting is the costly part of a paint, and a view repaints the same rows again and
    again)."""

    __slots__ = ("row", "texts", "version")

    def __init__(self, row: OrderRow, version: int) -> None:
        self.row = row
        self.version = version
        self.texts: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class _Read:
    """A block of rows asked of the background reader."""

    seqs: list[int]
    version: int  # the data version they are read for
    generation: int  # the result they were asked for, and where in it:
    first: int
    last: int


class OrdersModel(TableModel):
    """The order list: one row per seq of the current result, columns `WINDOW_COLUMNS`.

    Roles: DisplayRole (texts formatted for `locale`), ToolTipRole, TextAlignmentRole (numbers
    right), `SEQ_ROLE`, `ROW_ROLE`; a paint asks for a cell's roles in one call (`TableModel`).

    Signals:
        sort_requested(object, bool): the view asked to sort by this `OrderColumn`,
            descending or not; nothing is sorted until a new result arrives.
        rows_read(): the rows asked of the background reader are in, their changed cells
            signalled (repainted at the view's next paint): none is being read any more.
    """

    sort_requested = Signal(object, bool)
    rows_read = Signal()

    def __init__(self, *, queries: OrderQueries, locale: QLocale | None = None,
                 cache_size: int = 4096, block: int = 128,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._locale = locale if locale is not None else QLocale()
        self._cache_size = max(cache_size, block * 2)
        self._block = block
        self._seqs: array[int] = array("q")
        self._cache: OrderedDict[int, _Entry] = OrderedDict()
        self._missing: set[int] = set()  # seqs no longer stored (or unreadable just now)
        self._version = 0  # of the data: cached rows of an older one are stale
        self._generation = 0  # of the result: row numbers of an older one mean nothing
        self._reading: set[int] = set()  # seqs asked of the reader
        self._stopped = False
        self._reader = TaskQueue("order rows", threads=1, newest_first=True,
                                 max_waiting=_MAX_WAITING, parent=self)
        self._account_names: dict[str, str] = {}
        self.columns: tuple[OrderColumn, ...] = WINDOW_COLUMNS
        self._headers = self._header_texts()
        self._header_tips = self._header_tooltips()

    # -- the result -------------------------------------------------------------------------

    @property
    def seqs(self) -> array[int]:
        """The current result (do not change it: use the methods below)."""
        return self._seqs

    def reset_seqs(self, seqs: Iterable[int],
                   rows: Mapping[int, OrderRow] | None = None) -> None:
        """A new result (another filter or sort): a model reset. Cached rows stay (an order's
        row is the same whichever query lists it); `rows`, read with the result (its first
        screen), are added to them."""
        self.beginResetModel()
        self._seqs = array("q", seqs)
        self._generation += 1
        self._add_rows(rows or {}, self._version)
        self.endResetModel()

    def append_seqs(self, seqs: Iterable[int]) -> None:
        """The next piece of the current result, added at the end."""
        piece = array("q", seqs)
        if not piece:
            return
        count = len(self._seqs)
        self.beginInsertRows(QModelIndex(), count, count + len(piece) - 1)
        self._seqs.extend(piece)
        self.endInsertRows()

    def update_seqs(self, seqs: Iterable[int],
                    rows: Mapping[int, OrderRow] | None = None) -> None:
        """The same query's new result after the database changed (a sync): the selection,
        the current index and every other persistent index follow their orders by seq (an
        order no longer listed loses its index), and the cached rows become stale (shown
        until their new versions are read; `rows` are new already)."""
        new = array("q", seqs)
        if new == self._seqs:
            # Nothing moved (an order action's end, a sync that changed none of the listed
            # orders' places): no layout change, which would make the selection model save
            # and restore every selected cell — tens of ms for a selection of hundreds — and
            # only the rows that changed repaint.
            self._version += 1
            self._missing.clear()
            self._replace_rows(rows or {})
            return
        hint = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
        self.layoutAboutToBeChanged[_LAYOUT_SIGNATURE].emit([], hint)  # type: ignore[index]
        old_indexes = self.persistentIndexList()
        old = self._seqs
        was_at = {old[index.row()]: index.row() for index in old_indexes
                  if 0 <= index.row() < len(old)}
        positions = _moved_positions(new, was_at, shift=len(new) - len(old))
        self._seqs = new
        self._generation += 1
        self._version += 1
        self._missing.clear()
        self._add_rows(rows or {}, self._version)
        new_indexes = []
        for index in old_indexes:
            row = positions.get(old[index.row()]) if 0 <= index.row() < len(old) else None
            new_indexes.append(QModelIndex() if row is None
                               else self.index(row, index.column()))
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged[_LAYOUT_SIGNATURE].emit([], hint)  # type: ignore[index]

    def clear(self) -> None:
        self.reset_seqs(())

    def forget_rows(self) -> None:
        """The orders changed, the list did not: the cached rows become stale and the view
        repaints (reading their new versions in the background)."""
        self._version += 1
        self._missing.clear()
        if self._seqs:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._seqs) - 1, len(self.columns) - 1))

    def refresh_rows(self, first: int, last: int) -> None:
        """The orders changed, the list did not, and rows `first`..`last` (those on screen)
        are what matters now: they are read again in the background and repainted where
        they changed; the other cached rows become stale (read again when shown). Nothing
        repaints until then — an order action's progress calls it every half second."""
        self._version += 1
        self._missing.clear()
        self.read_stale_rows(first, last)

    def read_stale_rows(self, first: int, last: int) -> None:
        """Read rows `first`..`last` in the background where they are stale or not cached
        (repainted where they changed)."""
        first, last = max(0, first), min(len(self._seqs) - 1, last)
        if first <= last:
            self._read_rows(first, last + 1)

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Stop reading rows in the background (call before the database closes) and wait
        for the read under way; False if it did not end in time. Rows not cached then show
        empty."""
        self._stopped = True
        self._reading.clear()
        return self._reader.shutdown(timeout_ms)

    def is_reading(self) -> bool:
        """Whether rows are being read in the background for the view."""
        return bool(self._reading)

    # -- lookups ----------------------------------------------------------------------------

    def seq_at(self, row: int) -> int:
        return self._seqs[row]

    def row_of(self, seq: int) -> int | None:
        """The row of an order in the current result, None if it is not listed."""
        return _positions(self._seqs, {seq}).get(seq)

    def rows_of(self, seqs: Iterable[int]) -> dict[int, int]:
        """The rows of these orders (those listed) by seq."""
        return _positions(self._seqs, set(seqs))

    def order_at(self, row: int) -> OrderRow | None:
        """The row of the order shown at `row`, up to date (read now, on this thread, if it
        is not cached or stale: the caller needs it at once); None if no longer stored."""
        if not 0 <= row < len(self._seqs):
            return None
        seq = self._seqs[row]
        entry = self._cache.get(seq)
        if entry is not None and entry.version == self._version:
            return entry.row
        try:
            found = self._queries.rows([seq])
        except AppError as exc:
            log.warning("an order row could not be read: %s", exc)
            return None if entry is None else entry.row
        self._add_rows(found, self._version)
        if seq not in found:
            self._missing.add(seq)
            self._cache.pop(seq, None)
        return found.get(seq)

    def orders_at(self, rows: Sequence[int]) -> list[OrderRow | None]:
        """The rows at these row numbers, in that order, fetching the uncached ones in bulk
        without flooding the cache (for copying or exporting a big selection)."""
        seqs = [self._seqs[row] for row in rows]
        fresh = {seq: entry.row for seq in seqs
                 if (entry := self._cache.get(seq)) is not None
                 and entry.version == self._version}
        wanted = [seq for seq in seqs if seq not in fresh]
        fetched = self._queries.rows(wanted) if wanted else {}
        return [fresh[seq] if seq in fresh else fetched.get(seq) for seq in seqs]

    def column_of(self, column: OrderColumn) -> int:
        return self.columns.index(column)

    def set_account_names(self, names: Mapping[str, str]) -> None:
        """How the Account column names each account (key -> login); unknown keys show as
        they are."""
        self._account_names = dict(names)
        for entry in self._cache.values():
            entry.texts = None
        if self._seqs:
            column = self.column_of(OrderColumn.ACCOUNT)
            self.dataChanged.emit(self.index(0, column),
                                  self.index(len(self._seqs) - 1, column))

    def header_text(self, column: OrderColumn) -> str:
        return self._headers[column]

    def widest_texts(self, column: OrderColumn) -> list[str]:
        """The longest texts `column` shows, for its default width (columns of free text,
        of any length: none; ui/orders/columns.py gives them a number of characters)."""
        locale = self._locale
        if column is OrderColumn.BOUGHT_AT:
            return [datetime_text(_SAMPLE_MOMENT, locale)]
        if column is OrderColumn.ORDER_ID:
            return [short_order_id("d" * 36)]
        if column is OrderColumn.QUANTITY:
            return [locale.toString(999)]
        if column is OrderColumn.TOTAL:
            return [money_text(Money(Decimal("99999.99"), currency), locale)
                    for currency in ("PLN", "EUR", "CZK", "HUF")]
        if column is OrderColumn.PAYMENT:
            kinds = [payment_type_label(kind) for kind in PaymentType]
            return [self.tr("Not paid"), *kinds,
                    *(self.tr("%1, not paid").replace("%1", kind) for kind in kinds)]
        if column is OrderColumn.STAGE:  # (a rare waiting mark may cut the longest)
            return [seller_status_label(code) for code in SELLER_STATUSES]
        if column is OrderColumn.STATUS:
            return [status_label(status) for status in OrderStatus]
        if column is OrderColumn.FULFILLMENT:
            return [f"{WAITING_MARK} {fulfillment_label(status)}"
                    for status in FulfillmentStatus]
        if column is OrderColumn.INVOICE:
            return [self.tr("Yes")]
        if column is OrderColumn.MARKETPLACE:
            return [marketplace_label("allegro-pl")]
        return []

    def texts(self, order: OrderRow) -> tuple[str, ...]:
        """The cells of an order as the table shows them, one per column of `columns`."""
        return tuple(self._text(order, column) for column in self.columns)

    # -- QAbstractItemModel -----------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._seqs)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times a paint: plain int comparisons, most frequent first.
        if role == _DISPLAY:
            entry = self._entry(index.row())
            if entry is None:
                return None
            texts = entry.texts
            if texts is None:
                texts = entry.texts = self.texts(entry.row)
            return texts[index.column()]
        if role == _ALIGNMENT:
            column = index.column()
            if column < 0:
                return None
            return _RIGHT if self.columns[column] in RIGHT_ALIGNED else _LEFT
        if role == SEQ_ROLE:
            return self._seqs[index.row()] if 0 <= index.row() < len(self._seqs) else None
        if role == _TOOLTIP:
            entry = self._entry(index.row())
            return None if entry is None else self._tooltip(entry.row,
                                                            self.columns[index.column()])
        if role == ROW_ROLE:
            entry = self._entry(index.row())
            return None if entry is None else entry.row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tips.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in RIGHT_ALIGNED else _LEFT
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return (Qt.SortOrder.DescendingOrder if column in _DESCENDING_FIRST
                    else Qt.SortOrder.AscendingOrder)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Asks for a new query (see the module's docstring); sorts nothing itself."""
        if 0 <= column < len(self.columns):
            self.sort_requested.emit(self.columns[column],
                                     order == Qt.SortOrder.DescendingOrder)

    # -- the row cache ----------------------------------------------------------------------

    def _entry(self, row: int) -> _Entry | None:
        """The cached row at `row`, or None (then read in the background if it exists); a
        stale one is returned as it is and read again."""
        if not 0 <= row < len(self._seqs):
            return None
        seq = self._seqs[row]
        entry = self._cache.get(seq)
        if entry is not None:
            self._cache.move_to_end(seq)
            if entry.version != self._version and seq not in self._reading:
                self._read_around(row)
            return entry
        if seq not in self._missing and seq not in self._reading:
            self._read_around(row)
        return None

    def _read_around(self, row: int) -> None:
        """Ask the background reader for the rows of the block around `row` that are not
        cached, or stale: a quarter before it (scrolling up), the rest after (a paint asks
        top-down)."""
        start = max(0, min(row - self._block // 4, len(self._seqs) - self._block))
        self._read_rows(start, start + self._block)

    def _read_rows(self, start: int, stop: int) -> None:
        """Ask the background reader for the rows start..stop-1 not cached, or stale."""
        if self._stopped:
            return
        block = self._seqs[start:stop]
        cache, version = self._cache, self._version
        wanted = [seq for seq in block
                  if seq not in self._reading and seq not in self._missing
                  and ((entry := cache.get(seq)) is None or entry.version != version)]
        if not wanted:
            return
        self._reading.update(wanted)
        read = _Read(seqs=wanted, version=version, generation=self._generation,
                     first=start, last=start + len(block) - 1)
        queries = self._queries
        # The reader serves the newest block asked (the rows on screen now); beyond
        # _MAX_WAITING the oldest block waiting is dropped.
        self._reader.submit(lambda _task: queries.rows(read.seqs),
                            done=lambda found: self._on_read_done(read, found),
                            failed=lambda error: self._on_read_failed(read, error),
                            dropped=lambda: self._on_read_dropped(read))

    def _on_read_dropped(self, read: _Read) -> None:
        """Not read after all: if its rows are still on screen, the repaint asks again."""
        self._reading.difference_update(read.seqs)
        self._rows_changed(read)
        self._after_read()

    def _on_read_failed(self, read: _Read, error: Exception) -> None:
        if isinstance(error, AppError):  # a bug is logged with its traceback by the reader
            log.warning("order rows could not be read: %s", error)
        self._on_read_done(read, None)

    def _on_read_done(self, read: _Read, found: dict[int, OrderRow] | None) -> None:
        self._apply_read(read, found)
        self._after_read()

    def _after_read(self) -> None:
        if not self._reading:
            self.rows_read.emit()

    def _apply_read(self, read: _Read, found: dict[int, OrderRow] | None) -> None:
        self._reading.difference_update(read.seqs)
        if found is None:
            # Shown as they were (or empty); the next refresh (which forgets `_missing`)
            # tries again.
            self._missing.update(seq for seq in read.seqs if seq not in self._cache)
            self._rows_changed(read)
            return
        cache = self._cache
        shown = {seq: entry for seq in read.seqs if (entry := cache.get(seq)) is not None}
        self._add_rows(found, read.version)
        for seq in read.seqs:
            if seq not in found:  # no longer stored
                self._missing.add(seq)
                cache.pop(seq, None)
        stale = read.version != self._version
        if stale and read.generation != self._generation:
            # Read before the list changed: repainted wherever they are now, so that the view
            # asks for them again.
            self._rows_changed(read)
            return
        changed = [seq for seq in read.seqs
                   if (was := shown.get(seq)) is None or found.get(seq) != was.row]
        if changed:  # a row read again as it was shown needs no repaint
            repaint, columns = self._changed_cells(shown, changed)
            if repaint:
                self._rows_changed(read, sorted(repaint), columns)
        if stale:
            # Read before the data changed again, and a refresh asked meanwhile skipped the
            # rows being read: read again now. Repainting the whole rows instead, so that the
            # view asked for them, cost 20-60 ms while orders were being sent.
            self._read_rows(read.first, read.last + 1)

    def _rows_changed(self, read: _Read, seqs: Sequence[int] | None = None,
                      columns: Sequence[int] | None = None) -> None:
        """Repaint the rows of a read (done or dropped; `seqs`: only these of them; `columns`:
        only the cells of these columns)."""
        count = len(self._seqs)
        if not count:
            return
        if read.generation == self._generation and seqs is not None:
            block = self._seqs[read.first:read.last + 1]
            self._repaint([read.first + row for row in _positions(block, set(seqs)).values()],
                          columns)
            return
        if read.generation == self._generation:
            first, last = max(0, read.first), min(count - 1, read.last)
        else:  # another result since: wherever the rows are now
            first, last = 0, count - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(last, len(self.columns) - 1))

    def _repaint(self, rows: Sequence[int], columns: Sequence[int] | None) -> None:
        """Repaint the cells of `columns` (None: all) in `rows`: a signal a column, which a
        view repaints as that column's strip (for a range of several columns Qt's views
        repaint all of them in between: the whole width when the columns were moved)."""
        if not rows:
            return
        top, bottom = min(rows), max(rows)
        if columns is None:
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(self.columns) - 1))
            return
        for column in columns:
            self.dataChanged.emit(self.index(top, column), self.index(bottom, column))

    def _changed_cells(self, shown: Mapping[int, _Entry], seqs: Iterable[int],
                       ) -> tuple[set[int], list[int] | None]:
        """Of `seqs`, whose rows `shown` were cached before and are cached anew now: the ones
        to repaint, and their columns whose cells differ (None: all). A bulk status change
        alters the status columns of the rows on screen: repainting whole rows cost several
        times more, with the sync thread sending meanwhile. A row never painted (its texts
        never formatted) shows nothing to correct: neither compared nor repainted — formatting
        the hundred rows a result brings took the window's thread 40 ms. Texts compared, and
        the tags' chips."""
        cache, columns = self._cache, self.columns
        repaint: set[int] = set()
        changed: set[int] = set()
        every = False
        tags = columns.index(OrderColumn.TAGS) if OrderColumn.TAGS in columns else -1
        for seq in seqs:
            was, now = shown.get(seq), cache.get(seq)
            if was is None or now is None:  # not cached before: perhaps shown empty
                repaint.add(seq)
                every = True
                continue
            if was.texts is None:
                continue
            if now.texts is None:
                now.texts = self.texts(now.row)
            differ = [column for column, (old, new)
                      in enumerate(zip(was.texts, now.texts, strict=True))
                      if old != new or (column == tags and was.row.tags != now.row.tags)]
            if differ:
                repaint.add(seq)
                changed.update(differ)
        return repaint, None if every or not changed else sorted(changed)

    def _replace_rows(self, rows: Mapping[int, OrderRow]) -> None:
        """Cache rows just read with the result (its first screen: the head of `seqs`) and
        repaint those that differ from what was shown."""
        cache = self._cache
        shown = {seq: entry for seq in rows if (entry := cache.get(seq)) is not None}
        changed = {seq for seq, row in rows.items()
                   if (entry := shown.get(seq)) is None or entry.row != row}
        self._add_rows(rows, self._version)
        if not changed:
            return
        repaint, columns = self._changed_cells(shown, changed)
        if not repaint:
            return
        places = [row for row, seq in enumerate(self._seqs[:len(rows)]) if seq in repaint]
        if len(places) < len(repaint):  # not all at the head after all: repaint them all
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._seqs) - 1, len(self.columns) - 1))
            return
        self._repaint(places, columns)

    def _add_rows(self, rows: Mapping[int, OrderRow], version: int) -> None:
        """Cache rows read at `version` (never over a newer read of the same order)."""
        cache = self._cache
        for seq, order in rows.items():
            entry = cache.get(seq)
            if entry is None or entry.version <= version:
                fresh = cache[seq] = _Entry(order, version)
                if entry is not None and entry.row == order:
                    # Read again as it was: its texts are still what the view shows (a row
                    # without texts counts as never painted: `_changed_cells`).
                    fresh.texts = entry.texts
                cache.move_to_end(seq)
            self._missing.discard(seq)
        while len(cache) > self._cache_size:
            cache.popitem(last=False)

    # -- texts ------------------------------------------------------------------------------

    def _text(self, order: OrderRow, column: OrderColumn) -> str:  # noqa: C901 - one case per column
        locale = self._locale
        if column is OrderColumn.BOUGHT_AT:
            return datetime_text(order.bought_at, locale)
        if column is OrderColumn.ORDER_ID:
            return short_order_id(order.id)
        if column is OrderColumn.BUYER_LOGIN:
            return order.buyer_login or ""
        if column is OrderColumn.BUYER_NAME:
            return order.display_name or ""
        if column is OrderColumn.ITEMS:
            return order.items_summary
        if column is OrderColumn.QUANTITY:
            return locale.toString(order.quantity)
        if column is OrderColumn.TOTAL:
            return money_text(order.total, locale)
        if column is OrderColumn.PAYMENT:
            return self._payment_text(order)
        if column is OrderColumn.STAGE:
            return self._stage_text(order)
        if column is OrderColumn.STATUS:
            return status_label(order.status)
        if column is OrderColumn.FULFILLMENT:
            return fulfillment_cell(order)  # the status being set, and a waiting/failed mark
        if column is OrderColumn.DELIVERY:
            return order.delivery_method or ""
        if column is OrderColumn.CITY:
            return order.city or ""
        if column is OrderColumn.INVOICE:
            return self.tr("Yes") if order.invoice_required else ""
        if column is OrderColumn.MARKETPLACE:
            return marketplace_label(order.marketplace_id)
        if column is OrderColumn.ACCOUNT:
            return self._account_names.get(order.account_key, order.account_key)
        if column is OrderColumn.TAGS:  # painted as chips (labels/chips.py); copied as text
            return ", ".join(tag.name for tag in order.tags)
        if column is OrderColumn.PRIVATE_NOTE:
            return order.private_note_line or ""
        return ""  # pragma: no cover - the table shows WINDOW_COLUMNS only

    @staticmethod
    def _stage_text(order: OrderRow) -> str:
        """The Status cell: the one status a seller reads — of the fulfillment status the order
        is being given while a change of the seller's is under way, marked as the Fulfillment
        cell is (processing/texts.py `fulfillment_cell`)."""
        mark = order.actions
        fulfillment = (mark.pending_status if mark is not None else None) \
            or order.fulfillment_status
        label = seller_status_label(seller_status(order.status, fulfillment))
        state = None if mark is None else mark.state
        if state is ActionState.FAILED:
            return f"{FAILED_MARK} {label}"
        if state is ActionState.WAITING:
            return f"{WAITING_MARK} {label}"
        return label

    def _payment_text(self, order: OrderRow) -> str:
        kind = payment_type_label(order.payment_type)
        if not kind:
            return self.tr("Not paid") if order.paid_at is None else ""
        if order.payment_type == PaymentType.CASH_ON_DELIVERY:
            return kind
        if order.paid:
            return self.tr("%1, paid").replace("%1", kind)
        return self.tr("%1, not paid").replace("%1", kind)

    def _tooltip(self, order: OrderRow, column: OrderColumn) -> str | None:
        if column is OrderColumn.ORDER_ID:
            return self.tr("%1\nCtrl+C copies the whole id").replace("%1", order.id)
        if column is OrderColumn.STAGE:
            return marker_tooltip(order) or self.tr("On Allegro: %1 · %2").replace(
                "%1", status_label(order.status)).replace(
                "%2", fulfillment_label(order.fulfillment_status) or "—")
        if column is OrderColumn.ITEMS:
            return order.items_summary or None
        if column is OrderColumn.BUYER_LOGIN and order.buyer_guest:
            return self.tr("Bought without an Allegro account")
        if column is OrderColumn.BUYER_NAME and order.buyer_company:
            return order.buyer_company if not order.buyer_name else \
                f"{order.buyer_name}\n{order.buyer_company}"
        if column is OrderColumn.PAYMENT and order.paid_at is not None:
            return self.tr("Paid %1").replace("%1", datetime_text(order.paid_at, self._locale))
        if column is OrderColumn.DELIVERY and order.pickup_point_name:
            return order.pickup_point_name
        if column is OrderColumn.ACCOUNT:
            return order.account_key
        if column in (OrderColumn.FULFILLMENT, OrderColumn.STATUS):
            return marker_tooltip(order)
        if column is OrderColumn.TAGS:
            return ", ".join(tag.name for tag in order.tags) or None
        if column is OrderColumn.PRIVATE_NOTE and order.private_note:
            return order.private_note[:_NOTE_TIP]
        return None

    def _header_texts(self) -> dict[OrderColumn, str]:
        return {
            OrderColumn.BOUGHT_AT: self.tr("Purchased"),
            OrderColumn.ORDER_ID: self.tr("Order"),
            OrderColumn.BUYER_LOGIN: self.tr("Buyer login"),
            OrderColumn.BUYER_NAME: self.tr("Buyer"),
            OrderColumn.ITEMS: self.tr("Items"),
            OrderColumn.QUANTITY: self.tr("Qty"),
            OrderColumn.TOTAL: self.tr("Total"),
            OrderColumn.PAYMENT: self.tr("Payment"),
            OrderColumn.STAGE: self.tr("Status"),
            OrderColumn.STATUS: self.tr("Purchase status"),
            OrderColumn.FULFILLMENT: self.tr("Fulfillment status"),
            OrderColumn.DELIVERY: self.tr("Delivery"),
            OrderColumn.CITY: self.tr("City"),
            OrderColumn.INVOICE: self.tr("Invoice"),
            OrderColumn.MARKETPLACE: self.tr("Marketplace"),
            OrderColumn.ACCOUNT: self.tr("Account"),
            OrderColumn.TAGS: self.tr("Tags"),
            OrderColumn.PRIVATE_NOTE: self.tr("Private note"),
        }

    def _header_tooltips(self) -> dict[OrderColumn, str]:
        return {
            OrderColumn.BOUGHT_AT: self.tr("When the buyer bought (your time zone)"),
            OrderColumn.ORDER_ID: self.tr("Allegro's order number (checkout form id)"),
            OrderColumn.QUANTITY: self.tr("How many pieces were bought in all"),
            OrderColumn.TOTAL: self.tr("What the buyer pays, delivery included. Sorted by "
                                       "currency, then amount"),
            OrderColumn.STAGE: self.tr(
                "Where the order stands: to send, sent, unpaid, cancelled… (from Allegro's "
                "purchase and fulfillment statuses, which the details show). Sorting by it "
                "reads every order: a second or two in a very big shop"),
            OrderColumn.STATUS: self.tr("Allegro's purchase status, the buyer's side: bought, "
                                        "paid or cancelled"),
            OrderColumn.FULFILLMENT: self.tr("Allegro's fulfillment status, your side: the "
                                             "status you set on Allegro"),
            OrderColumn.INVOICE: self.tr("Whether the buyer asked for an invoice"),
            OrderColumn.ACCOUNT: self.tr("The Allegro account that sold it"),
            OrderColumn.TAGS: self.tr("Your tags (Ctrl+G). Sorting by them reads every order: "
                                      "a few seconds in a very big shop"),
            OrderColumn.PRIVATE_NOTE: self.tr(
                "The first line of your private note. Sorting by it reads every order: a few "
                "seconds in a very big shop"),
        }


def short_order_id(order_id: str) -> str:
    """An order id as the table shows it: its first `SHORT_ID` characters, "…" after them."""
    return order_id if len(order_id) <= SHORT_ID + 1 else order_id[:SHORT_ID] + "…"


def _moved_positions(seqs: array[int], was_at: dict[int, int], *,
                     shift: int) -> dict[int, int]:
    """Where the orders of `was_at` (seq -> old row) are in the new result `seqs`. Most
    are where they were, or `shift` rows further (the new orders arrived on top), or moved
    as their neighbour did: those are checked first, the rest searched for."""
    found: dict[int, int] = {}
    last_move = shift
    for seq, row in sorted(was_at.items(), key=lambda item: item[1]):
        for move in (last_move, shift, 0):
            if 0 <= row + move < len(seqs) and seqs[row + move] == seq:
                found[seq] = row + move
                last_move = move
                break
    rest = set(was_at) - set(found)
    if rest:
        found.update(_positions(seqs, rest))
    return found


def _positions(seqs: array[int], wanted: set[int]) -> dict[int, int]:
    """Where each of `wanted` is in `seqs` (those present). A seq's 8 bytes are searched in
    the array's bytes — a C scan, about a millisecond per million — for a few; one Python pass
    for many."""
    if not wanted or not seqs:
        return {}
    found: dict[int, int] = {}
    if len(wanted) <= _FEW:
        data = seqs.tobytes()
        for seq in wanted:
            needle = struct.pack("=q", seq)
            start = 0
            while (at := data.find(needle, start)) >= 0:
                if at % 8 == 0:
                    found[seq] = at // 8
                    break
                start = at + 1
        return found
    for row, seq in enumerate(seqs):
        if seq in wanted:
            found[seq] = row
    return found
