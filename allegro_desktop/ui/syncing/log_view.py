"""The Sync log tab: the history of sync runs (table `sync_runs`), newest first.

What a seller (or whoever helps them) looks at when orders seem late or missing: when each
sync ran, for which account, what it did, how long it took, how many orders it brought, how
many calls it made to Allegro (repeated ones and Allegro's "slow down" answers, HTTP 429,
counted apart; the headers say it in a seller's words, their tooltips explain) and
why it failed. Failed runs stand out (icon, colour) and carry their error as a tooltip.

The history is small by construction — retention keeps each account's latest 100 runs of the
last 90 days (docs/ARCHITECTURE.md, "Retention") and `reload` reads at most `MAX_RUNS` newest
rows by the primary key — so it is read directly on the GUI thread: a few hundred rows off an
index, no big read. WAL lets it read while the sync thread writes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.storage.database import Database
from allegro_desktop.storage.sync_state import RunKind, RunOutcome, SyncRun, SyncStateRepository
from allegro_desktop.ui.formatting import count_grouped, datetime_text, number_text
from allegro_desktop.ui.table_model import TableModel
from allegro_desktop.ui.theme import colour

__all__ = ["MAX_RUNS", "SyncLogColumn", "SyncLogModel", "SyncLogView"]

# The most runs shown (retention keeps fewer per account anyway).
MAX_RUNS: Final = 500

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# The colour of a failed run's text (dark enough on white, bright enough on a dark theme).


class SyncLogColumn(enum.IntEnum):
    STARTED = 0
    ACCOUNT = enum.auto()
    KIND = enum.auto()
    OUTCOME = enum.auto()
    DURATION = enum.auto()
    NEW = enum.auto()
    UPDATED = enum.auto()
    EVENTS = enum.auto()
    REQUESTS = enum.auto()
    RETRIES = enum.auto()
    RATE_LIMITED = enum.auto()
    ERROR = enum.auto()


_OUTCOME_ICONS: Final[Mapping[str, QStyle.StandardPixmap]] = {
    RunOutcome.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    RunOutcome.INTERRUPTED: QStyle.StandardPixmap.SP_MessageBoxWarning,
    RunOutcome.CANCELLED: QStyle.StandardPixmap.SP_MessageBoxWarning,
    RunOutcome.RUNNING: QStyle.StandardPixmap.SP_BrowserReload,
    RunOutcome.SUCCEEDED: QStyle.StandardPixmap.SP_DialogApplyButton,
}

_NUMERIC: Final = frozenset({SyncLogColumn.DURATION, SyncLogColumn.NEW, SyncLogColumn.UPDATED,
                             SyncLogColumn.EVENTS, SyncLogColumn.REQUESTS,
                             SyncLogColumn.RETRIES, SyncLogColumn.RATE_LIMITED})


def kind_label(kind: str) -> str:
    """What a run did, in the seller's words; an unknown kind as stored."""
    if kind == RunKind.BACKFILL:
        return QCoreApplication.translate("SyncLogModel", "Order history")
    if kind == RunKind.INCREMENTAL:
        return QCoreApplication.translate("SyncLogModel", "New events")
    if kind == RunKind.RESCAN:
        return QCoreApplication.translate("SyncLogModel", "Recheck of recent orders")
    return kind


def outcome_label(outcome: str) -> str:
    if outcome == RunOutcome.RUNNING:
        return QCoreApplication.translate("SyncLogModel", "Running")
    if outcome == RunOutcome.SUCCEEDED:
        return QCoreApplication.translate("SyncLogModel", "Succeeded")
    if outcome == RunOutcome.FAILED:
        return QCoreApplication.translate("SyncLogModel", "Failed")
    if outcome == RunOutcome.CANCELLED:
        return QCoreApplication.translate("SyncLogModel", "Cancelled")
    if outcome == RunOutcome.INTERRUPTED:
        return QCoreApplication.translate("SyncLogModel", "Interrupted (the app was closed)")
    return outcome


