"""`FigureFiles`: the Statistics tab's figures to files the seller chooses — a panel's chart as
a PNG, its table as CSV or Excel — asking where (a default name naming the period) and saying
how it went.

Every file is written like every file the user chooses (`services/safe_write.py`): whole or not
at all, never over the app's own files, a folder, a link or a pipe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLocale,
    QObject,
    Signal,
)
from PySide6.QtWidgets import QWidget

from allegro_desktop.domain.errors import AppError
from allegro_desktop.services.export import csv_defaults_for
from allegro_desktop.services.safe_write import replacing_atomically
from allegro_desktop.services.table_export import TableFormat, write_table
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.save_path import ask_save_path
from allegro_desktop.ui.stats.panels import Panel

__all__ = ["FigureFiles", "save_png"]

#: The file names the save dialog proposes, by panel (a file name, so no spaces).
_FILE_STEMS: dict[str, object] = {
    "orders-over-time": QT_TRANSLATE_NOOP("StatsFiles", "orders-over-time"),
    "top-products-by-revenue": QT_TRANSLATE_NOOP("StatsFiles", "top-products-by-revenue"),
    "top-products-by-units": QT_TRANSLATE_NOOP("StatsFiles", "top-products-by-units"),
    "delivery-methods": QT_TRANSLATE_NOOP("StatsFiles", "delivery-methods"),
    "marketplaces": QT_TRANSLATE_NOOP("StatsFiles", "marketplaces"),
    "weekday-hour": QT_TRANSLATE_NOOP("StatsFiles", "weekday-hour"),
}


class _ImageNotWrittenError(Exception):
    """Qt could not encode or write the image (it does not say why)."""


def save_png(widget: QWidget, path: Path) -> bool:
    """`widget` as it is painted now, to a PNG file at `path` — written like every file the
    user chooses (`services/safe_write.py`: whole or not at all, never over the app's own
    files, a folder, a link or a pipe, which raise `ExportError`); False if Qt could not
    write the image."""
    pixmap = widget.grab()
    if pixmap.isNull():
        return False
    try:
        with replacing_atomically(path) as temporary:
            if not pixmap.save(str(temporary), "PNG"):
                raise _ImageNotWrittenError
    except _ImageNotWrittenError:
        return False
    return True


class FigureFiles(QObject):
    """Saves the chart or the table of the panels named in `panels` when the seller asks (a
    panel's buttons, its chart's context menu) or a caller does; `period_days` gives the days
    of the figures shown, for the default file name; dialogs open over `parent`.

    Signals:
        message(str, bool): what to tell the seller, and whether it is an error.
    """

    message = Signal(str, bool)

    def __init__(self, panels: Mapping[str, Panel], *,
                 period_days: Callable[[], tuple[date, date] | None], parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._panels = panels
        self._period_days = period_days
        for name, panel in panels.items():
            panel.png_requested.connect(
                lambda name=name: self._on_panel_png_requested(name))
            panel.export_requested.connect(
                lambda fmt, name=name: self._on_panel_export_requested(name, fmt))

    def default_file_name(self, name: str, suffix: str) -> str:
        """"orders-over-time_2026-11-01_2026-11-24.png": what (in the window's language),
        and the period's days."""
        stem = _FILE_STEMS.get(name)
        stem = name if stem is None else QCoreApplication.translate("StatsFiles", str(stem))
        days = self._period_days()
        if days is None:
            return f"{stem}.{suffix}"
        return f"{stem}_{days[0].isoformat()}_{days[1].isoformat()}.{suffix}"

    def save_png(self, name: str, path: Path) -> bool:
        """The chart of panel `name` to a PNG at `path`; says so either way."""
        chart = self._panels[name].chart
        assert chart is not None
        try:
            saved = save_png(chart, path)
        except AppError as exc:  # a refused target, a full disk, no permission
            self.message.emit(translated(exc), True)
            return False
        if saved:
            self.message.emit(self.tr("Saved %1").replace("%1", str(path)), False)
            return True
        self.message.emit(self.tr(
            "The image could not be saved to %1. Check that the folder exists and you may "
            "write there, or choose another folder.").replace("%1", str(path)), True)
        return False

    def export_table(self, name: str, path: Path, fmt: TableFormat) -> bool:
        """The table of panel `name` to a CSV or XLSX file at `path`; says so either way."""
        model = self._panels[name].model
        assert model is not None
        try:
            write_table(model.table(), path, fmt,
                        csv_options=csv_defaults_for(QLocale().name()))
        except AppError as exc:
            self.message.emit(translated(exc), True)
            return False
        self.message.emit(self.tr("Saved %1").replace("%1", str(path)), False)
        return True

    def _ask_path(self, name: str, suffix: str, file_filter: str) -> Path | None:
        path = ask_save_path(self._parent, self.tr("Save as"),
                             self.default_file_name(name, suffix), file_filter)
        if path is None:
            return None
        return path if path.suffix.lower() == "." + suffix else path.with_name(
            path.name + "." + suffix)

    def _on_panel_png_requested(self, name: str) -> None:
        path = self._ask_path(name, "png", self.tr("PNG image (*.png)"))
        if path is not None:
            self.save_png(name, path)

    def _on_panel_export_requested(self, name: str, fmt: Any) -> None:
        fmt = TableFormat(fmt)
        file_filter = self.tr("CSV file (*.csv)") if fmt is TableFormat.CSV \
            else self.tr("Excel workbook (*.xlsx)")
        path = self._ask_path(name, fmt.value, file_filter)
        if path is not None:
            self.export_table(name, path, fmt)
