"""The "Print orders" dialog (Ctrl+P packing slips, Ctrl+Shift+P pick list, in the Orders
tab, its rows' context menu and the File menu): what to print, then the printing itself on a
background thread with progress and Cancel.

The seller picks packing slips (A4 or a 100 × 150 mm label) or the pick list, and the
orders — the selected ones in table order, or all of the table's current view (its filter and
sort) — then either **Print…** (the system's print dialog, then `QtPdf` onto that printer) or
**Save as PDF…** (a file dialog; written as the export writes, refused where the export
refuses). `job.PrintJob` does the work on a `TaskQueue`; the window never waits for it. Orders
left out (a damaged stored form, one that could not be laid out) are listed with their
reasons when it ends; the others are printed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Final

from PySide6.QtCore import QLocale, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.filters import OrderFilter, OrderSort
from allegro_desktop.services.printouts import SlipSize, Wording
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.formatting import count_grouped
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.links import open_link
from allegro_desktop.ui.orders.printing.job import (
    MAX_ORDERS,
    PrintJob,
    PrintKind,
    PrintProgress,
    PrintReport,
    PrintRequest,
    Stage,
    TooManyOrdersError,
)
from allegro_desktop.ui.orders.printing.printer import prepare_printer
from allegro_desktop.ui.save_path import ask_save_path
from allegro_desktop.ui.tasks import TaskQueue
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["STATE_NAME", "PrintDialog"]

log = logging.getLogger("allegro_desktop.ui")

#: The name of the dialog's remembered choices in `UiState`: the packing slips' page.
STATE_NAME: Final = "print"


def window_language() -> str:
    """The printout's language: the window's ("pl" when its locale is Polish)."""
    return "pl" if QLocale().language() == QLocale.Language.Polish else "en"


class PrintDialog(QDialog):
    """Prints or saves packing slips or a pick list (see the module's docstring).

    Opened with the workspace's current filter, sort, selection (seqs in table order) and
    result count, and the `kind` first checked; the selection is what is printed when there
    is one. The packing slips' page (A4 or the label) is the one chosen last time, kept in
    `ui_state` when something is printed or saved. `start_printing(printer)` and
    `start_saving(path)` start a job without the print or file dialog (tests, the buttons
    after their dialogs). The job runs on `tasks` (the
    opener's queue, shut down before the database closes), else on the dialog's own.

    Signals:
        print_progressed(object): a `PrintProgress` (on the GUI thread).
        print_finished(object): the `PrintReport` (`orders == 0`: nothing could be printed).
        print_failed(str): the message shown for a failed job.
        print_cancelled(): a job stopped on request; nothing was written or sent on.
    """

    print_progressed = Signal(object)
    print_finished = Signal(object)
    print_failed = Signal(str)
    print_cancelled = Signal()

    def __init__(self, *, queries: OrderQueries, order_filter: OrderFilter, sort: OrderSort,
                 selection: Sequence[int], total: int,
                 kind: PrintKind = PrintKind.PACKING_SLIPS, folder: Path | None = None,
                 tasks: TaskQueue | None = None, ui_state: UiState | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks if tasks is not None else TaskQueue("printing", parent=self)
        self._ui_state = ui_state
        self._queries = queries
        self._filter = order_filter
        self._sort = sort
        self._selection = tuple(selection)
        self._total = total
        self._folder = folder
        self._job: PrintJob | None = None
        self._close_when_stopped = False
        self._last_path: Path | None = None
        self.setWindowTitle(self.tr("Print orders"))
        self.setMinimumWidth(480)  # room for a file's path in the outcome
        self._build(kind)
        self._on_choice_changed()

    # -- public ------------------------------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        """The folder of the last PDF saved (or the one given)."""
        return self._folder

    def request(self) -> PrintRequest:
        """The printout the dialog's choices describe."""
        slips = self.slips_radio.isChecked()
        selected = self.selected_radio.isChecked() and bool(self._selection)
        return PrintRequest(
            kind=PrintKind.PACKING_SLIPS if slips else PrintKind.PICK_LIST,
            size=SlipSize(self.size_box.currentData()) if slips else SlipSize.A4,
            wording=Wording(language=window_language(), translated=translated),
            order_filter=self._filter, sort=self._sort,
            selection=self._selection if selected else None)

    def chosen_count(self) -> int:
        """How many orders the choices print."""
        if self.selected_radio.isChecked() and self._selection:
            return len(self._selection)
        return self._total

    def suggested_name(self) -> str:
        """"packing-slips-2026-11-24.pdf" or "pick-list-2026-11-24.pdf" (translated)."""
        stem = (self.tr("packing-slips-%1") if self.slips_radio.isChecked()
                else self.tr("pick-list-%1"))
        return f"{stem.replace('%1', date.today().isoformat())}.pdf"

    def is_running(self) -> bool:
        return self._job is not None

    def start_printing(self, printer: QPrinter) -> None:
        """Print on `printer` (set up by the print dialog; the job alone uses it until it
        ends)."""
        self._start(printer, self.tr("Preparing the printout…"))

    def start_saving(self, path: Path) -> None:
        """Save as a PDF at `path` (a file there is replaced once the new one is complete)."""
        path = Path(path)
        self._last_path = path
        self._start(path, self.tr("Preparing %1…").replace("%1", str(path)))

    def cancel_printing(self) -> None:
        """Stop the running job at its next step (nothing more is written or printed)."""
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("Cancelling…"))

    # -- QDialog -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Closing while printing cancels first and closes once the job has stopped."""
        if self._job is not None:
            self._close_when_stopped = True
            self.cancel_printing()
            return
        super().reject()

    # -- building ----------------------------------------------------------------------------

    def _build(self, kind: PrintKind) -> None:
        self.slips_radio = QRadioButton(self.tr("Packing slips (one for each order)"))
        self.pick_list_radio = QRadioButton(
            self.tr("Pick list (the items of all the orders, added up)"))
        what = QButtonGroup(self)
        what.addButton(self.slips_radio)
        what.addButton(self.pick_list_radio)
        (self.slips_radio if kind is PrintKind.PACKING_SLIPS
         else self.pick_list_radio).setChecked(True)
        self.slips_radio.toggled.connect(self._on_choice_changed)

        self.size_box = QComboBox()
        self.size_box.addItem(self.tr("A4"), SlipSize.A4.value)
        self.size_box.addItem(self.tr("Label 100 × 150 mm"), SlipSize.LABEL.value)
        self._slip_size = self._remembered_size()
        self.size_box.setCurrentIndex(self.size_box.findData(self._slip_size.value))
        self.size_box.currentIndexChanged.connect(self._on_size_box_changed)

        self.all_radio = QRadioButton(
            count_grouped(self.tr("All %Ln orders in the current view", "", self._total),
                          self._total, QLocale()))
        self.selected_radio = QRadioButton(
            count_grouped(self.tr("The %Ln selected orders", "", len(self._selection)),
                          len(self._selection), QLocale()))
        self.selected_radio.setEnabled(bool(self._selection))
        scope = QButtonGroup(self)
        scope.addButton(self.all_radio)
        scope.addButton(self.selected_radio)
        (self.selected_radio if self._selection else self.all_radio).setChecked(True)
        self.all_radio.toggled.connect(self._on_choice_changed)

        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_list = QListWidget()
        self.problems_list.setObjectName("printProblems")
        self.problems_list.setWordWrap(True)
        self.problems_list.setMaximumHeight(120)
        self.problems_list.hide()

        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.open_button = QPushButton(self.tr("Open PDF"))
        self.open_button.hide()
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.cancel_button = QPushButton(self.tr("Close"))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        form = QFormLayout()
        what_box = QVBoxLayout()
        what_box.addWidget(self.slips_radio)
        what_box.addWidget(self.pick_list_radio)
        form.addRow(self.tr("Print:"), what_box)
        form.addRow(self.tr("Page:"), self.size_box)
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.all_radio)
        scope_box.addWidget(self.selected_radio)
        form.addRow(self.tr("Orders:"), scope_box)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems_list)
        layout.addLayout(buttons)

    def _set_running(self, running: bool) -> None:
        for widget in (self.slips_radio, self.pick_list_radio, self.all_radio):
            widget.setEnabled(not running)
        self.selected_radio.setEnabled(not running and bool(self._selection))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self._on_choice_changed()

    def _show_error(self, message: str) -> None:
        follow_palette(self.status_label,
                       lambda dark: f"color: {colour('error.text', dark)};")
        self.status_label.setText(message)

    def _clear_error(self) -> None:
        follow_palette(self.status_label, lambda _dark: "")

    def _remembered_size(self) -> SlipSize:
        """The packing slips' page printed last time (A4 the first time)."""
        saved = self._ui_state.choices(STATE_NAME) if self._ui_state is not None else None
        size = (saved or {}).get("size")
        return SlipSize(size) if size in {s.value for s in SlipSize} else SlipSize.A4

    def _start(self, destination: Path | QPrinter, status: str) -> None:
        if self._job is not None:
            return
        request = self.request()
        if self._ui_state is not None and request.kind is PrintKind.PACKING_SLIPS:
            self._ui_state.set_choices(STATE_NAME, {"size": request.size.value})
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self._clear_error()
        self.status_label.setText(status)
        self.problems_list.clear()
        self.problems_list.hide()
        self.open_button.hide()
        job = PrintJob(queries=self._queries, request=request, destination=destination)
        self._job = job
        self._set_running(True)
        self._tasks.submit(job.run, context=self, progress=self._on_job_progressed,
                           done=self._on_job_done, failed=self._on_job_failed)

    # -- slots -------------------------------------------------------------------------------

    def _on_choice_changed(self, _checked: bool = False) -> None:
        running = self._job is not None
        self.size_box.setEnabled(not running and self.slips_radio.isChecked())
        # a pick list is on A4; the slips' page chosen comes back with the slips
        shown = self._slip_size if self.slips_radio.isChecked() else SlipSize.A4
        with QSignalBlocker(self.size_box):
            self.size_box.setCurrentIndex(self.size_box.findData(shown.value))
        count = self.chosen_count()
        usable = 0 < count <= MAX_ORDERS
        self.print_button.setEnabled(usable and not running)
        self.save_button.setEnabled(usable and not running)
        if running:
            return
        if count > MAX_ORDERS:
            self._show_error(translated(TooManyOrdersError(count)))
        elif count == 0:
            self._show_error(self.tr("There are no orders to print in the current view."))
        elif self.status_label.styleSheet():
            self._clear_error()
            self.status_label.clear()

    def _on_size_box_changed(self, _index: int) -> None:
        if self.slips_radio.isChecked():
            self._slip_size = SlipSize(self.size_box.currentData())

    def _on_print_button_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, self.request().size)
        printer.setDocName(self.suggested_name().removesuffix(".pdf"))  # the spooler's name
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("systemPrintDialog")
        dialog.setWindowTitle(self.tr("Print orders"))
        for option in (QAbstractPrintDialog.PrintDialogOption.PrintSelection,
                       QAbstractPrintDialog.PrintDialogOption.PrintPageRange,
                       QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage):
            dialog.setOption(option, False)
        dialog.accepted.connect(lambda: self._on_print_dialog_accepted(printer))
        dialog.finished.connect(dialog.deleteLater)
        QDialog.open(dialog)  # window-modal, not blocking (PySide's QPrintDialog.open wants a slot)

    def _on_print_dialog_accepted(self, printer: QPrinter) -> None:
        # The system's dialog picks the printer and its settings, but sets the page from the
        # printer's default (Letter, A4) however the printout was laid out: the page chosen
        # here is set again (a printer that cannot take it keeps its own, the printout scaled
        # to fit).
        prepare_printer(printer, self.request().size)
        self.start_printing(printer)

    def _on_save_button_clicked(self) -> None:
        path = ask_save_path(self, self.tr("Save as PDF"), self.suggested_name(),
                             self.tr("PDF files (*.pdf)"), folder=self._folder, suffix="pdf")
        if path is None:
            return
        self._folder = path.parent
        self.start_saving(path)

    def _on_cancel_button_clicked(self) -> None:
        if self._job is not None:
            self.cancel_printing()
        else:
            self.reject()

    def _on_open_button_clicked(self) -> None:
        if self._last_path is not None:
            open_link(QUrl.fromLocalFile(str(self._last_path)), self)

    def _on_job_progressed(self, progress: PrintProgress) -> None:
        job = self._job
        if job is None:
            return
        try:
            if not job.is_cancelling():
                self._show_progress(progress)
        finally:
            job.acknowledge()

    def _show_progress(self, progress: PrintProgress) -> None:
        if progress.stage is Stage.READING:
            self.progress_bar.setRange(0, max(progress.total, 1))
            self.progress_bar.setValue(progress.done)
            self.status_label.setText(self.tr("Reading the orders: %1 of %2…").replace(
                "%1", str(progress.done)).replace("%2", str(progress.total)))
        elif progress.stage is Stage.LAYING_OUT:
            self.progress_bar.setRange(0, 0)
            self.status_label.setText(self.tr("Laying out the pages…"))
        else:
            self.progress_bar.setRange(0, max(progress.total, 1))
            self.progress_bar.setValue(progress.done)
            self.status_label.setText(self.tr("Printing page %1 of %2…").replace(
                "%1", str(progress.done)).replace("%2", str(progress.total)))
        self.print_progressed.emit(progress)

    def _on_job_done(self, report: PrintReport | None) -> None:
        self._finish(report)

    def _on_job_failed(self, error: Exception) -> None:
        self._finish(error)

    def _finish(self, outcome: PrintReport | Exception | None) -> None:
        """The job is over (None: cancelled): the dialog is usable again, then the outcome
        is shown and signalled (so `is_running()` is False for the signals' receivers)."""
        job, self._job = self._job, None
        if job is None:
            return
        self.progress_bar.hide()
        self._set_running(False)
        if isinstance(outcome, PrintReport):
            self._succeeded(outcome)
        elif outcome is None:
            self.status_label.setText(self.tr("Cancelled: nothing more was printed or saved."))
            self.print_cancelled.emit()
        else:  # a bug's traceback is logged by the queue
            log.warning("printing failed: %s", outcome)
            message = translated(outcome) if isinstance(outcome, AppError) else self.tr(
                "Printing failed because of an error in Allegro Desktop (%1). Please report "
                "it.").replace("%1", f"{type(outcome).__name__}: {outcome}")
            self._show_error(message)
            self.print_failed.emit(message)
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()

    def _succeeded(self, report: PrintReport) -> None:
        if report.orders == 0:
            self._show_error(self.tr("No order could be printed: nothing was printed or "
                                     "saved."))
        else:
            slips = report.kind is PrintKind.PACKING_SLIPS
            pages = (self.tr("1 page") if report.pages == 1
                     else count_grouped(self.tr("%Ln pages", "", report.pages), report.pages,
                                        QLocale()))
            if report.path is None:
                text = (self.tr("Sent the packing slips of %Ln order(s) to the printer (%1).", "",
                                report.orders) if slips
                        else self.tr("Sent the pick list of %Ln order(s) to the printer (%1).", "",
                                     report.orders))
                text = count_grouped(text, report.orders, QLocale())
            else:
                text = (self.tr("Saved the packing slips of %Ln order(s) to %2 (%1).", "",
                                report.orders) if slips
                        else self.tr("Saved the pick list of %Ln order(s) to %2 (%1).", "",
                                     report.orders))
                text = count_grouped(text, report.orders, QLocale())
                self.open_button.show()
            self.status_label.setText(text.replace("%1", pages).replace("%2", str(report.path)))
        if report.problems:
            self.problems_list.addItem(count_grouped(
                self.tr("Orders left out (%Ln):", "", len(report.problems)),
                len(report.problems), QLocale()))
            for problem in report.problems:
                self.problems_list.addItem(f"{problem.order_id}: {translated(problem.reason)}")
            self.problems_list.show()
        self.print_finished.emit(report)
