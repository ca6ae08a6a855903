"""`OrderLabelsBox`: the current order's tags (chips, and a button opening the Tags menu) and
its private note on the details panel.

The note is a plain-text editor saved when it loses the focus or on Ctrl+Enter (asked for
through `note_edited`; the controller writes it off the GUI thread and answers with
`show_saved` or `show_failed`). A line under it says where the note is: "Saving…", "Saved",
the reason it could not be saved, or that it is too long (over `MAX_NOTE_LENGTH` characters
it is not saved at all: the seller shortens it first). An order shown again after a refresh
keeps what the seller is typing; moving to another order saves the previous one first.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.labels import MAX_NOTE_LENGTH
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.orders.labels.chips import TagChips
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["OrderLabelsBox"]

#: The length from which the line under the note counts the characters left.
_COUNT_FROM: Final = MAX_NOTE_LENGTH - 500


class OrderLabelsBox(QWidget):
    """Tags and private note of one order (see the module's docstring).

    Signals:
        note_edited(str, str): save this note (text as typed) on this order (checkout-form id).
        tags_requested(): the seller clicked the tags' button (the controller pops the menu).
    """

    note_edited = Signal(str, str)
    tags_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderLabels")
        self._order_id: str | None = None
        self._saved = ""  # the note as stored (what the editor started from, or last saved)
        self._state = ""  # "saving", "saved", "failed", ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        heading = QHBoxLayout()
        self.tags_title = self._title("tagsTitle")
        heading.addWidget(self.tags_title)
        heading.addStretch(1)
        self.tags_button = QToolButton(self)
        self.tags_button.setObjectName("editTags")
        self.tags_button.setAutoRaise(True)
        self.tags_button.clicked.connect(self.tags_requested)
        heading.addWidget(self.tags_button)
        layout.addLayout(heading)
        self.chips = TagChips(self)
        self.chips.setObjectName("tagChips")
        layout.addWidget(self.chips)
        self.no_tags = QLabel(self)
        self.no_tags.setObjectName("noTags")
        self.no_tags.setEnabled(False)
        layout.addWidget(self.no_tags)

        layout.addSpacing(6)
        self.note_title = self._title("privateNoteTitle")
        layout.addWidget(self.note_title)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("privateNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.note_edit.textChanged.connect(self._on_text_changed)
        self.note_edit.installEventFilter(self)
        layout.addWidget(self.note_edit)
        self.status = QLabel(self)
        self.status.setObjectName("privateNoteStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._retranslate()
        self.show_order(None)

    def _title(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    # -- public ----------------------------------------------------------------------------

    @property
    def order_id(self) -> str | None:
        return self._order_id

    def is_dirty(self) -> bool:
        """Whether the editor holds text not saved yet."""
        return self._order_id is not None and self.note_edit.toPlainText() != self._saved

    def show_order(self, row: OrderRow | None) -> None:
        """Show this order's tags and note (None: nothing). The same order again keeps what
        is being typed; another order saves the note being typed first."""
        if row is None or row.id != self._order_id:
            self.save_now()
        if row is None:
            self._order_id = None
            self.setVisible(False)
            return
        self.setVisible(True)
        self.chips.set_tags(row.tags)
        self.chips.setVisible(bool(row.tags))
        self.no_tags.setVisible(not row.tags)
        stored = row.private_note or ""
        if row.id != self._order_id:
            self._order_id = row.id
            self._saved = stored
            self._state = ""
            self._set_editor(stored)
        elif not self.is_dirty() and self._state != "saving":
            self._saved = stored
            self._set_editor(stored)
        self._show_status()

    def save_now(self) -> None:
        """Ask for the note to be saved if it changed (and is not too long)."""
        if self._order_id is None or not self.is_dirty():
            return
        text = self.note_edit.toPlainText()
        if len(text.strip()) > MAX_NOTE_LENGTH:
            self._show_status()
            return
        self._state = "saving"
        self._show_status()
        self.note_edited.emit(self._order_id, text)

    def show_saved(self, order_id: str, text: str) -> None:
        """The note `text` of `order_id` is stored."""
        if order_id != self._order_id:
            return
        self._saved = text
        self._state = "saved" if not self.is_dirty() else ""
        self._show_status()

    def show_failed(self, order_id: str, reason: str) -> None:
        """The note of `order_id` could not be saved (the text stays in the editor)."""
        if order_id != self._order_id:
            return
        self._state = "failed"
        self._show_status(reason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.note_edit:
            if event.type() == QEvent.Type.FocusOut:
                self.save_now()
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save_now()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- inside ----------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.tags_title.setText(self.tr("Tags"))
        self.tags_button.setText(self.tr("Tags…"))
        self.tags_button.setToolTip(self.tr("Add or remove this order's tags (Ctrl+G)"))
        self.no_tags.setText(self.tr("No tags"))
        self.note_title.setText(self.tr("Private note"))
        self.note_edit.setPlaceholderText(self.tr(
            "Only for you, kept on this computer (never sent to Allegro). Saved when you "
            "leave the field or press Ctrl+Enter."))
        self._show_status()

    def _set_editor(self, text: str) -> None:
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(text)
        self.note_edit.blockSignals(False)

    def _on_text_changed(self) -> None:
        if self._state in ("saved", "failed"):
            self._state = ""
        self._show_status()

    def _show_status(self, reason: str = "") -> None:
        length = len(self.note_edit.toPlainText().strip())
        error = False
        if length > MAX_NOTE_LENGTH:
            text = self.tr("Too long to save: %1 of at most %2 characters. Shorten it.") \
                .replace("%1", str(length)).replace("%2", str(MAX_NOTE_LENGTH))
            error = True
        elif self._state == "failed":
            text = self.tr("Not saved: %1").replace("%1", reason) if reason \
                else self.status.text()
            error = True
        elif self._state == "saving":
            text = self.tr("Saving…")
        elif self._state == "saved":
            text = self.tr("✓ Saved")
        elif self.is_dirty():
            text = self.tr("Not saved yet (leave the field or press Ctrl+Enter)")
        else:
            text = ""
        if not error and length >= _COUNT_FROM:
            text = f"{text}  " if text else ""
            text += self.tr("%1 characters left").replace("%1", str(MAX_NOTE_LENGTH - length))
        self.status.setText(text)
        follow_palette(self.status, (lambda dark: f"color: {colour('error.text', dark)};")
                       if error else (lambda _dark: ""))
