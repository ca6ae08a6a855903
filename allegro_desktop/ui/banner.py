"""`Banner`: a strip across the top of the window — a tinted background with a line under it, a
wrapped message and the buttons its owner adds to its `row` — in the theme's "note" colours
(information) or "alert" ones (something needs the seller), following a switch between light
and dark. The reconnect banner, the damaged-database banner and the in-window notifications
are banners."""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["Banner"]


class Banner(QFrame):
    """A strip named `name` in the colours of `tone` (see the module): `message` (a wrapped
    label, taking the width) in `row`, where the owner adds its buttons."""

    def __init__(self, *, name: str, tone: Literal["note", "alert"],
                 parent: QWidget | None = None, right_margin: int = 16) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        follow_palette(self, lambda dark: (
            f"#{name} {{ background: {colour(f'{tone}.background', dark)}; "
            f"border-bottom: 1px solid {colour(f'{tone}.border', dark)}; }}"))
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(16, 6, right_margin, 6)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        follow_palette(self.message, lambda dark: f"color: {colour(f'{tone}.text', dark)};")
        self.row.addWidget(self.message, 1)
