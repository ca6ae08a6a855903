"""The Diagnostics dialog's Kept aside tab: the orders and events Allegro sent that the app could
not store exactly and keeps aside (a poisoned record never blocks the sync) — per record its
account, when, which form and the reason, in the window's language (a record an earlier version
kept: its English line, as stored) — and the selected record's JSON as received.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.order_repository import KeptAside, KeptRecord
from allegro_desktop.ui.formatting import datetime_text
from allegro_desktop.ui.i18n import translated

__all__ = ["VIEW_KEPT_ASIDE", "KeptAsidePage"]

#: The records kept aside the Kept aside tab lists (per account).
VIEW_KEPT_ASIDE: Final = 100


class KeptAsidePage(QWidget):
    """The Kept aside tab: the records kept aside, newest first (`table`: account, when, kind,
    form, reason in the window's language), and the selected one's JSON as Allegro sent it
    (`raw_text`). `registry` names the accounts by their logins.

    Signals: none.
    """

    def __init__(self, *, registry: AccountRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        layout = QVBoxLayout(self)
        self._status = QLabel(self.tr("Reading…"), self)
        self._status.setObjectName("keptAsideStatus")
        self._status.setWordWrap(True)
        layout.addWidget(self._status)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("keptAsideTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Account"), self.tr("When"), self.tr("Record"), self.tr("Form"),
            self.tr("Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.currentCellChanged.connect(self._on_current_changed)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(self.tr("What Allegro sent:"), self))
        self._raw = QPlainTextEdit(self)
        self._raw.setObjectName("keptAsideRaw")
        self._raw.setReadOnly(True)
        self._raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self._raw, 1)
        self._records: list[KeptRecord] = []

    @property
    def raw_text(self) -> str:
        """The JSON shown of the selected record kept aside."""
        return self._raw.toPlainText()

    def show_records(self, kept: list[KeptAside] | str) -> None:
        """The records kept aside per account, or why they cannot be read."""
        table = self.table
        table.setRowCount(0)
        self._records = []
        self._raw.clear()
        if isinstance(kept, str):
            self._status.setText(self.tr("The records kept aside cannot be read: %1")
                                 .replace("%1", kept))
            return
        names = self._account_names()
        records = [record for account in kept for record in account.latest]
        records.sort(key=lambda record: record.recorded_at, reverse=True)
        if not records:
            self._status.setText(self.tr(
                "Nothing is kept aside: every order and event Allegro sent could be stored."))
            return
        self._status.setText(self.tr(
            "Allegro sent these orders and events in a form the app cannot store exactly. They "
            "are kept aside as received and do not stop the sync of the other orders; a kept "
            "form is asked for again at every sync. Select one to see what Allegro sent."))
        locale = self.locale()
        self._records = records
        table.setRowCount(len(records))
        for row, record in enumerate(records):
            kind = self.tr("Order") if record.kind == "form" else self.tr("Event")
            cells = (names.get(record.account_key, record.account_key),
                     datetime_text(record.recorded_at, locale), kind, record.form_id or "",
                     translated(record.text))
            for column, value in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(value))
        table.setCurrentCell(0, 0)

    def _on_current_changed(self, row: int, _column: int, _previous_row: int,
                            _previous_column: int) -> None:
        if 0 <= row < len(self._records):
            self._raw.setPlainText(self._records[row].raw)

    def _account_names(self) -> dict[str, str]:
        try:
            return {a.key: a.login for a in self._registry.all()}
        except AppError:
            return {}
