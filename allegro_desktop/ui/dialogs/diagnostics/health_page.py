"""The Diagnostics dialog's Health tab: the checks of `services/health.py`, a row each with a
status icon, its name and its one line (what was found, what to do), shown as each finishes; a
line that sums the round up; "Check again".
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.services.health import CHECK_NAMES, CheckResult, Status
from allegro_desktop.ui.i18n import translated

__all__ = ["HealthList", "HealthPage"]

_STATUS_ICONS: Final = {
    Status.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
    Status.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Status.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class HealthList(QScrollArea):
    """The checks, a row each: status icon, name, and the result wrapped to the width (it
    says what to do; the end of the line matters). Texts can be selected and copied.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._body = QWidget(self)
        self._grid = QGridLayout(self._body)
        self._grid.setColumnStretch(2, 1)
        self._grid.setVerticalSpacing(8)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._body)
        self._rows: list[tuple[QLabel, QLabel, QLabel]] = []
        self._icons: list[QIcon] = []

    def clear(self) -> None:
        for row in self._rows:
            for label in row:
                self._grid.removeWidget(label)
                label.deleteLater()
        self._rows = []
        self._icons = []

    def add(self, icon: QIcon, name: str, detail: str) -> None:
        row = len(self._rows)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        mark = QLabel(self._body)
        mark.setPixmap(icon.pixmap(size, size))
        title = QLabel(name, self._body)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QLabel(detail, self._body)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = Qt.AlignmentFlag.AlignTop
        self._grid.addWidget(mark, row, 0, top)
        self._grid.addWidget(title, row, 1, top)
        self._grid.addWidget(text, row, 2, top)
        self._rows.append((mark, title, text))
        self._icons.append(icon)

    def count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> tuple[str, str]:
        """The name and the result shown in row `index`."""
        _mark, title, text = self._rows[index]
        return title.text(), text.text()

    def icon(self, index: int) -> QIcon:
        return self._icons[index]


class HealthPage(QWidget):
    """The Health tab: the checks of a round as they finish (`checks`), a line that sums the
    round up, and "Check again".

    Signals:
        check_again_requested(): the seller asked for a new round.
    """

    check_again_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.checks = HealthList(self)
        self.checks.setObjectName("healthList")
        layout.addWidget(self.checks, 1)
        row = QHBoxLayout()
        self._status = QLabel(self)
        self._status.setObjectName("healthStatus")
        row.addWidget(self._status, 1)
        self._again = QPushButton(self.tr("Check again"), self)
        self._again.setObjectName("checkAgainButton")
        self._again.clicked.connect(self._on_again_clicked)
        row.addWidget(self._again)
        layout.addLayout(row)

    def start(self) -> None:
        """A round begins: the list emptied, "Check again" disabled until the round ends."""
        self.checks.clear()
        self._again.setEnabled(False)
        self._status.setText(self.tr("Checking…"))

    def add_result(self, result: CheckResult) -> None:
        """One check's result, as a row of the list."""
        name = QCoreApplication.translate("HealthCheck", CHECK_NAMES[result.check])
        if result.subject:
            name = f"{name}: {translated(result.subject)}"
        self.checks.add(self.style().standardIcon(_STATUS_ICONS[result.status]), name,
                        translated(result.detail))

    def finish(self, results: list[CheckResult]) -> None:
        """The round ended: how it went, in a line."""
        self._again.setEnabled(True)
        failed = sum(1 for r in results if r.status is Status.FAILED)
        warned = sum(1 for r in results if r.status is Status.WARNING)
        if failed:
            text = self.tr("%n check(s) failed.", "", failed)
        elif warned:
            text = self.tr("Everything works; %n warning(s).", "", warned)
        else:
            text = self.tr("Everything works.")
        self._status.setText(text)

    def fail(self, error: Exception) -> None:
        """Not one check (each fails alone) but the round failed: a bug, logged by the queue."""
        self._again.setEnabled(True)
        self._status.setText(translated(error) if isinstance(error, AppError) else
                             translated(Text(QT_TRANSLATE_NOOP(
                                 "Errors", "The check itself failed (%1). Please "
                                 "report this, with the diagnostics report."),
                                 type(error).__name__)))

    def _on_again_clicked(self) -> None:
        self.check_again_requested.emit()
