"""The main window. At this stage: the welcome page, the demo banner, menus and the status bar;
the orders workspace, statistics and the accounts menu come in with their features."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop import __version__


@dataclass(frozen=True)
class DemoInfo:
    """What the window shows about the built-in emulator in demo mode."""

    base_url: str
    sellers: tuple[str, ...]
    orders: int
    consent_url: str


class MainWindow(QMainWindow):
    """The app's only top-level window.

    Signals: none yet.
    """

    def __init__(self, *, demo: DemoInfo | None, data_dir: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._demo = demo
        self.setWindowTitle(self.tr("Allegro Desktop") + (self.tr(" — demo") if demo else ""))
        self.setMinimumSize(720, 480)
        self.resize(1100, 720)
        self._build_menus()

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo is not None:
            layout.addWidget(self._demo_banner(demo))
        layout.addWidget(self._welcome(demo, data_dir), 1)
        self.setCentralWidget(central)

        if demo is not None:
            self.statusBar().showMessage(
                self.tr("Demo: built-in Allegro emulator at %1").replace("%1", demo.base_url))
        else:
            self.statusBar().showMessage(self.tr("Not connected to Allegro"))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Allegro Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def _demo_banner(self, demo: DemoInfo) -> QWidget:
        banner = QLabel(self)
        banner.setObjectName("demoBanner")
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.RichText)
        banner.setText(self.tr(
            "<b>Demo mode.</b> The orders come from a built-in emulator of Allegro, not from "
            "allegro.pl. Nothing you do here touches a real account."))
        banner.setStyleSheet(
            "#demoBanner { background: #fff3e0; color: #5d3200; padding: 8px 16px; "
            "border-bottom: 1px solid #ffcc80; }")
        return banner

    def _welcome(self, demo: DemoInfo | None, data_dir: str) -> QWidget:
        frame = QFrame(self)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(14)
        title = QLabel(self.tr("Welcome to Allegro Desktop"), frame)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Your Allegro orders on your own computer: synced in the background, searchable, "
            "with statistics and spreadsheet export, and kept for as long as you like — even "
            "offline."), frame)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if demo is not None:
            details = QLabel(frame)
            details.setObjectName("demoDetails")
            details.setWordWrap(True)
            details.setTextFormat(Qt.TextFormat.RichText)
            details.setOpenExternalLinks(False)
            details.linkActivated.connect(self._on_details_link_activated)
            details.setText(
                self.tr("The emulator holds <b>%1</b> orders of the seller account(s) "
                        "<b>%2</b>, and new orders keep arriving.")
                .replace("%1", f"{demo.orders:,}".replace(",", "\u00a0"))
                .replace("%2", ", ".join(demo.sellers))
                + "<br>"
                + self.tr("Emulator address: <a href=\"%1\">%1</a>").replace("%1", demo.base_url))
            layout.addWidget(details)
        where = QLabel(self.tr("Your data is kept in: %1").replace("%1", data_dir), frame)
        where.setObjectName("dataDir")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")
        layout.addWidget(where)
        layout.addStretch(1)
        return frame

    def _on_details_link_activated(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About Allegro Desktop"), self.tr(
            "<h3>Allegro Desktop %1</h3><p>A free, fast, private order manager for Allegro.pl "
            "sellers.</p><p>Open source under the GNU GPL v3 or later. Not affiliated with "
            "Allegro.</p>").replace("%1", __version__))