def duration_text(milliseconds: int, locale: QLocale) -> str:
    """"0.8 s", "12 s", "2 min 5 s", "1 h 3 min": as precise as a reader needs."""
    translate = QCoreApplication.translate
    if milliseconds < 10_000:
        return translate("SyncLogModel", "%1 s").replace(
            "%1", locale.toString(milliseconds / 1000, "f", 1))
    seconds = round(milliseconds / 1000)
    if seconds < 60:
        return translate("SyncLogModel", "%1 s").replace("%1", locale.toString(seconds))
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return translate("SyncLogModel", "%1 min %2 s").replace(
            "%1", locale.toString(minutes)).replace("%2", locale.toString(seconds))
    hours, minutes = divmod(minutes, 60)
    return translate("SyncLogModel", "%1 h %2 min").replace(
        "%1", locale.toString(hours)).replace("%2", locale.toString(minutes))


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


class SyncLogModel(TableModel):
    """The sync runs of every account, newest first (one row per run).

    `reload()` reads them again (the window calls it after each sync). Besides the display
    texts: the outcome column has an icon, a failed run's cells are coloured and its error is
    every cell's tooltip, numbers are right-aligned, and `Qt.UserRole` gives the `SyncRun`.
    """

    def __init__(self, *, database: Database, account_names: Mapping[str, str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._repository = SyncStateRepository(database=database)
        self._names: dict[str, str] = dict(account_names)
        self._runs: list[SyncRun] = []
        self._locale: QLocale | None = None  # None: the default locale

    # -- public ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the history again (at most `MAX_RUNS` newest runs)."""
        runs = self._repository.runs(limit=MAX_RUNS)
        self.beginResetModel()
        self._runs = runs
        self.endResetModel()

    def set_account_names(self, account_names: Mapping[str, str]) -> None:
        """Account key -> login, for the Account column (an unknown key shows as itself)."""
        self._names = dict(account_names)
        if self._runs:
            column = SyncLogColumn.ACCOUNT
            self.dataChanged.emit(self.index(0, column), self.index(len(self._runs) - 1, column),
                                  [Qt.ItemDataRole.DisplayRole])

    def run_at(self, row: int) -> SyncRun:
        return self._runs[row]

    def set_locale(self, locale: QLocale | None) -> None:
        """The locale of dates and numbers (None: the default locale, as at first)."""
        self.beginResetModel()
        self._locale = locale
        self.endResetModel()

    # -- QAbstractItemModel ----------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(SyncLogColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SyncLogColumn):
            return None
        column = SyncLogColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tip(column)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._runs) or index.parent().isValid():
            return None
        run = self._runs[index.row()]
        column = SyncLogColumn(index.column())
        failed = run.outcome == RunOutcome.FAILED
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(run, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if run.error and (failed or column == SyncLogColumn.ERROR):
                return run.error
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == SyncLogColumn.OUTCOME:
            return self._icon(str(run.outcome))
        if role == Qt.ItemDataRole.ForegroundRole and failed:
            return QColor(colour("failed.text"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if column in _NUMERIC
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return run
        return None

    # -- helpers ---------------------------------------------------------------------------

    def _text(self, run: SyncRun, column: SyncLogColumn) -> str:
        locale = self._locale if self._locale is not None else QLocale()
        metrics = run.metrics
        if column == SyncLogColumn.STARTED:
            return datetime_text(run.started_at, locale, seconds=True)
        if column == SyncLogColumn.ACCOUNT:
            return self._names.get(run.account_key, run.account_key)
        if column == SyncLogColumn.KIND:
            return kind_label(str(run.kind))
        if column == SyncLogColumn.OUTCOME:
            return outcome_label(str(run.outcome))
        if column == SyncLogColumn.DURATION:
            return "" if run.duration_ms is None else duration_text(run.duration_ms, locale)
        if column == SyncLogColumn.ERROR:
            return _first_line(run.error or "")
        counts = {SyncLogColumn.NEW: metrics.new, SyncLogColumn.UPDATED: metrics.updated,
                  SyncLogColumn.EVENTS: metrics.events, SyncLogColumn.REQUESTS: metrics.requests,
                  SyncLogColumn.RETRIES: metrics.retries,
                  SyncLogColumn.RATE_LIMITED: metrics.rate_limited}
        if run.outcome == RunOutcome.RUNNING:
            return ""  # counted when the run finishes
        return number_text(counts[column], locale)

    def _icon(self, outcome: str) -> QIcon | None:
        pixmap = _OUTCOME_ICONS.get(outcome)
        if pixmap is None:
            return None
        return QApplication.style().standardIcon(pixmap)

    def _header(self, column: SyncLogColumn) -> str:
        return {
            SyncLogColumn.STARTED: self.tr("Started"),
            SyncLogColumn.ACCOUNT: self.tr("Account"),
            SyncLogColumn.KIND: self.tr("Kind"),
            SyncLogColumn.OUTCOME: self.tr("Outcome"),
            SyncLogColumn.DURATION: self.tr("Duration"),
            SyncLogColumn.NEW: self.tr("New"),
            SyncLogColumn.UPDATED: self.tr("Updated"),
            SyncLogColumn.EVENTS: self.tr("Events"),
            SyncLogColumn.REQUESTS: self.tr("Calls"),
            SyncLogColumn.RETRIES: self.tr("Repeated"),
            SyncLogColumn.RATE_LIMITED: self.tr("Slow-downs"),
            SyncLogColumn.ERROR: self.tr("Error"),
        }[column]

    def _header_tip(self, column: SyncLogColumn) -> str | None:
        return {
            SyncLogColumn.NEW: self.tr("Orders stored for the first time"),
            SyncLogColumn.UPDATED: self.tr("Stored orders that changed"),
            SyncLogColumn.EVENTS: self.tr("Entries of Allegro's order journal read"),
            SyncLogColumn.REQUESTS: self.tr(
                "Calls to Allegro: how many times the app asked Allegro for data during this "
                "sync"),
            SyncLogColumn.RETRIES: self.tr(
                "Calls to Allegro the app repeated by itself after a network or Allegro server "
                "error"),
            SyncLogColumn.RATE_LIMITED: self.tr(
                "How many times Allegro asked the app to slow down (\"too many requests\", "
                "HTTP 429): the app waited and carried on, nothing was lost"),
        }.get(column)


class SyncLogView(QWidget):
    """The Sync log tab: the runs table, a Refresh button, and an empty state before the first
    sync. The window calls `reload()` after each sync (and when the tab is shown).

    Signals: none (it only shows).
    """

    def __init__(self, *, database: Database, account_names: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncLogView")
        self._model = SyncLogModel(database=database, account_names=account_names, parent=self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self._summary = QLabel(self)
        self._summary.setObjectName("syncLogSummary")
        top.addWidget(self._summary, 1)
        self._refresh = QPushButton(self.tr("Refresh"), self)
        self._refresh.setObjectName("syncLogRefreshButton")
        self._refresh.setToolTip(self.tr("Read the sync history again"))
        self._refresh.clicked.connect(self._on_refresh_clicked)
        top.addWidget(self._refresh)
        layout.addLayout(top)

        self._stack = QStackedWidget(self)
        self._empty = QLabel(self.tr(
            "No syncs yet. Once an Allegro account is connected, every sync is listed here: "
            "when it ran, what it brought and, if it failed, why."), self)
        self._empty.setObjectName("syncLogEmpty")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        self._stack.addWidget(self._empty)

        self._table = QTableView(self)
        self._table.setObjectName("syncLogTable")
        self._table.setModel(self._model)
        self._table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        self._table.verticalHeader().hide()
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the error takes what is left, cut short (its tooltip has it all): no sideways scroll
        header.setSectionResizeMode(SyncLogColumn.ERROR, QHeaderView.ResizeMode.Stretch)
        self._stack.addWidget(self._table)
        layout.addWidget(self._stack, 1)

        self._model.modelReset.connect(self._on_model_reset)
        self._model.reload()

    @property
    def model(self) -> SyncLogModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def is_empty_shown(self) -> bool:
        return self._stack.currentWidget() is self._empty

    def reload(self) -> None:
        self._model.reload()

    def set_account_names(self, account_names: Mapping[str, str]) -> None:
        self._model.set_account_names(account_names)

    def _on_refresh_clicked(self) -> None:
        self.reload()

    def _on_model_reset(self) -> None:
        count = self._model.rowCount()
        self._stack.setCurrentWidget(self._table if count else self._empty)
        failed = sum(1 for row in range(count)
                     if self._model.run_at(row).outcome == RunOutcome.FAILED)
        if not count:
            self._summary.setText("")
            return
        text = self.tr("1 sync") if count == 1 else count_grouped(
            self.tr("%Ln syncs", "", count), count, QLocale())
        if failed:
            text += ", " + self.tr("%n failed", "", failed)
        self._summary.setText(text)
