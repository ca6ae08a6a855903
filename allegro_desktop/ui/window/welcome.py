"""The first-run page of the main window, and how "Try the demo" starts the demo.

A seller who just installed the app has two ways on: connect their Allegro account, or look
around in the demo first. Each is a card with two sentences saying what happens, side by side
(one above the other in a narrow window). The demo runs as a separate process of the app with
`--demo`, so the seller's own window, settings and data are untouched by it; in demo mode the
page offers only Connect (to the demo's accounts).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.ui.formatting import number_text

if TYPE_CHECKING:
    from allegro_desktop.ui.window.main_window import DemoInfo

__all__ = ["DemoStarter", "WelcomePage", "demo_command", "launch_demo"]

log = logging.getLogger("allegro_desktop.ui")

#: Starts `program` with `arguments` detached from this process; True when it started.
DemoStarter = Callable[[str, list[str]], bool]
#: Below this width the cards are shown one above the other.
_SIDE_BY_SIDE_WIDTH = 820


def demo_command(*, data_dir: Path | None, language: str | None,
                 executable: str | None = None, frozen: bool | None = None
                 ) -> tuple[str, list[str]]:
    """The program and arguments that start this app in demo mode: `python -m allegro_desktop
    --demo`, or the frozen app's own executable with `--demo`; with the same --data-dir (when
    one was given) and --language."""
    executable = executable or sys.executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    arguments = [] if frozen else ["-m", "allegro_desktop"]
    if data_dir is not None:
        arguments += ["--data-dir", str(data_dir)]
    if language:
        arguments += ["--language", language]
    arguments.append("--demo")
    return executable, arguments


def _start_detached(program: str, arguments: list[str]) -> bool:
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


def launch_demo(*, data_dir: Path | None, language: str | None,
                start: DemoStarter = _start_detached) -> bool:
    """Start the demo as a separate process; False when it could not be started."""
    program, arguments = demo_command(data_dir=data_dir, language=language)
    started = start(program, arguments)
    if started:
        log.info("started the demo: %s %s", program, " ".join(arguments))
    else:
        log.error("could not start the demo: %s %s", program, " ".join(arguments))
    return started


class _Card(QFrame):
    """A choice: a title, two sentences, a button."""

    def __init__(self, *, name: str, title: str, text: str, button: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(
            f"#{name} {{ background: palette(base); border: 1px solid palette(mid); "
            "border-radius: 8px; }")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        self.title = QLabel(title, self)
        self.title.setObjectName(f"{name}Title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.text = QLabel(text, self)
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setMinimumWidth(240)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.button = QPushButton(button, self)
        big = self.button.font()
        big.setPointSizeF(big.pointSizeF() * 1.1)
        self.button.setFont(big)
        self.button.setMinimumHeight(36)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)


class WelcomePage(QFrame):
    """The central page before any account is connected (and, with an account but nothing
    to show yet, that account's state).

    Signals:
        connect_clicked(): the seller chose Connect Allegro.
        demo_clicked(): the seller chose Try the demo (not offered in demo mode).
    """

    connect_clicked = Signal()
    demo_clicked = Signal()

    def __init__(self, *, demo: DemoInfo | None, data_dir: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(14)
        self.title = QLabel(self)
        self.title.setObjectName("welcomeTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.intro = QLabel(self)
        self.intro.setObjectName("welcomeText")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.intro)

        self.cards = QWidget(self)
        self.cards.setObjectName("welcomeCards")
        self._cards_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.cards)
        self._cards_layout.setContentsMargins(0, 8, 0, 0)
        self._cards_layout.setSpacing(16)
        if demo is None:
            connect_text = self.tr(
                "The app shows a short code, and you approve it on allegro.pl with your seller "
                "account. From then on your orders sync to this computer by themselves and stay "
                "available, even offline.")
        else:
            connect_text = self.tr(
                "Connect one of the demo's seller accounts (%1): the emulator shows its own "
                "approval page with the code. Its orders then sync into this demo window, and "
                "nothing goes to allegro.pl.").replace("%1", ", ".join(demo.sellers))
        self.connect_card = _Card(name="connectCard", title=self.tr("Connect Allegro"),
                                  text=connect_text, button=self.tr("Connect Allegro"),
                                  parent=self.cards)
        self.connect_button = self.connect_card.button
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_clicked)
        self._cards_layout.addWidget(self.connect_card, 1)
        self.demo_card: _Card | None = None
        self.demo_status: QLabel | None = None
        if demo is None:
            self.demo_card = _Card(
                name="demoCard", title=self.tr("Try the demo"),
                text=self.tr(
                    "Opens a second window connected to a built-in emulator of Allegro, with a "
                    "sample shop whose orders keep arriving. Nothing touches a real Allegro "
                    "account, and your own data here stays as it is."),
                button=self.tr("Try the demo"), parent=self.cards)
            self.demo_card.button.setObjectName("demoButton")
            self.demo_card.button.clicked.connect(self.demo_clicked)
            self.demo_status = QLabel(self.demo_card)
            self.demo_status.setObjectName("demoStatus")
            self.demo_status.setWordWrap(True)
            self.demo_status.hide()
            card_layout = self.demo_card.layout()
            assert card_layout is not None
            card_layout.addWidget(self.demo_status)
            self._cards_layout.addWidget(self.demo_card, 1)
        layout.addWidget(self.cards)

        if demo is not None:
            details = QLabel(self)
            details.setObjectName("demoDetails")
            details.setWordWrap(True)
            details.setTextFormat(Qt.TextFormat.RichText)
            details.setOpenExternalLinks(True)
            holds = self.tr("The emulator holds <b>%1</b> orders of the seller account "
                            "<b>%2</b>, and new orders keep arriving.") \
                if len(demo.sellers) == 1 else \
                self.tr("The emulator holds <b>%1</b> orders of the seller accounts <b>%2</b>, "
                        "and new orders keep arriving.")
            details.setText(
                holds.replace("%1", number_text(demo.orders, self.locale()))
                .replace("%2", ", ".join(demo.sellers))
                + "<br>"
                + self.tr("Emulator address: <a href=\"%1\">%1</a>").replace("%1", demo.base_url))
            layout.addWidget(details)
        where = QLabel(self.tr("Your data is kept in: %1").replace("%1", data_dir), self)
        where.setObjectName("dataDir")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(where)
        layout.addStretch(1)

    def show_demo_started(self, started: bool) -> None:
        """Say that the demo opens in its own window, or that it could not be started."""
        if self.demo_status is None or self.demo_card is None:
            return
        if started:
            self.demo_status.setText(self.tr(
                "The demo is starting in a separate window; it may take a few seconds. Close "
                "it when you are done: this window stays as it is."))
        else:
            self.demo_status.setText(self.tr(
                "The demo could not be started. Try again, or start it from a terminal with: "
                "allegro-desktop --demo"))
        self.demo_status.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Cards side by side in a wide window, one above the other in a narrow one."""
        direction = (QBoxLayout.Direction.LeftToRight
                     if event.size().width() >= _SIDE_BY_SIDE_WIDTH
                     else QBoxLayout.Direction.TopToBottom)
        if self._cards_layout.direction() != direction:
            self._cards_layout.setDirection(direction)
        super().resizeEvent(event)
