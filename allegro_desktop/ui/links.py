"""Opening a web page or a folder through the desktop — and what the seller gets when the
desktop cannot: a small box with the address (or the path) to copy, instead of a click that
does nothing (no browser, no file manager, a desktop with no handler for links).

`open_link` is the one way the window opens something outside itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["LinkDialog", "open_link"]

log = logging.getLogger("allegro_desktop.ui")


class LinkDialog(QDialog):
    """The address the desktop could not open, selected in a read-only field, with Copy."""

    def __init__(self, url: QUrl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkDialog")
        local = url.isLocalFile()
        self.setWindowTitle(self.tr("Open it yourself") if not local
                            else self.tr("Open the folder yourself"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "This desktop has no browser the app can start. Copy the address and open it in "
            "a browser:") if not local else self.tr(
            "This desktop has no file manager the app can start. The place is:"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.address = QLineEdit(url.toLocalFile() if local else url.toString(), self)
        self.address.setObjectName("linkAddress")
        self.address.setReadOnly(True)
        self.address.setMinimumWidth(
            min(self.address.fontMetrics().horizontalAdvance(self.address.text()) + 24, 640))
        self.address.selectAll()
        layout.addWidget(self.address)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyLink")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.copy_button.setDefault(True)
        self.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.address.text())
        self.copy_button.setText(self.tr("Copied"))


def open_link(url: QUrl, parent: QWidget) -> LinkDialog | None:
    """Open `url` (a web page, or a local folder or file) with the desktop's own program; when
    it cannot, show the address to copy (window-modal over `parent`, not blocking) and
    return that box."""
    if QDesktopServices.openUrl(url):
        return None
    log.info("the desktop could not open a %s address: it is shown to copy",
             "local" if url.isLocalFile() else url.scheme())
    dialog = LinkDialog(url, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
