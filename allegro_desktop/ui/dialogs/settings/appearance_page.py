"""The Settings dialog's "Appearance" tab: the language (used from the next start) and the theme
(applied as soon as it is saved).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from allegro_desktop.config.settings import Settings
from allegro_desktop.ui.dialogs.settings.page import SettingsPage

__all__ = ["AppearancePage"]


class AppearancePage(SettingsPage):
    """The "Appearance" tab: the language (from the next start) and the theme."""

    def __init__(self, *, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = self.form
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem(self.tr("System language"), "system")
        self.language.addItem("Polski", "pl")
        self.language.addItem("English", "en")
        form.addRow(self.tr("Language:"), self.language)
        self.language_note = self.note(self.tr(
            "The new language is used from the next start of the app."))
        form.addRow(self.language_note)
        self.theme = QComboBox(self)
        self.theme.setObjectName("theme")
        self.theme.addItem(self.tr("System"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        form.addRow(self.tr("Theme:"), self.theme)
        self.language.currentIndexChanged.connect(self._on_field_edited)
        self.theme.currentIndexChanged.connect(self._on_field_edited)

        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.theme.setCurrentIndex(max(self.theme.findData(settings.theme), 0))

    def values(self) -> dict[str, Any]:
        return {"language": str(self.language.currentData()),
                "theme": str(self.theme.currentData())}
