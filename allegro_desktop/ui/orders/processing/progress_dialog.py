"""`BulkProgressDialog`: a bulk action's progress — a bar, "12 of 40 done · 2 failed", and a
line per order (queued → sent, failed or refused with the reason in the seller's language,
waiting to be tried again, cancelled). Cancel discards what has not been sent yet (the
controller does it); the dialog is not modal: the seller may go on working, or close it while
the rest goes out by itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.errors import Text
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.processing.run import ActionRun, Step
from allegro_desktop.ui.theme import colour

__all__ = ["BulkProgressDialog"]


class BulkProgressDialog(QDialog):
    """The progress of `run` (call `refresh()` when it moved).

    Signals:
        cancel_requested(): the seller clicked Cancel (discard what is not sent yet).
    """

    cancel_requested = Signal()

    def __init__(self, run: ActionRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkProgressDialog")
        self.setModal(False)
        self.setWindowTitle(run.title)
        self.resize(640, 420)
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
        self.orders_list = QTreeWidget(self)
        self.orders_list.setObjectName("bulkOrders")
        self.orders_list.setRootIsDecorated(False)
        self.orders_list.setUniformRowHeights(True)
        self.orders_list.setHeaderLabels([self.tr("Order"), self.tr("State"),
                                          self.tr("Why")])
        header = self.orders_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.orders_list.setColumnWidth(0, 220)
        self._items: list[QTreeWidgetItem] = []
        #: What each line shows (step, reason): `refresh` touches only the lines that moved.
        self._shown: list[tuple[Step, Text | str | None] | None] = [None] * len(run.entries)
        for entry in run.entries:
            item = QTreeWidgetItem([entry.label, "", ""])
            item.setToolTip(0, entry.order_id)
            self._items.append(item)
        self.orders_list.addTopLevelItems(self._items)
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
        error = QBrush(QColor(colour("error.text")))
        step_texts = self._step_texts()
        # The State column fits its texts once, after the loop: left to fit them on every
        # change, it measured every row at each one (500 orders sent: 1.4 s of the GUI thread).
        header = self.orders_list.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        try:
            for index, (entry, item) in enumerate(zip(run.entries, self._items, strict=True)):
                if self._shown[index] == (entry.step, entry.reason):
                    continue
                self._shown[index] = (entry.step, entry.reason)
                item.setText(1, step_texts[entry.step])
                reason = translated(entry.reason) if entry.reason is not None else ""
                item.setText(2, reason)
                item.setToolTip(2, reason)
                bad = entry.step in (Step.FAILED, Step.REFUSED)
                item.setForeground(1, error if bad else item.foreground(0))
        finally:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        unsent = bool(run.unsent_action_ids())
        self.cancel_button.setEnabled(unsent and not run.cancelling)

    def _step_texts(self) -> dict[Step, str]:
        return {
            Step.QUEUED: self.tr("Queued"),
            Step.SENT: self.tr("Sent"),
            Step.FAILED: self.tr("Failed"),
            Step.REFUSED: self.tr("Not possible"),
            Step.LATER: self.tr("Waiting, tried again later"),
            Step.CANCELLED: self.tr("Cancelled"),
        }

    def _on_cancel_clicked(self) -> None:
        self.run.cancelling = True
        self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

