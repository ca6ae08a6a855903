"""Answering the window's file dialogs (ui/save_path.py) as a seller would: the real dialog
opens (Qt's own, offscreen), is looked at, and gets a file typed in and accepted — or is
cancelled. `FileDialogs` watches the application for file dialogs being shown while it is
installed (a context manager, or `start` and `stop`); `seen` records each one as it was when
it opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog


@dataclass(frozen=True)
class SeenDialog:
    """A file dialog as it opened: its title, folder, suggested name, filters, locale and
    the dialog itself (alive until it is answered)."""

    title: str
    folder: Path
    name: str
    filters: list[str]
    locale: QLocale
    dialog: QFileDialog


class FileDialogs(QObject):
    """Answers every file dialog shown while installed with `answer(seen)`: a path (typed in
    the dialog, then accepted) or None (cancelled). Before answering, `look(seen)` may
    inspect the live dialog."""

    def __init__(self, answer: Callable[[SeenDialog], Path | str | None],
                 look: Callable[[SeenDialog], None] | None = None) -> None:
        super().__init__()
        self._answer = answer
        self._look = look
        self.seen: list[SeenDialog] = []

    def start(self) -> FileDialogs:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        return self

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def __enter__(self) -> FileDialogs:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            dialog = watched
            QTimer.singleShot(0, lambda: self._respond(dialog))
        return False

    def _respond(self, dialog: QFileDialog) -> None:
        selected = dialog.selectedFiles()
        seen = SeenDialog(title=dialog.windowTitle(), folder=Path(dialog.directory().path()),
                          name=Path(selected[0]).name if selected else "",
                          filters=dialog.nameFilters(), locale=dialog.locale(), dialog=dialog)
        self.seen.append(seen)
        chosen: Path | str | None = None
        try:  # a look that fails must not leave the dialog open (its caller would hang)
            if self._look is not None:
                self._look(seen)
            chosen = self._answer(seen)
        finally:
            if chosen is None:
                dialog.reject()
        if chosen is None:
            return
        dialog.selectFile(str(chosen))
        dialog.done(QDialog.DialogCode.Accepted)
