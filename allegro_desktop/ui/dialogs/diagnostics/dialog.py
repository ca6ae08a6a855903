"""Help → Diagnostics…: the health checks, the log, and a report to send to support.

- **Health**: the checks of `services/health.py`, each with a status icon and its one line
  (what was found, what to do). They touch the network, the keyring and SQLite, so they run on
  a background thread and appear one by one as they finish; "Check again" runs them anew.
- **Kept aside**: the orders and events Allegro sent that the app could not store exactly and
  keeps aside (a poisoned record never blocks the sync): per record its account, when, which
  form, and the reason — what Allegro sent wrong, in the window's language (a record an
  earlier version kept: its English line, as stored); below, the selected record's JSON as
  received. Read on the background thread with each round of checks (whose "Records kept
  aside" line counts them per account).
- **Log**: the log file's last lines (`config/logging_setup.py` writes it, redacted), filtered
  by level, with Refresh and "Open log folder". Reading at most half a megabyte from the end
  of a local file takes milliseconds: it is done on the GUI thread.
- **Copy diagnostics report** / **Save report…**: app, Qt, Python and OS versions, the paths,
  the checks, the last 20 sync runs with their metrics and the log's last 200 lines
  (`services.health.diagnostics_report`): every secret removed again — by its shape and by
  the exact values of the tokens and client secrets this profile holds — and buyers'
  e-mail addresses and phone numbers masked. It is built on the background thread too (the
  keyring is read for those values). The report is in English: it is written for support.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.logging_setup import line_level, read_log_tail
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.services.health import (
    CHECK_NAMES,
    CheckResult,
    Status,
)
from allegro_desktop.services.safe_write import replacing_atomically
from allegro_desktop.storage.orders import KeptAside, KeptRecord, OrderRepository
from allegro_desktop.ui.dialogs.diagnostics.report import build_report
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.formatting import datetime_text
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.tasks import Task, TaskQueue, failure_text

__all__ = ["DiagnosticsDialog"]

#: What the Log tab shows.
VIEW_LOG_LINES: Final = 1000
#: The records kept aside the Kept aside tab lists (per account).
VIEW_KEPT_ASIDE: Final = 100
#: The lane of a round of checks in the dialog's task queue (a new round supersedes it).
_CHECKS: Final = "checks"
#: What a round of checks brings back: the results, and the records kept aside (or why they
#: cannot be read).
_Round = tuple[list[CheckResult], list[KeptAside] | str]

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


class DiagnosticsDialog(QDialog):
    """The Diagnostics dialog (see the module doc). Checks start when it is created.

    Signals:
        checks_finished(list): a round of checks ended; its `CheckResult`s.
        report_copied(str): the report was put on the clipboard (its text).
        report_saved(str): the report was written to this file.
        report_failed(str): the report could not be made or saved (the message shown).
    """

    checks_finished = Signal(list)
    report_copied = Signal(str)
    report_saved = Signal(str)
    report_failed = Signal(str)

    def __init__(self, *, source: DiagnosticsSource, tasks: TaskQueue | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosticsDialog")
        self.setWindowTitle(self.tr("Diagnostics"))
        self.resize(860, 560)
        self._source = source
        self._results: list[CheckResult] = []
        self._running = False
        # The controller's queue (outliving the dialog: closing it never waits for a check;
        # what a late check sends goes nowhere, the dialog being its tasks' context), else
        # one of its own. One thread: one thing at a time, checks, then a report.
        self._tasks = (tasks if tasks is not None
                       else TaskQueue("diagnostics", threads=1, parent=self))

        layout = QVBoxLayout(self)
        self._tabs = QTabWidget(self)
        self._tabs.setObjectName("diagnosticsTabs")
        self._tabs.addTab(self._health_tab(), self.tr("Health"))
        self._tabs.addTab(self._kept_aside_tab(), self.tr("Kept aside"))
        self._tabs.addTab(self._log_tab(), self.tr("Log"))
        layout.addWidget(self._tabs, 1)

        bottom = QHBoxLayout()
        self._copy = QPushButton(self.tr("Copy diagnostics report"), self)
        self._copy.setObjectName("copyReportButton")
        self._copy.setToolTip(self.tr(
            "Copy versions, checks, recent syncs and the log's last lines, for support. "
            "Tokens and secrets are removed; buyers' e-mails and phone numbers are masked."))
        self._copy.clicked.connect(self._on_copy_clicked)
        bottom.addWidget(self._copy)
        self._save = QPushButton(self.tr("Save report…"), self)
        self._save.setObjectName("saveReportButton")
        self._save.clicked.connect(self._on_save_clicked)
        bottom.addWidget(self._save)
        self._report_status = QLabel(self)
        self._report_status.setObjectName("reportStatus")
        bottom.addWidget(self._report_status, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.refresh_log()
        self.run_checks()

    # -- building ----------------------------------------------------------------------------

    def _health_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self._tree = HealthList(page)
        self._tree.setObjectName("healthList")
        layout.addWidget(self._tree, 1)
        row = QHBoxLayout()
        self._health_status = QLabel(page)
        self._health_status.setObjectName("healthStatus")
        row.addWidget(self._health_status, 1)
        self._again = QPushButton(self.tr("Check again"), page)
        self._again.setObjectName("checkAgainButton")
        self._again.clicked.connect(self._on_again_clicked)
        row.addWidget(self._again)
        layout.addLayout(row)
        return page

    def _kept_aside_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self._kept_status = QLabel(self.tr("Reading…"), page)
        self._kept_status.setObjectName("keptAsideStatus")
        self._kept_status.setWordWrap(True)
        layout.addWidget(self._kept_status)
        self._kept_table = QTableWidget(0, 5, page)
        self._kept_table.setObjectName("keptAsideTable")
        self._kept_table.setHorizontalHeaderLabels([
            self.tr("Account"), self.tr("When"), self.tr("Record"), self.tr("Form"),
            self.tr("Reason")])
        self._kept_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._kept_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._kept_table.verticalHeader().setVisible(False)
        header = self._kept_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._kept_table.currentCellChanged.connect(self._on_kept_current_changed)
        layout.addWidget(self._kept_table, 2)
        layout.addWidget(QLabel(self.tr("What Allegro sent:"), page))
        self._kept_raw = QPlainTextEdit(page)
        self._kept_raw.setObjectName("keptAsideRaw")
        self._kept_raw.setReadOnly(True)
        self._kept_raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self._kept_raw, 1)
        self._kept_records: list[KeptRecord] = []
        return page

    def _log_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show:"), page))
        self._level = QComboBox(page)
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
        refresh = QPushButton(self.tr("Refresh"), page)
        refresh.setObjectName("logRefreshButton")
        refresh.clicked.connect(self._on_log_refresh_clicked)
        row.addWidget(refresh)
        folder = QPushButton(self.tr("Open log folder"), page)
        folder.setObjectName("openLogFolderButton")
        folder.setToolTip(str(self._source.log_file.parent))
        folder.clicked.connect(self._on_open_folder_clicked)
        row.addWidget(folder)
        layout.addLayout(row)
        self._log_view = QPlainTextEdit(page)
        self._log_view.setObjectName("logView")
        self._log_view.setReadOnly(True)
        self._log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self._log_view, 1)
        self._log_lines: list[str] = []
        return page

    # -- public --------------------------------------------------------------------------------

    @property
    def results(self) -> list[CheckResult]:
        return list(self._results)

    @property
    def is_checking(self) -> bool:
        return self._running

    @property
    def log_text(self) -> str:
        return self._log_view.toPlainText()

    @property
    def tree(self) -> HealthList:
        return self._tree

    @property
    def kept_aside_table(self) -> QTableWidget:
        return self._kept_table

    @property
    def kept_aside_raw(self) -> str:
        """The JSON shown of the selected record kept aside."""
        return self._kept_raw.toPlainText()

    def run_checks(self) -> None:
        """Start a round of checks on the background thread (ignored while one runs)."""
        if self._running:
            return
        self._running = True
        self._results = []
        self._tree.clear()
        self._again.setEnabled(False)
        self._health_status.setText(self.tr("Checking…"))
        checker, database = self._source.checker(), self._source.database

        def work(task: Task[CheckResult]) -> _Round:
            results = checker.run(task.report)  # each shown as it is known
            kept: list[KeptAside] | str
            try:
                kept = OrderRepository(database=database).kept_aside(VIEW_KEPT_ASIDE)
            except AppError as exc:
                kept = translated(exc)
            return results, kept

        self._tasks.submit(work, lane=_CHECKS, context=self, progress=self._on_check_result,
                           done=self._on_checks_done, failed=self._on_checks_failed)

    def refresh_log(self) -> None:
        """Read the log file's last lines again and show those of the chosen level."""
        self._log_lines = read_log_tail(self._source.log_file, VIEW_LOG_LINES)
        self._show_log()

    def make_report(self, purpose: str = "copy") -> None:
        """Build the report on the background thread; then copy it (`purpose` "copy") or save
        it to the file `purpose` names."""
        self._copy.setEnabled(False)
        self._save.setEnabled(False)
        self._report_status.setText(self.tr("Preparing the report…"))
        source = self._source
        results = list(self._results)
        qt_versions = {"Qt": qVersion(), "Platform": QGuiApplication.platformName(),
                       "Qt style": self.style().name()}

        def work(_task: Task[None]) -> str:
            try:
                text = build_report(source, results, qt_versions)
                if purpose != "copy":  # whole or not at all, never over the app's files
                    with replacing_atomically(Path(purpose)) as temporary:
                        temporary.write_text(text, encoding="utf-8")
            except OSError as exc:  # expected (a full disk, no permission): said as such
                raise AppError(f"the report failed: {exc}",
                               user_message=f"{purpose}: {exc.strerror or exc}") from exc
            return text

        self._tasks.submit(work, context=self,
                           done=lambda text: self._on_report_done(purpose, text),
                           failed=lambda error: self._on_report_failed(failure_text(error)))

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for the background work (closing, tests)."""
        return self._tasks.wait(timeout_ms)

    def done(self, result: int) -> None:
        # Never wait for a check still running (an API timeout, the integrity check of a big
        # file): its results, of a round given up, go nowhere.
        self._tasks.cancel(_CHECKS)
        self._running = False
        super().done(result)

    # -- slots ----------------------------------------------------------------------------

    def _on_again_clicked(self) -> None:
        self.run_checks()

    def _on_check_result(self, result: CheckResult) -> None:
        self._results.append(result)
        self._add_item(result)

    def _on_checks_done(self, outcome: _Round) -> None:
        results, kept = outcome
        self._show_kept_aside(kept)  # shown before the round is announced done
        self._running = False
        self._again.setEnabled(True)
        self._results = list(results)
        failed = sum(1 for r in results if r.status is Status.FAILED)
        warned = sum(1 for r in results if r.status is Status.WARNING)
        if failed:
            text = self.tr("%n check(s) failed.", "", failed)
        elif warned:
            text = self.tr("Everything works; %n warning(s).", "", warned)
        else:
            text = self.tr("Everything works.")
        self._health_status.setText(text)
        self.checks_finished.emit(list(results))

    def _on_checks_failed(self, error: Exception) -> None:
        """Not one check (each fails alone) but the round: a bug, logged by the queue."""
        self._running = False
        self._again.setEnabled(True)
        self._health_status.setText(translated(error) if isinstance(error, AppError) else
                                    translated(Text(QT_TRANSLATE_NOOP(
                                        "Errors", "The check itself failed (%1). Please "
                                        "report this, with the diagnostics report."),
                                        type(error).__name__)))

    def _show_kept_aside(self, kept: list[KeptAside] | str) -> None:
        table = self._kept_table
        table.setRowCount(0)
        self._kept_records = []
        self._kept_raw.clear()
        if isinstance(kept, str):
            self._kept_status.setText(self.tr("The records kept aside cannot be read: %1")
                                      .replace("%1", kept))
            return
        names = self._account_names()
        records = [record for account in kept for record in account.latest]
        records.sort(key=lambda record: record.recorded_at, reverse=True)
        if not records:
            self._kept_status.setText(self.tr(
                "Nothing is kept aside: every order and event Allegro sent could be stored."))
            return
        self._kept_status.setText(self.tr(
            "Allegro sent these orders and events in a form the app cannot store exactly. They "
            "are kept aside as received and do not stop the sync of the other orders; a kept "
            "form is asked for again at every sync. Select one to see what Allegro sent."))
        locale = self.locale()
        self._kept_records = records
        table.setRowCount(len(records))
        for row, record in enumerate(records):
            kind = self.tr("Order") if record.kind == "form" else self.tr("Event")
            cells = (names.get(record.account_key, record.account_key),
                     datetime_text(record.recorded_at, locale), kind, record.form_id or "",
                     translated(record.text))
            for column, value in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(value))
        table.setCurrentCell(0, 0)

    def _on_kept_current_changed(self, row: int, _column: int, _previous_row: int,
                                 _previous_column: int) -> None:
        if 0 <= row < len(self._kept_records):
            self._kept_raw.setPlainText(self._kept_records[row].raw)

    def _account_names(self) -> dict[str, str]:
        try:
            return {a.key: a.login for a in self._source.connection.registry.all()}
        except AppError:
            return {}

    def _on_report_done(self, purpose: str, text: str) -> None:
        self._copy.setEnabled(True)
        self._save.setEnabled(True)
        if purpose == "copy":
            QGuiApplication.clipboard().setText(text)
            self._report_status.setText(self.tr(
                "The report is on the clipboard: paste it into your message to support."))
            self.report_copied.emit(text)
        else:
            self._report_status.setText(self.tr("Saved to %1.").replace("%1", purpose))
            self.report_saved.emit(purpose)

    def _on_report_failed(self, message: str) -> None:
        self._copy.setEnabled(True)
        self._save.setEnabled(True)
        self._report_status.setText(self.tr("The report could not be made: %1").replace(
            "%1", message))
        self.report_failed.emit(message)

    def _on_copy_clicked(self) -> None:
        self.make_report("copy")

    def _on_save_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Save the diagnostics report"),
                             str(Path.home() / "allegro-desktop-diagnostics.txt"),
                             self.tr("Text files (*.txt)"))
        dialog.setObjectName("saveReportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_save_file_selected)
        dialog.open()

    def _on_save_file_selected(self, path: str) -> None:
        if path:
            self.make_report(path)

    def _on_level_changed(self, _index: int) -> None:
        self._show_log()

    def _on_log_refresh_clicked(self) -> None:
        self.refresh_log()

    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._source.log_file.parent)))

    # -- helpers ---------------------------------------------------------------------------

    def _add_item(self, result: CheckResult) -> None:
        name = QCoreApplication.translate("HealthCheck", CHECK_NAMES[result.check])
        if result.subject:
            name = f"{name} ({result.subject})"
        self._tree.add(self.style().standardIcon(_STATUS_ICONS[result.status]), name,
                       translated(result.detail))

    def _show_log(self) -> None:
        minimum = int(self._level.currentData())
        shown: list[str] = []
        current = logging.INFO
        for line in self._log_lines:
            level = line_level(line)
            if level is not None:
                current = level
            if current >= minimum:
                shown.append(line)
        if not self._log_lines:
            shown = [self.tr("The log is empty so far (%1).").replace(
                "%1", str(self._source.log_file))]
        self._log_view.setPlainText("\n".join(shown))
        bar = self._log_view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines


