"""`TagDialog`: a tag's name and colour — "New tag…" of the Tags menu, and Rename / Colour of
"Manage tags…". The name is checked as the service checks it (`clean_tag_name`, and not a name
another tag has) before OK is possible, the reason shown under the field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.labels import (
    DEFAULT_COLOUR,
    MAX_TAG_NAME_LENGTH,
    PALETTE,
    LabelError,
    clean_tag_name,
    tag_key,
)
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.labels.chips import swatch_icon
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["TagDialog"]


class TagDialog(QDialog):
    """A tag's name and colour (`values()` once accepted). `taken`: the names of the other
    tags (refused, case ignored)."""

    def __init__(self, *, title: str, name: str = "", tag_colour: str = DEFAULT_COLOUR,
                 taken: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagDialog")
        self.setWindowTitle(title)
        self._taken = {tag_key(n) for n in taken} - {tag_key(name)}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("tagName")
        self.name_edit.setMaxLength(MAX_TAG_NAME_LENGTH + 20)  # the message says the limit
        self.name_edit.setPlaceholderText(self.tr("e.g. to pack, waiting for stock"))
        self.name_edit.textChanged.connect(self._check)
        form.addRow(self.tr("&Name:"), self.name_edit)
        swatches = QHBoxLayout()
        swatches.setSpacing(4)
        self.colour_buttons = QButtonGroup(self)
        self.colour_buttons.setExclusive(True)
        for value in PALETTE if tag_colour in PALETTE else (*PALETTE, tag_colour):
            button = QToolButton(self)
            button.setObjectName(f"colour:{value}")
            button.setCheckable(True)
            button.setIcon(swatch_icon(value, 18))
            button.setToolTip(value)
            button.setAutoRaise(True)
            button.setChecked(value == tag_colour)
            self.colour_buttons.addButton(button)
            swatches.addWidget(button)
        swatches.addStretch(1)
        # A row of a layout gets no buddy from addRow: without one the label shows its "&".
        colour_label = QLabel(self.tr("&Colour:"), self)
        chosen = self.colour_buttons.checkedButton()
        assert chosen is not None  # the tag's colour is always one of the buttons
        colour_label.setBuddy(chosen)
        form.addRow(colour_label, swatches)
        layout.addLayout(form)
        self.problem = QLabel(self)
        self.problem.setObjectName("tagProblem")
        self.problem.setWordWrap(True)
        follow_palette(self.problem, lambda dark: f"color: {colour('error.text', dark)};")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._check()

    def values(self) -> tuple[str, str]:
        """The name as typed (the service cleans it) and the colour ("#rrggbb")."""
        checked = self.colour_buttons.checkedButton()
        chosen = checked.objectName().removeprefix("colour:") if checked else DEFAULT_COLOUR
        return self.name_edit.text(), chosen

    def _check(self) -> None:
        problem = ""
        text = self.name_edit.text()
        if text.strip():
            try:
                if tag_key(clean_tag_name(text)) in self._taken:
                    problem = self.tr("Another tag already has this name.")
            except LabelError as error:
                problem = translated(error)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()) and not problem)
