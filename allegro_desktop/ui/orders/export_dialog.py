"""The "Export orders" dialog (Ctrl+E in the orders workspace): what to export and how, then
the export itself on a background thread with progress and Cancel.

The seller picks the format (CSV for Excel, an XLSX workbook, JSON), the orders (all in the
current view — the workspace's filter and sort — or the selected ones, in table order), a row
per order or per line item, the columns and, for CSV, the separator and decimal mark. Every
choice but the orders is remembered in `UiState` when an export starts and comes back in the
next dialog (`ExportChoices`); the first time, the columns are the table's visible ones with
the order id and the currency next to the amount (`default_columns`), and the separator and
decimal mark what Excel expects in the user's locale. The writing is
`services.export.export_orders`, run on a `TaskQueue` (`ui/tasks.py`) off the GUI thread; the
file appears whole or not at all, so Cancel and errors leave nothing behind. Errors the seller
can act on (no permission, disk full, …) are shown in the dialog with the `AppError`'s message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort
from allegro_desktop.services.export import (
    COLUMN_TITLES,
    VALUE_LABELS,
    ExportCancelled,
    ExportColumn,
    ExportFormat,
    ExportPer,
    ExportReport,
    ExportRequest,
    ItemColumn,
    column_of,
    csv_defaults_for,
    default_columns,
    export_orders,
)
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.formatting import count_grouped
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.links import open_link
from allegro_desktop.ui.save_path import ask_save_path
from allegro_desktop.ui.tasks import Task, TaskQueue
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["ExportChoices", "ExportDialog"]

log = logging.getLogger("allegro_desktop.ui")

_COLUMN_ROLE = int(Qt.ItemDataRole.UserRole) + 1

#: CSV separators offered (any other can be given on the command line).
_SEPARATORS = ((";", "semicolon"), (",", "comma"), ("\t", "tab"), ("|", "bar"))
#: How long the export waits for the window to take a progress report before going on (it
#: only ever waits this long if the GUI thread is stuck), and how often it looks meanwhile
#: whether its task was cancelled (the queue shut down: no report will be taken).
_ACK_TIMEOUT = 5.0
_ACK_POLL = 0.05
#: The name of the dialog's remembered choices in `UiState`.
STATE_NAME: Final = "export"


@dataclass(frozen=True)
class ExportChoices:
    """What the dialog remembers between exports: the format, a row per order or per line
    item, the checked columns in their order, the CSV separator and decimal mark.
    `from_dict` is tolerant: what is missing, unknown or damaged takes the default given."""

    fmt: ExportFormat
    per: ExportPer
    columns: tuple[ExportColumn, ...]
    delimiter: str
    decimal_comma: bool

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.fmt.value, "per": self.per.value,
                "columns": [column.value for column in self.columns],
                "delimiter": self.delimiter, "decimal_comma": self.decimal_comma}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, default: ExportChoices) -> ExportChoices:
        if not data:
            return default

        def text(key: str, allowed: set[str]) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value in allowed else None

        fmt = text("format", {f.value for f in ExportFormat})
        per = text("per", {p.value for p in ExportPer})
        delimiter = text("delimiter", {character for character, _name in _SEPARATORS})
        decimal_comma = data.get("decimal_comma")
        columns = data.get("columns")
        chosen: dict[ExportColumn, None] = {}
        for key in columns if isinstance(columns, list) else []:
            try:
                chosen[column_of(key if isinstance(key, str) else "")] = None
            except ValueError:
                log.info("export choices: ignoring the column %r", key)
        return cls(
            fmt=default.fmt if fmt is None else ExportFormat(fmt),
            per=default.per if per is None else ExportPer(per),
            columns=tuple(chosen) or default.columns,
            delimiter=default.delimiter if delimiter is None else delimiter,
            decimal_comma=(decimal_comma if isinstance(decimal_comma, bool)
                           else default.decimal_comma))


def default_column_title(column: ExportColumn) -> str:
    """A column's title in the user's language (the English ones live in services/export)."""
    return QCoreApplication.translate("OrderColumn", COLUMN_TITLES[column])


class _Export:
    """One export, run by a `TaskQueue` (`run`): the `ExportReport`, or None once cancelled
    (nothing was written); its errors (an `AppError`, or a bug) reach the queue's `failed`.

    Progress goes in lock-step: after each report the export waits until the window has
    taken it (`acknowledge`), at most `_ACK_TIMEOUT` seconds. So the window is never flooded,
    and a Cancel clicked on seeing a report is honoured before the next chunk is written.
    `cancel()` is the seller's Cancel: the export stops at its next chunk, and its end still
    reaches the window (the queue's own cancel would drop it); a shut-down queue stops it too.
    """

    def __init__(self, *, queries: OrderQueries, request: ExportRequest, path: Path) -> None:
        self.path = path
        self._queries = queries
        self._request = request
        self._stop = threading.Event()
        self._taken = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def acknowledge(self) -> None:
        """The window has taken the last progress report."""
        self._taken.set()

    def run(self, task: Task[tuple[int, int]]) -> ExportReport | None:
        def progress(done: int, total: int) -> None:
            self._taken.clear()
            task.report((done, total))
            deadline = time.monotonic() + _ACK_TIMEOUT
            while not self._taken.wait(_ACK_POLL):
                if task.is_cancelled() or time.monotonic() > deadline:
                    break

        def cancelled() -> bool:
            return self._stop.is_set() or task.is_cancelled()

        try:
            return export_orders(self._queries, self._request, self.path, progress=progress,
                                 cancelled=cancelled)
        except ExportCancelled:
            return None


class ExportDialog(QDialog):
    """Exports the workspace's orders to CSV, XLSX or JSON (see the module's docstring).

    The lead opens it with the workspace's current filter, sort, selection (seqs in table
    order), result count and visible columns; `column_titles` (a callable or a mapping) names
    the columns (default: the export's titles translated in the context "OrderColumn"),
    `account_names` maps account keys to logins, `prefer_selection` picks the scope first
    checked ("Export selected…": True; default: the selection when more than one order is
    selected), `folder` where the save dialog opens, `ui_state` where the choices are
    remembered (None: nowhere; the first-time defaults every time). `start_export(path)`
    starts an export without the file dialog (tests, "export again"). The export runs on
    `tasks` (the opener's queue, which it shuts down before the database closes), else on the
    dialog's own.

    Signals:
        export_progressed(int, int): orders done, orders in all (on the GUI thread; a slot
            that cancels here stops the export before its next chunk).
        export_finished(str, int): the file written, and its rows (without the header).
        export_failed(str): the message shown for a failed export.
        export_cancelled(): an export stopped on request; no file was written or changed.
    """

    export_progressed = Signal(int, int)
    export_finished = Signal(str, int)
    export_failed = Signal(str)
    export_cancelled = Signal()

    def __init__(self, *, queries: OrderQueries, order_filter: OrderFilter, sort: OrderSort,
                 selection: Sequence[int], total: int, visible_columns: Sequence[OrderColumn],
                 column_titles: (Callable[[ExportColumn], str]
                                 | Mapping[ExportColumn, str] | None) = None,
                 account_names: Mapping[str, str] | None = None,
                 prefer_selection: bool | None = None, folder: Path | None = None,
                 tasks: TaskQueue | None = None, ui_state: UiState | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks if tasks is not None else TaskQueue("export", parent=self)
        self._queries = queries
        self._filter = order_filter
        self._sort = sort
        self._selection = tuple(selection)
        self._total = total
        self._visible = tuple(visible_columns)
        if column_titles is None:
            self._title: Callable[[ExportColumn], str] = default_column_title
        elif isinstance(column_titles, Mapping):
            titles = column_titles
            self._title = lambda c: titles.get(c) or default_column_title(c)
        else:
            self._title = column_titles
        self._account_names = dict(account_names or {})
        self._prefer_selection = (len(self._selection) > 1 if prefer_selection is None
                                  else prefer_selection and bool(self._selection))
        self._folder = folder
        self._ui_state = ui_state
        self._export: _Export | None = None
        self._close_when_stopped = False
        self._last_path: Path | None = None
        self.setWindowTitle(self.tr("Export orders"))
        self._build(self._remembered_choices())
        self._on_per_changed()

    # -- public ------------------------------------------------------------------------------

    def choices(self) -> ExportChoices:
        """What the dialog shows chosen (and remembers when an export starts)."""
        return ExportChoices(
            fmt=ExportFormat(self.format_box.currentData()),
            per=ExportPer.LINE_ITEM if self.per_item_radio.isChecked() else ExportPer.ORDER,
            columns=tuple(self._column_at(row) for row in range(self.columns_list.count())
                          if self.columns_list.item(row).checkState()
                          == Qt.CheckState.Checked),
            delimiter=str(self.separator_box.currentData()),
            decimal_comma=self.decimal_comma_box.isChecked())

    def request(self) -> ExportRequest:
        """The export the dialog's choices describe."""
        chosen = self.choices()
        fmt, per, columns = chosen.fmt, chosen.per, chosen.columns
        selected = self.selected_radio.isChecked() and bool(self._selection)
        sheet = self.tr("Orders") if per is ExportPer.ORDER else self.tr("Line items")
        return ExportRequest(
            fmt=fmt, per=per, columns=tuple(columns), order_filter=self._filter,
            sort=self._sort, selection=self._selection if selected else None,
            delimiter=chosen.delimiter, decimal_comma=chosen.decimal_comma,
            headers={column: self._title(column) for column in columns},
            labels={code: QCoreApplication.translate("OrderValue", text)
                    for code, text in VALUE_LABELS.items()},
            account_names=self._account_names,
            sheet_name=_sheet_name(sheet))

    def suggested_name(self) -> str:
        """The file name the save dialog proposes: "orders-2026-11-24.csv" (translated)."""
        fmt = ExportFormat(self.format_box.currentData())
        stem = self.tr("orders-%1").replace("%1", date.today().isoformat())
        return f"{stem}.{fmt.value}"

    def is_running(self) -> bool:
        return self._export is not None

    def start_export(self, path: Path) -> None:
        """Export to `path` (a file there is replaced once the new one is complete)."""
        if self._export is not None:
            return
        try:
            request = self.request()
        except ValueError:  # no column checked: the button is disabled, but be sure
            self._show_error(self.tr("Choose at least one column to export."))
            return
        path = Path(path)
        self._last_path = path
        if self._ui_state is not None:
            self._ui_state.set_choices(STATE_NAME, self.choices().to_dict())
        count = len(request.selection) if request.selection is not None else self._total
        self.progress_bar.setRange(0, max(count, 1))
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        follow_palette(self.status_label, lambda _dark: "")
        self.status_label.setText(self.tr("Exporting to %1…").replace("%1", str(path)))
        self.open_folder_button.hide()
        export = _Export(queries=self._queries, request=request, path=path)
        self._export = export
        self._set_running(True)
        self._tasks.submit(export.run, context=self, progress=self._on_export_progressed,
                           done=self._on_export_done, failed=self._on_export_failed)

    def cancel_export(self) -> None:
        """Stop the running export (it stops at its next chunk; nothing is written)."""
        if self._export is not None:
            self._export.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("Cancelling…"))

    # -- QDialog -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Closing while exporting cancels first and closes once the export has stopped
        (never blocking the window, never leaving an export behind)."""
        if self._export is not None:
            self._close_when_stopped = True
            self.cancel_export()
            return
        super().reject()

    # -- building ----------------------------------------------------------------------------

    def _remembered_choices(self) -> ExportChoices:
        """The choices of the last export, or the first-time defaults."""
        csv_defaults = csv_defaults_for(QLocale().name())
        default = ExportChoices(
            fmt=ExportFormat.CSV, per=ExportPer.ORDER,
            columns=(*default_columns(ExportPer.ORDER, self._visible), *ItemColumn),
            delimiter=csv_defaults.delimiter, decimal_comma=csv_defaults.decimal_comma)
        saved = self._ui_state.choices(STATE_NAME) if self._ui_state is not None else None
        return ExportChoices.from_dict(saved, default)

    def _build(self, chosen: ExportChoices) -> None:
        self.format_box = QComboBox()
        self.format_box.addItem(self.tr("CSV (Excel, LibreOffice, any program)"),
                                ExportFormat.CSV.value)
        self.format_box.addItem(self.tr("Excel workbook (XLSX)"), ExportFormat.XLSX.value)
        self.format_box.addItem(self.tr("JSON (for programs)"), ExportFormat.JSON.value)
        self.format_box.setCurrentIndex(self.format_box.findData(chosen.fmt.value))
        self.format_box.currentIndexChanged.connect(self._on_format_changed)

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
        (self.selected_radio if self._prefer_selection else self.all_radio).setChecked(True)

        self.per_order_radio = QRadioButton(self.tr("One row per order"))
        self.per_item_radio = QRadioButton(
            self.tr("One row per line item (the order's columns repeated)"))
        per = QButtonGroup(self)
        per.addButton(self.per_order_radio)
        per.addButton(self.per_item_radio)
        (self.per_item_radio if chosen.per is ExportPer.LINE_ITEM
         else self.per_order_radio).setChecked(True)
        self.per_item_radio.toggled.connect(self._on_per_changed)

        self.columns_list = QListWidget()
        self.columns_list.setMinimumHeight(160)
        # the checked columns in their order, then the others; the item columns last
        checked_order = [c for c in chosen.columns if isinstance(c, OrderColumn)]
        order = [*checked_order, *(c for c in OrderColumn if c not in checked_order)]
        for column in (*order, *ItemColumn):
            item = QListWidgetItem(self._title(column))
            item.setData(_COLUMN_ROLE, column.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = column in chosen.columns
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.columns_list.addItem(item)
        self.columns_list.itemChanged.connect(self._on_columns_list_item_changed)

        self.separator_box = QComboBox()
        names = {"semicolon": self.tr("Semicolon ( ; )"), "comma": self.tr("Comma ( , )"),
                 "tab": self.tr("Tab"), "bar": self.tr("Vertical bar ( | )")}
        for character, name in _SEPARATORS:
            self.separator_box.addItem(names[name], character)
        self.separator_box.setCurrentIndex(self.separator_box.findData(chosen.delimiter))
        self.decimal_comma_box = QCheckBox(self.tr("Decimal comma (245,00)"))
        self.decimal_comma_box.setChecked(chosen.decimal_comma)
        self.csv_group = QGroupBox(self.tr("CSV"))
        csv_form = QFormLayout(self.csv_group)
        csv_form.addRow(self.tr("Separator:"), self.separator_box)
        csv_form.addRow("", self.decimal_comma_box)

        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.open_folder_button.hide()
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.cancel_button = QPushButton(self.tr("Close"))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_box)
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.all_radio)
        scope_box.addWidget(self.selected_radio)
        form.addRow(self.tr("Orders:"), scope_box)
        per_box = QVBoxLayout()
        per_box.addWidget(self.per_order_radio)
        per_box.addWidget(self.per_item_radio)
        form.addRow(self.tr("Rows:"), per_box)
        form.addRow(self.tr("Columns:"), self.columns_list)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.csv_group)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

    def _column_at(self, row: int) -> ExportColumn:
        """The column of the checklist's row (Qt keeps its id as a plain string)."""
        return column_of(str(self.columns_list.item(row).data(_COLUMN_ROLE)))

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self._update_enabled()

    def _update_enabled(self) -> None:
        """Every control's enabled state, from one place: nothing to change while an export
        runs; the CSV options for CSV only; "selected" with a selection; Export with a
        column checked (an item column counts per line item only)."""
        idle = self._export is None
        for widget in (self.format_box, self.all_radio, self.per_order_radio,
                       self.per_item_radio, self.columns_list):
            widget.setEnabled(idle)
        self.selected_radio.setEnabled(idle and bool(self._selection))
        self.csv_group.setEnabled(
            idle and self.format_box.currentData() == ExportFormat.CSV.value)
        per_item = self.per_item_radio.isChecked()
        chosen = any(
            self.columns_list.item(row).checkState() == Qt.CheckState.Checked
            and (per_item or not isinstance(self._column_at(row), ItemColumn))
            for row in range(self.columns_list.count()))
        self.export_button.setEnabled(idle and chosen)

    def _show_error(self, message: str) -> None:
        follow_palette(self.status_label,
                       lambda dark: f"color: {colour('error.text', dark)};")
        self.status_label.setText(message)

    # -- slots -------------------------------------------------------------------------------

    def _on_format_changed(self) -> None:
        self._update_enabled()

    def _on_per_changed(self) -> None:
        per_item = self.per_item_radio.isChecked()
        for row in range(self.columns_list.count()):
            if isinstance(self._column_at(row), ItemColumn):
                self.columns_list.item(row).setHidden(not per_item)
        self._update_enabled()

    def _on_columns_list_item_changed(self, _item: QListWidgetItem | None = None) -> None:
        self._update_enabled()

    def _on_export_button_clicked(self) -> None:
        fmt = ExportFormat(self.format_box.currentData())
        filters = {ExportFormat.CSV: self.tr("CSV files (*.csv)"),
                   ExportFormat.XLSX: self.tr("Excel workbooks (*.xlsx)"),
                   ExportFormat.JSON: self.tr("JSON files (*.json)")}
        path = ask_save_path(self, self.tr("Export orders"), self.suggested_name(),
                             filters[fmt], folder=self._folder, suffix=fmt.value)
        if path is None:
            return
        self._folder = path.parent
        self.start_export(path)

    def _on_cancel_button_clicked(self) -> None:
        if self._export is not None:
            self.cancel_export()
        else:
            self.reject()

    def _on_open_folder_button_clicked(self) -> None:
        if self._last_path is not None:
            open_link(QUrl.fromLocalFile(str(self._last_path.parent)), self)

    def _on_export_progressed(self, progress: tuple[int, int]) -> None:
        done, total = progress
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.export_progressed.emit(done, total)
        if self._export is not None:
            self._export.acknowledge()

    def _on_export_done(self, report: ExportReport | None) -> None:
        self._finish(report)

    def _on_export_failed(self, error: Exception) -> None:
        self._finish(error)

    def _succeeded(self, report: ExportReport) -> None:
        self.progress_bar.setValue(self.progress_bar.maximum())
        if report.rows == report.orders:
            text = count_grouped(self.tr("Exported %Ln orders to %1.", "", report.orders),
                                 report.orders, QLocale())
        else:
            text = count_grouped(self.tr("Exported %Ln rows (line items) to %1.", "", report.rows),
                                 report.rows, QLocale())
        self.status_label.setText(text.replace("%1", str(report.path)))
        self.open_folder_button.show()
        self.export_finished.emit(str(report.path), report.rows)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, AppError):
            message = translated(error)
        else:
            message = self.tr("The export failed because of an error in Allegro Desktop "
                              "(%1). Nothing was written. Please report it.").replace(
                                  "%1", f"{type(error).__name__}: {error}")
        self.progress_bar.hide()
        self._show_error(message)
        self.export_failed.emit(message)

    def _cancelled(self) -> None:
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Export cancelled: no file was written."))
        self.export_cancelled.emit()

    def _finish(self, outcome: ExportReport | Exception | None) -> None:
        """The export is over (None: cancelled): the dialog is usable again, then the outcome
        is shown and signalled (so `is_running()` is False for the signals' receivers)."""
        export, self._export = self._export, None
        if export is None:
            return
        self._set_running(False)
        if isinstance(outcome, ExportReport):
            self._succeeded(outcome)
        elif outcome is None:
            self._cancelled()
        else:  # a bug's traceback is logged by the queue
            log.warning("export to %s failed: %s", export.path, outcome)
            self._failed(outcome)
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()


def _sheet_name(text: str) -> str:
    """A valid XLSX sheet name from a (translated) text: at most 31 characters, none of
    `[]:*?/\\`."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in text).strip(" '")
    return cleaned[:31] or "Sheet1"
