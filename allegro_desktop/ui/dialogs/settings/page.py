"""What the Settings dialog's tabs share: `SettingsPage`, the base of a tab (its form, the notes
and error labels under its fields, what it says and what it refuses), and the helpers of the
fields that hold a keyring secret.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["SettingsPage", "keyring_holds", "secret_field"]

log = logging.getLogger("allegro_desktop.ui")


def keyring_holds(load: Callable[[], str | None]) -> bool | None:
    """Whether the keyring holds a secret (None: the keyring cannot be asked)."""
    try:
        return load() is not None
    except AppError as exc:
        log.warning("cannot read the keyring: %s", exc)
        return None


def secret_field(name: str, parent: QWidget) -> QLineEdit:
    """A field to type a secret in: its characters hidden, kept out of input methods' memory."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                              | Qt.InputMethodHint.ImhNoPredictiveText)
    return field


class SettingsPage(QWidget):
    """A tab of the Settings dialog: a form of fields with their notes and error labels.

    A page shows the settings when it is built; `values` says what its fields say and
    `problems` why one cannot be used. This base class's own texts use the "SettingsPage"
    translation context (`self.tr` would look them up under the subclass's name).

    Signals:
        edited(): the seller changed a field.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._errors: dict[str, QLabel] = {}

    def values(self) -> dict[str, Any]:
        """What the fields say, by setting name (attributes of `Settings`)."""
        return {}

    def problems(self) -> dict[str, str]:
        """Field name → why its value cannot be used (in the seller's language)."""
        return {}

    def show_error(self, name: str, message: str) -> None:
        """Say under field `name` why its value cannot be used."""
        label = self._errors[name]
        label.setText(message)
        label.show()

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()

    def has_errors(self) -> bool:
        """Whether an error is shown under a field (since `clear_errors`)."""
        return any(not label.isHidden() for label in self._errors.values())

    def note(self, text: str) -> QLabel:
        """A note under a field, in the quieter colour of a placeholder."""
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("color: palette(placeholder-text);")
        return label

    def error_label(self, name: str) -> QLabel:
        """The label under field `name` for `show_error` (hidden until then)."""
        label = QLabel(self)
        label.setObjectName(f"{name}Error")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        follow_palette(label, lambda dark: f"color: {colour('error.text', dark)};")
        label.hide()
        self._errors[name] = label
        return label

    def show_secret_state(self, field: QLineEdit, stored: bool | None) -> None:
        """Say in a secret's empty field whether the keyring holds one (never the secret
        itself); None: the keyring cannot be used, and the field is greyed out."""
        if stored is None:
            field.setPlaceholderText(QCoreApplication.translate(
                "SettingsPage", "The system keyring cannot be used"))
            field.setEnabled(False)
        elif stored:
            field.setPlaceholderText(QCoreApplication.translate(
                "SettingsPage", "•••••••• (stored in the system keyring)"))
        else:
            field.setPlaceholderText(QCoreApplication.translate("SettingsPage", "Not set"))

    def _on_field_edited(self, *_args: object) -> None:
        self.edited.emit()
