"""Asking the seller for a file: where to save one the window is about to write (an export, a
printout, a backup, a statistics table, the diagnostics report) or which to open (a backup to
restore, an invoice's PDF). `file_dialog` builds the one dialog both use; `ask_save_path` and
`ask_open_path` are the one way the window asks.

The dialog opens in the folder last used or the one given, else the seller's Documents folder
(never the folder the app was started from). Where the desktop offers no dialog of its own
(Qt then draws one) it is fitted to the seller: the window's language and number format (Qt's
model of files writes sizes and dates in the system's locale, "8.65 MiB" in a Polish window),
and room for the places on the left ("Komputer") and for the type and date columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QHeaderView,
    QListView,
    QSplitter,
    QTreeView,
    QWidget,
)

from allegro_desktop.ui.formatting import datetime_text, size_text

__all__ = ["ask_open_path", "ask_save_path", "documents_folder", "file_dialog"]

#: The dialog's size (pixels) at most, and its share of the screen at most.
_SIZE: Final = (960, 600)
_SHARE: Final = 0.9
#: The columns of Qt's list of files (QFileSystemModel's).
_SIZE_COLUMN: Final = 1
_DATE_COLUMN: Final = 3
#: Pixels around a place's name in the list of places (its icon, the margins).
_PLACE_ROOM: Final = 48


def documents_folder() -> Path:
    """The seller's Documents folder (the home folder where the desktop names none)."""
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())


def file_dialog(parent: QWidget | None, title: str, file_filter: str, *, save: bool,
                folder: Path | None = None, name: str = "",
                suffix: str | None = None) -> QFileDialog:
    """The file dialog (see the module doc), not yet shown: to save `name` (with `suffix`
    added to a name typed without one) or to open an existing file, in `folder` (a folder
    that is not there: Documents, else the home folder; Qt would open the working folder)."""
    start = next((place for place in (folder, documents_folder()) if place is not None
                  and place.is_dir()), Path.home())
    dialog = QFileDialog(parent, title, str(start), file_filter)
    dialog.setObjectName("fileDialog")
    dialog.setLocale(QLocale())
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                         else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save
                       else QFileDialog.FileMode.ExistingFile)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    if name:
        dialog.selectFile(name)
    _fit(dialog, parent)
    return dialog


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str, *,
                  folder: Path | None = None, suffix: str | None = None) -> Path | None:
    """The path the seller chose for `name` in `folder` (default: Documents), None if they
    cancelled; with `suffix` ("pdf"), a name typed without any extension gets it."""
    path = _asked(file_dialog(parent, title, file_filter, save=True, folder=folder,
                              name=name, suffix=suffix))
    if path is None:
        return None
    return path.with_name(f"{path.name}.{suffix}") if suffix and not path.suffix else path


def ask_open_path(parent: QWidget | None, title: str, file_filter: str, *,
                  folder: Path | None = None) -> Path | None:
    """The existing file the seller chose in `folder` (default: Documents), None if they
    cancelled."""
    return _asked(file_dialog(parent, title, file_filter, save=False, folder=folder))


def _asked(dialog: QFileDialog) -> Path | None:
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.selectedFiles()
        return Path(chosen[0]) if chosen and chosen[0] else None
    finally:
        dialog.deleteLater()


def _fit(dialog: QFileDialog, parent: QWidget | None) -> None:
    """Qt's own dialog (none of this exists where the desktop draws its own): a size that
    shows the columns, the places whole, sizes and dates in the window's locale."""
    # the screen's share, not the opener's: opened over a small dialog (the export's), a
    # dialog of its size cut the names to "Naz…"
    screen = (parent or dialog).screen().availableGeometry()
    width = min(_SIZE[0], int(screen.width() * _SHARE))
    height = min(_SIZE[1], int(screen.height() * _SHARE))
    dialog.resize(max(width, dialog.minimumSizeHint().width()),
                  max(height, dialog.minimumSizeHint().height()))
    files = dialog.findChild(QTreeView, "treeView")
    if files is not None:
        dialog.setProxyModel(_LocalisedFiles(dialog))
        header = files.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    places = dialog.findChild(QListView, "sidebar")
    splitter = dialog.findChild(QSplitter, "splitter")
    if places is not None and splitter is not None and splitter.count() == 2:
        model = places.model()
        metrics = places.fontMetrics()
        widest = max((metrics.horizontalAdvance(str(model.index(row, 0).data() or ""))
                      for row in range(model.rowCount())), default=0)
        side = min(widest + _PLACE_ROOM, dialog.width() // 3)
        splitter.setSizes([side, max(dialog.width() - side, 1)])


class _LocalisedFiles(QIdentityProxyModel):
    """Qt's model of files with its sizes and dates in the window's locale (the default
    `QLocale`, not the system's), as the rest of the window writes them."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (_SIZE_COLUMN,
                                                                     _DATE_COLUMN):
            files = self.sourceModel()
            source = self.mapToSource(index)
            if isinstance(files, QFileSystemModel) and source.isValid():
                if index.column() == _SIZE_COLUMN:
                    return "" if files.isDir(source) else size_text(files.size(source),
                                                                   QLocale())
                seconds = files.lastModified(source).toSecsSinceEpoch()
                return datetime_text(datetime.fromtimestamp(seconds, UTC), QLocale())
        return super().data(index, role)
