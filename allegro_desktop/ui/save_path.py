"""Asking where to save a file the seller is about to write (an export, a printout, a backup,
a statistics table): Qt's save dialog, opened in the folder last used or else the seller's
Documents folder, with a suggested name. `ask_save_path` is the one way the window asks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

__all__ = ["ask_save_path", "documents_folder"]


def documents_folder() -> Path:
    """The seller's Documents folder (the home folder where the desktop names none)."""
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str, *,
                  folder: Path | None = None, suffix: str | None = None) -> Path | None:
    """The path the seller chose for `name` in `folder` (default: Documents), None if they
    cancelled; with `suffix` ("pdf"), a name typed without any extension gets it."""
    start = (folder or documents_folder()) / name
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    return path.with_name(f"{path.name}.{suffix}") if suffix and not path.suffix else path
