"""Help → Diagnostics…: the dialog — its Health, Kept aside and Log tabs (a module each), the
round of checks, and the report for support (Copy diagnostics report / Save report…).

The checks touch the network, the keyring and SQLite, so a round runs on a background thread
(the records kept aside are read with it) and each result is shown as it is known; the report
(report.py) is built on that thread too. Closing the dialog never waits for either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, Signal, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.errors import AppError
from allegro_desktop.services.health import CheckResult
from allegro_desktop.services.safe_write import replacing_atomically
from allegro_desktop.storage.order_repository import KeptAside, OrderRepository
from allegro_desktop.ui.dialogs.diagnostics.health_page import HealthPage
from allegro_desktop.ui.dialogs.diagnostics.kept_aside_page import VIEW_KEPT_ASIDE, KeptAsidePage
from allegro_desktop.ui.dialogs.diagnostics.log_page import LogPage
from allegro_desktop.ui.dialogs.diagnostics.report import build_report
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.save_path import file_dialog
from allegro_desktop.ui.tasks import Task, TaskQueue, failure_text

__all__ = ["DiagnosticsDialog"]

#: The lane of a round of checks in the dialog's task queue (a new round supersedes it).
_CHECKS: Final = "checks"
#: What a round of checks brings back: the results, and the records kept aside (or why they
#: cannot be read).
_Round = tuple[list[CheckResult], list[KeptAside] | str]


class DiagnosticsDialog(QDialog):
    """The Diagnostics dialog (see the module doc). Checks start when it is created. Its tabs
    are `health_page`, `kept_aside_page` and `log_page`.

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
        self.health_page = HealthPage(self)
        self.health_page.check_again_requested.connect(self._on_check_again_requested)
        self.kept_aside_page = KeptAsidePage(registry=source.services.registry, parent=self)
        self.log_page = LogPage(log_file=source.log_file, parent=self)
        self._tabs.addTab(self.health_page, self.tr("Health"))
        self._tabs.addTab(self.kept_aside_page, self.tr("Kept aside"))
        self._tabs.addTab(self.log_page, self.tr("Log"))
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

        self.log_page.refresh()
        self.run_checks()

    @property
    def results(self) -> list[CheckResult]:
        return list(self._results)

    @property
    def is_checking(self) -> bool:
        return self._running

    def run_checks(self) -> None:
        """Start a round of checks on the background thread (ignored while one runs)."""
        if self._running:
            return
        self._running = True
        self._results = []
        self.health_page.start()
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

    def _on_check_again_requested(self) -> None:
        self.run_checks()

    def _on_check_result(self, result: CheckResult) -> None:
        self._results.append(result)
        self.health_page.add_result(result)

    def _on_checks_done(self, outcome: _Round) -> None:
        results, kept = outcome
        self.kept_aside_page.show_records(kept)  # shown before the round is announced done
        self._running = False
        self._results = list(results)
        self.health_page.finish(results)
        self.checks_finished.emit(list(results))

    def _on_checks_failed(self, error: Exception) -> None:
        self._running = False
        self.health_page.fail(error)

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
        dialog = file_dialog(self, self.tr("Save the diagnostics report"),
                             self.tr("Text files (*.txt)"), save=True,
                             name="allegro-desktop-diagnostics.txt", suffix="txt")
        dialog.setObjectName("saveReportDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_save_file_selected)
        dialog.open()

    def _on_save_file_selected(self, path: str) -> None:
        if path:
            self.make_report(path)
