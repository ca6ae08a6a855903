"""`ManageTagsDialog` ("Manage tags…"): every tag with its colour and how many orders have it;
Rename…, Change colour… and Delete… (confirmed, saying how many orders lose it). The dialog
asks (its signals); the controller writes off the GUI thread and shows the new list
(`set_tags`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.labels import Tag
from allegro_desktop.ui.formatting import count_grouped
from allegro_desktop.ui.orders.labels.chips import swatch_icon
from allegro_desktop.ui.orders.labels.tag_dialog import TagDialog

__all__ = ["ManageTagsDialog"]


class ManageTagsDialog(QDialog):
    """The tags of the profile, to rename, recolour or delete (see the module's docstring).

    Signals:
        rename_requested(int, str): tag id, new name.
        recolour_requested(int, str): tag id, new colour.
        delete_requested(int): tag id (the seller confirmed).
    """

    rename_requested = Signal(int, str)
    recolour_requested = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manageTagsDialog")
        self.setWindowTitle(self.tr("Manage tags"))
        self._tags: list[Tag] = []
        self._counts: dict[int, int] = {}
        #: The dialogs opened last (for tests: `open()` does not block).
        self.tag_dialog: TagDialog | None = None
        self.confirm: QMessageBox | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Tags are yours: kept on this computer, never sent to Allegro."),
                       self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.tag_list = QListWidget(self)
        self.tag_list.setObjectName("tagList")
        self.tag_list.currentRowChanged.connect(self._update_buttons)
        self.tag_list.itemDoubleClicked.connect(self.rename_current)
        row.addWidget(self.tag_list, 1)
        buttons = QVBoxLayout()
        self.rename_button = self._button("renameTag", self.tr("&Rename…"), self.rename_current)
        self.colour_button = self._button("recolourTag", self.tr("Change &colour…"),
                                          self.recolour_current)
        self.delete_button = self._button("deleteTag", self.tr("&Delete…"), self.delete_current)
        for button in (self.rename_button, self.colour_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        self.empty_label = QLabel(self.tr(
            "No tags yet. Make one from the orders' context menu: Tags → New tag…"), self)
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(460, 340)
        self._update_buttons()

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def set_tags(self, tags: Sequence[Tag], counts: Mapping[int, int]) -> None:
        """Show these tags (by name) and their order counts; the chosen one stays chosen."""
        current = self.current_tag()
        self._tags = list(tags)
        self._counts = dict(counts)
        self.tag_list.clear()
        for tag in self._tags:
            count = self._counts.get(tag.id, 0)
            text = (self.tr("%1 — 1 order") if count == 1
                    else count_grouped(self.tr("%1 — %Ln orders", "", count), count, QLocale())
                    ).replace("%1", tag.name)
            item = QListWidgetItem(swatch_icon(tag.colour, 14), text)
            item.setData(Qt.ItemDataRole.UserRole, tag.id)
            self.tag_list.addItem(item)
        ids = [tag.id for tag in self._tags]
        if current is not None and current.id in ids:
            self.tag_list.setCurrentRow(ids.index(current.id))
        elif ids:
            self.tag_list.setCurrentRow(0)
        self.empty_label.setVisible(not ids)
        self._update_buttons()

    def current_tag(self) -> Tag | None:
        row = self.tag_list.currentRow()
        return self._tags[row] if 0 <= row < len(self._tags) else None

    def select_tag(self, tag_id: int) -> None:
        for row, tag in enumerate(self._tags):
            if tag.id == tag_id:
                self.tag_list.setCurrentRow(row)

    def rename_current(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        dialog = self._tag_dialog(self.tr("Rename tag"), tag)
        dialog.accepted.connect(lambda: self.rename_requested.emit(tag.id, dialog.values()[0]))
        dialog.open()

    def recolour_current(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        dialog = self._tag_dialog(self.tr("Change the colour of a tag"), tag)
        dialog.name_edit.setReadOnly(True)
        dialog.accepted.connect(
            lambda: self.recolour_requested.emit(tag.id, dialog.values()[1]))
        dialog.open()

    def _tag_dialog(self, title: str, tag: Tag) -> TagDialog:
        dialog = TagDialog(title=title, name=tag.name, tag_colour=tag.colour,
                           taken=[t.name for t in self._tags], parent=self)
        dialog.finished.connect(dialog.deleteLater)
        self.tag_dialog = dialog
        return dialog

    def delete_current(self) -> None:
        tag = self.current_tag()
        if tag is None:
            return
        count = self._counts.get(tag.id, 0)
        if count == 0:
            have = self.tr("No order has it.")
        elif count == 1:
            have = self.tr("1 order has it; it is taken off it. The order stays.")
        else:
            have = count_grouped(self.tr(
                "%Ln orders have it; it is taken off them. The orders stay.", "", count),
                count, QLocale())
        text = self.tr("Delete the tag \"%1\"?").replace("%1", tag.name) + "\n\n" + have
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete tag"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("confirmDeleteTag")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.delete_requested.emit(tag.id)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        self.confirm = box
        box.open()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.current_tag() is not None
        for button in (self.rename_button, self.colour_button, self.delete_button):
            button.setEnabled(chosen)
