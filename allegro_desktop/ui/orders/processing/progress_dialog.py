"""`BulkProgressDialog`: a bulk action's progress — a bar, "12 of 40 done · 2 failed", and a
line per order (queued → sent, failed or refused with the reason in the seller's language,
waiting to be tried again, cancelled). Cancel discards what has not been sent yet (the
controller does it); the dialog is not modal: the seller may go on working, or close it while
the rest goes out by itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.errors import Text
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.processing.run import ActionRun, RunEntry, Step
from allegro_desktop.ui.table_model import TableModel
from allegro_desktop.ui.theme import colour

__all__ = ["BulkProgressDialog"]

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_BAD = (Step.FAILED, Step.REFUSED)


class _RunLines(TableModel):
    """The run's orders as lines (order, state, why), read from its entries when painted:
    a refresh is one `dataChanged` for the lines that moved, however many there are."""

    def __init__(self, run: ActionRun, step_texts: dict[Step, str],
                 headers: tuple[str, str, str], row_height: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._entries: list[RunEntry] = run.entries
        self._step_texts = step_texts
        self._headers = headers
        self._error = QBrush(QColor(colour("error.text")))
        #: A line's height: the text's with air above and below, as the orders table's rows.
        self._line = QSize(0, row_height)

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return entry.order_id if role == Qt.ItemDataRole.ToolTipRole else entry.label
            if column == 1:
                return self._step_texts[entry.step]
            return translated(entry.reason) if entry.reason is not None else ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and entry.step in _BAD:
            return self._error
        if role == Qt.ItemDataRole.SizeHintRole:
            return self._line
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < 3):
            return self._headers[section]
        return None

    def lines_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, 2))

class BulkProgressDialog(QDialog):
    """The progress of `run` (call `refresh()` when it moved).

    Signals:
        cancel_requested(): the seller clicked Cancel (discard what is not sent yet).
        painted(): the dialog was painted for the first time (its sending may begin: the
            two together kept the window's thread busy for longer than a frame).
    """

    cancel_requested = Signal()
    painted = Signal()

    def __init__(self, run: ActionRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkProgressDialog")
        self.setModal(False)
        self._painted = False
        self.setWindowTitle(run.title)
        self.resize(800, 440)
        self.run = run
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("bulkSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("bulkProgress")
        self.progress_bar.setRange(0, max(len(run.entries), 1))
        layout.addWidget(self.progress_bar)
        self.orders_list = QTreeView(self)
        self.orders_list.setObjectName("bulkOrders")
        self.orders_list.setRootIsDecorated(False)
        self.orders_list.setUniformRowHeights(True)
        self.orders_list.setItemsExpandable(False)
        step_texts = self._step_texts()
        self.lines = _RunLines(run, step_texts,
                               (self.tr("Order"), self.tr("State"), self.tr("Why")),
                               self.orders_list.fontMetrics().height() + 8, self)
        self.orders_list.setModel(self.lines)
        header = self.orders_list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.orders_list.setColumnWidth(0, 180)
        # The State column fits the longest of its few texts, measured once: fitting it to
        # its contents measured every line at each change (500 orders: seconds of the GUI
        # thread).
        view = self.orders_list
        padding = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                None, view) + 1)
        widest = max(view.fontMetrics().horizontalAdvance(text) for text in step_texts.values())
        view.setColumnWidth(1, max(widest + padding + 8, header.sectionSizeHint(1)))
        #: What each line showed at the last refresh (step, reason): a refresh repaints only
        #: the lines between the first and the last that moved.
        self._shown: list[tuple[Step, Text | str | None] | None] = [None] * len(run.entries)
        layout.addWidget(self.orders_list, 1)
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = QPushButton(self.tr("Cancel the rest"), self)
        self.cancel_button.setObjectName("bulkCancel")
        self.cancel_button.setToolTip(self.tr(
            "Discard what has not been sent to Allegro yet (what was sent stays)"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("bulkClose")
        self.close_button.setToolTip(self.tr(
            "Close this window; what is queued is still sent"))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def refresh(self) -> None:
        """Show where the run is now."""
        run = self.run
        total = len(run.entries)
        self.progress_bar.setValue(run.done)
        parts = [self.tr("%1 of %2 done").replace("%1", str(run.done)).replace(
            "%2", str(total)),
            self.tr("%n sent", "", run.count(Step.SENT))]
        for step, text in ((Step.FAILED, self.tr("%n failed", "", run.count(Step.FAILED))),
                           (Step.REFUSED, self.tr("%n not possible", "",
                                                  run.count(Step.REFUSED))),
                           (Step.LATER, self.tr("%n to be tried again", "",
                                                run.count(Step.LATER))),
                           (Step.CANCELLED, self.tr("%n cancelled", "",
                                                    run.count(Step.CANCELLED)))):
            if run.count(step):
                parts.append(text)
        self.summary_label.setText("  ·  ".join(parts))
        moved = [index for index, entry in enumerate(run.entries)
                 if self._shown[index] != (entry.step, entry.reason)]
        for index in moved:
            entry = run.entries[index]
            self._shown[index] = (entry.step, entry.reason)
        if moved:
            self.lines.lines_changed(moved[0], moved[-1])
        unsent = bool(run.unsent_action_ids())
        self.cancel_button.setEnabled(unsent and not run.cancelling)

    def _step_texts(self) -> dict[Step, str]:
        return {
            Step.QUEUED: self.tr("Queued"),
            # "to Allegro": not to be read as the order's own status "Sent" (shipped).
            Step.SENT: self.tr("Sent to Allegro"),
            Step.FAILED: self.tr("Failed"),
            Step.REFUSED: self.tr("Not possible"),
            Step.LATER: self.tr("Waiting, tried again later"),
            Step.CANCELLED: self.tr("Cancelled"),
        }

    def _on_cancel_clicked(self) -> None:
        self.run.cancelling = True
        self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

