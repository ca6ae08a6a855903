"""`MessageLine`: a message that may be long, shown as one line that fits its place (cut with
"…" when it does not), the whole explanation one click away — "Details…" opens a box with it.

For the places that must stay one line high whatever they are told: the status bar (a sync
error, a keyring that cannot be used, a locked or damaged database, offline) and the Orders
tab's result line. A message that is several lines long or wider than its place used to make
the bar grow, squeeze the table or lose its end (or its beginning) at the window's edge.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSizePolicy,
    QWidget,
)

from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["MessageLine"]

#: Pixels between the line and its "Details…" link.
_SPACING: Final = 6


class MessageLine(QWidget):
    """One line of text (`text`), elided on the right to the width it has, and a "Details…"
    link shown when there is more to read than the line shows — a longer `details` text, or
    a line cut to fit. The link opens a box (`details_box`) with the whole of it.

    `title` is the box's title; `alignment` the line's (right-aligned lines are cut on the
    left of their place, never their text's beginning)."""

    def __init__(self, *, title: str, alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._text = ""
        self._details = ""
        self._error = False
        self.details_box: QMessageBox | None = None
        self._right = bool(alignment & Qt.AlignmentFlag.AlignRight)
        # No layout: `_fit` places the text and, right after it, the link (a layout asked to
        # follow the text's width while it resizes the widget does not settle).
        self.label = QLabel(self)
        self.label.setObjectName("messageText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(False)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.details_link = QLabel(self)
        self.details_link.setObjectName("messageDetails")
        self.details_link.setTextFormat(Qt.TextFormat.RichText)
        details = self.tr("Details…")
        self.details_link.setText(f'<a href="#details">{details}</a>')
        self.details_link.setToolTip(self.tr("Show the whole message"))
        self.details_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.details_link.linkActivated.connect(self._on_details_link_activated)
        self.details_link.hide()
        # Ignored: the line takes the width it is given, and never asks the window for more.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        height = max(self.label.sizeHint().height(), self.details_link.sizeHint().height())
        return QSize(self.label.fontMetrics().horizontalAdvance(_one_line(self._text)), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, self.sizeHint().height())

    # -- state ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The line as it was given (not cut)."""
        return self._text

    @property
    def details(self) -> str:
        """What "Details…" shows: the longer explanation, else the line itself."""
        return self._details or self._text

    @property
    def shown_text(self) -> str:
        """The line as it is shown: one line, cut with "…" to fit."""
        return self.label.text()

    @property
    def has_more(self) -> bool:
        """There is more to read than the line shows ("Details…" is offered)."""
        whole = _one_line(self._text)
        return bool(self._text) and (self.label.text() != whole
                                     or _one_line(self.details) != whole)

    # -- public ---------------------------------------------------------------------------

    def set_message(self, text: str, *, details: str = "", error: bool = False) -> None:
        """Show `text` on the line; `details` is the whole explanation behind it (empty: the
        text itself, when it does not fit); `error` shows it in the error colour."""
        self._text = text
        self._details = details
        if error != self._error:
            self._error = error
            # the error colour of the scheme in use, again when the seller switches theme
            follow_palette(self.label, lambda dark: (
                f"color: {colour('error.text', dark)};" if error else ""))
        self.setToolTip(text if text else "")
        self.updateGeometry()
        self._fit()

    def clear(self) -> None:
        self.set_message("")

    def open_details(self) -> QMessageBox:
        """Show the whole message in a box (window-modal, not blocking); returns it."""
        if self.details_box is not None:
            self.details_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning if self._error
                          else QMessageBox.Icon.Information,
                          self._title, self.details, QMessageBox.StandardButton.Close,
                          self.window())
        box.setObjectName("messageDetailsBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_details_box_finished)
        self.details_box = box
        box.open()
        return box

    # -- helpers --------------------------------------------------------------------------

    def _fit(self) -> None:
        whole = _one_line(self._text)
        metrics = self.label.fontMetrics()
        width = self.width()
        shown = metrics.elidedText(whole, Qt.TextElideMode.ElideRight, width)
        more = bool(whole) and (shown != whole or _one_line(self.details) != whole)
        link_width = self.details_link.sizeHint().width() if more else 0
        if more:  # the link takes its place from the line: fit in what is left
            shown = metrics.elidedText(whole, Qt.TextElideMode.ElideRight,
                                       max(width - link_width - _SPACING, 0))
        self.label.setText(shown)
        text_width = min(metrics.horizontalAdvance(shown) + 2, width)
        used = text_width + (_SPACING + link_width if more else 0)
        left = max(width - used, 0) if self._right else 0
        height = self.height()
        self.label.setGeometry(left, 0, text_width, height)
        self.details_link.setGeometry(left + text_width + _SPACING, 0, link_width, height)
        self.details_link.setVisible(more)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    # -- slots ----------------------------------------------------------------------------

    def _on_details_link_activated(self, _link: str) -> None:
        self.open_details()

    def _on_details_box_finished(self, _result: int) -> None:
        self.details_box = None


def _one_line(text: str) -> str:
    """`text` on one line: its line breaks (and the blanks around them) as one space."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
