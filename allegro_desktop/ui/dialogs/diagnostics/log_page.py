"""The Diagnostics dialog's Log tab: the log file's last lines (`config/logging_setup.py` writes
it, redacted) from the chosen level up, with Refresh and "Open log folder". Reading at most half
a megabyte from the end of a local file takes milliseconds: it is done on the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.logging_setup import line_level, read_log_tail
from allegro_desktop.ui.links import open_link

__all__ = ["LogPage"]

#: What the Log tab shows.
VIEW_LOG_LINES: Final = 1000


class LogPage(QWidget):
    """The Log tab: the log file's last lines from the chosen level up, Refresh, and "Open log
    folder".

    Signals: none.
    """

    def __init__(self, *, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show:"), self))
        self._level = QComboBox(self)
        self._level.setObjectName("logLevelFilter")
        for text, level in ((self.tr("Everything"), logging.DEBUG),
                            (self.tr("Information and above"), logging.INFO),
                            (self.tr("Warnings and errors"), logging.WARNING),
                            (self.tr("Errors only"), logging.ERROR)):
            self._level.addItem(text, level)
        self._level.setCurrentIndex(1)
        self._level.currentIndexChanged.connect(self._on_level_changed)
        row.addWidget(self._level)
        row.addStretch(1)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.setObjectName("logRefreshButton")
        refresh.clicked.connect(self._on_refresh_clicked)
        row.addWidget(refresh)
        folder = QPushButton(self.tr("Open log folder"), self)
        folder.setObjectName("openLogFolderButton")
        folder.setToolTip(str(log_file.parent))
        folder.clicked.connect(self._on_open_folder_clicked)
        row.addWidget(folder)
        layout.addLayout(row)
        self._view = QPlainTextEdit(self)
        self._view.setObjectName("logView")
        self._view.setReadOnly(True)
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self._view, 1)
        self._lines: list[str] = []

    @property
    def text(self) -> str:
        """The lines shown."""
        return self._view.toPlainText()

    def refresh(self) -> None:
        """Read the log file's last lines again and show those of the chosen level."""
        self._lines = read_log_tail(self._log_file, VIEW_LOG_LINES)
        self._show()

    def _show(self) -> None:
        minimum = int(self._level.currentData())
        shown: list[str] = []
        current = logging.INFO
        for line in self._lines:
            level = line_level(line)
            if level is not None:
                current = level
            if current >= minimum:
                shown.append(line)
        if not self._lines:
            shown = [self.tr("The log is empty so far (%1).").replace(
                "%1", str(self._log_file))]
        self._view.setPlainText("\n".join(shown))
        bar = self._view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines

    def _on_level_changed(self, _index: int) -> None:
        self._show()

    def _on_refresh_clicked(self) -> None:
        self.refresh()

    def _on_open_folder_clicked(self) -> None:
        open_link(QUrl.fromLocalFile(str(self._log_file.parent)), self)
