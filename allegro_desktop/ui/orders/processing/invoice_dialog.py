"""`InvoiceDialog`: "Attach invoice (PDF)" for one order whose buyer asked for an invoice — the
PDF chosen (`choose_invoice_file`, a file dialog filtered to PDF files; "Change…" chooses
another) and the invoice's number, optional. It only asks: the controller queues what was asked
for (`OrderActions.queue_invoice` reads the file, copies its bytes into the profile and refuses
an empty file, one that is not a PDF or is larger than Allegro takes, with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.ui.formatting import size_text, unbroken
from allegro_desktop.ui.save_path import ask_open_path

__all__ = ["InvoiceDialog", "InvoiceInput", "choose_invoice_file"]

#: The width (pixels) the file's name takes at most; a longer one is shortened in the middle
#: (the whole path is the label's tooltip).
_NAME_WIDTH: Final = 260


@dataclass(frozen=True)
class InvoiceInput:
    """What the seller chose: the PDF and the invoice's number ("" when none)."""

    path: Path
    invoice_number: str


def choose_invoice_file(parent: QWidget, folder: Path | None = None) -> Path | None:
    """Ask for the invoice's PDF (None: the seller cancelled)."""
    return ask_open_path(
        parent, QCoreApplication.translate("InvoiceDialog", "Choose the invoice (PDF)"),
        QCoreApplication.translate("InvoiceDialog", "PDF files (*.pdf *.PDF)"), folder=folder)


class InvoiceDialog(QDialog):
    """The dialog (see the module) for the order `order_label`, the file `path` chosen."""

    def __init__(self, *, order_label: str, path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("invoiceDialog")
        self.setWindowTitle(self.tr("Attach invoice (PDF)"))
        self.setMinimumWidth(480)
        self._path = path

        layout = QVBoxLayout(self)
        # unbroken: a long line wraps before the "(id)", never inside it ("…-11f1-⏎adae-…")
        heading = QLabel(self.tr("Order: %1").replace("%1", unbroken(order_label)), self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        file_row = QHBoxLayout()
        self.file_label = QLabel(self)
        self.file_label.setObjectName("invoiceFile")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        file_row.addWidget(self.file_label, 1)
        self.change_button = QPushButton(self.tr("C&hange…"), self)
        self.change_button.setObjectName("changeInvoiceFile")
        self.change_button.clicked.connect(self._change_file)
        file_row.addWidget(self.change_button)
        form.addRow(self.tr("File:"), file_row)
        self.number_edit = QLineEdit(self)
        self.number_edit.setObjectName("invoiceNumberEdit")
        self.number_edit.setPlaceholderText(self.tr("Optional, e.g. FV 12/2026"))
        form.addRow(self.tr("Invoice &number:"), self.number_edit)
        layout.addLayout(form)
        note = QLabel(self.tr("Allegro shows the invoice to the buyer. A copy of the file is "
                              "kept until it is sent: the file itself may be moved."), self)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.attach_button = self.buttons.addButton(self.tr("Attach"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.attach_button.setObjectName("attachInvoiceButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show_file()
        self.number_edit.setFocus()

    def values(self) -> InvoiceInput:
        return InvoiceInput(path=self._path, invoice_number=self.number_edit.text().strip())

    def _show_file(self) -> None:
        try:
            size = size_text(self._path.stat().st_size, QLocale())
        except OSError:
            size = ""
        name = self.file_label.fontMetrics().elidedText(
            self._path.name, Qt.TextElideMode.ElideMiddle, _NAME_WIDTH)
        self.file_label.setText(f"{name} ({size})" if size else name)
        self.file_label.setToolTip(str(self._path))

    def _change_file(self) -> None:
        chosen = choose_invoice_file(self, self._path.parent)
        if chosen is not None:
            self._path = chosen
            self._show_file()
