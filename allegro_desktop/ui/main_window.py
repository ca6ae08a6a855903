"""The main window: the account in use, the Account menu, and (in demo mode) the demo banner.

The orders workspace and statistics arrive with their features; until then the central page says
which account is connected, or offers "Connect Allegro".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop import __version__
from allegro_desktop.domain.accounts import Account, AccountState


@dataclass(frozen=True)
class DemoInfo:
    """What the window shows about the built-in emulator in demo mode."""

    base_url: str
    sellers: tuple[str, ...]
    orders: int
    consent_url: str


class MainWindow(QMainWindow):
    """The app's only top-level window.

    Signals:
        connect_requested(): the user wants to connect an account.
        reconnect_requested(str): connect the account with this key again.
        disconnect_requested(str, bool): disconnect the account; keep its local orders or not.
        account_selected(str): show the account with this key.
    """

    connect_requested = Signal()
    reconnect_requested = Signal(str)
    disconnect_requested = Signal(str, bool)
    account_selected = Signal(str)

    def __init__(self, *, demo: DemoInfo | None, data_dir: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._demo = demo
        self._accounts: list[Account] = []
        self._current: Account | None = None
        self.setWindowTitle(self.tr("Allegro Desktop") + (self.tr(" — demo") if demo else ""))
        self.setMinimumSize(720, 480)
        self.resize(1100, 720)
        self._build_menus()

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo is not None:
            layout.addWidget(self._demo_banner())
        layout.addWidget(self._reconnect_banner())
        layout.addWidget(self._welcome(demo, data_dir), 1)
        self.setCentralWidget(central)
        self.show_accounts([], None)

    # -- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self._account_menu = self.menuBar().addMenu(self.tr("&Account"))
        self._account_group = QActionGroup(self)
        self._account_group.setExclusive(True)
        self._connect_action = QAction(self.tr("&Connect an Allegro account…"), self)
        self._connect_action.triggered.connect(self.connect_requested)
        self._disconnect_action = QAction(self.tr("&Disconnect…"), self)
        self._disconnect_action.triggered.connect(self._on_disconnect_triggered)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Allegro Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def _demo_banner(self) -> QWidget:
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

    def _reconnect_banner(self) -> QWidget:
        self._reconnect_bar = QFrame(self)
        self._reconnect_bar.setObjectName("reconnectBanner")
        self._reconnect_bar.setStyleSheet(
            "#reconnectBanner { background: #fdecea; border-bottom: 1px solid #f5c2c0; }")
        row = QHBoxLayout(self._reconnect_bar)
        row.setContentsMargins(16, 6, 16, 6)
        self._reconnect_text = QLabel(self._reconnect_bar)
        self._reconnect_text.setWordWrap(True)
        self._reconnect_text.setStyleSheet("color: #611a15;")
        row.addWidget(self._reconnect_text, 1)
        button = QPushButton(self.tr("Connect again"), self._reconnect_bar)
        button.setObjectName("reconnectButton")
        button.clicked.connect(self._on_reconnect_clicked)
        row.addWidget(button)
        return self._reconnect_bar

    def _welcome(self, demo: DemoInfo | None, data_dir: str) -> QWidget:
        frame = QFrame(self)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(14)
        self._title = QLabel(frame)
        self._title.setObjectName("welcomeTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self._title.setFont(font)
        layout.addWidget(self._title)
        self._intro = QLabel(frame)
        self._intro.setObjectName("welcomeText")
        self._intro.setWordWrap(True)
        self._intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self._intro)
        self._connect_button = QPushButton(self.tr("Connect Allegro"), frame)
        self._connect_button.setObjectName("connectButton")
        big = self._connect_button.font()
        big.setPointSizeF(big.pointSizeF() * 1.2)
        self._connect_button.setFont(big)
        self._connect_button.setMinimumHeight(40)
        self._connect_button.clicked.connect(self.connect_requested)
        layout.addWidget(self._connect_button, 0, Qt.AlignmentFlag.AlignLeft)
        if demo is not None:
            details = QLabel(frame)
            details.setObjectName("demoDetails")
            details.setWordWrap(True)
            details.setTextFormat(Qt.TextFormat.RichText)
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

    # -- state -----------------------------------------------------------------------------

    @property
    def current_account(self) -> Account | None:
        return self._current

    def show_accounts(self, accounts: list[Account], current_key: str | None) -> None:
        """Show these connected accounts, `current_key` (or the first) as the one in use."""
        self._accounts = list(accounts)
        self._current = next((a for a in accounts if a.key == current_key),
                             accounts[0] if accounts else None)
        self._rebuild_account_menu()
        account = self._current
        if account is None:
            self._title.setText(self.tr("Welcome to Allegro Desktop"))
            self._intro.setText(self.tr(
                "Your Allegro orders on your own computer: synced in the background, "
                "searchable, with statistics and spreadsheet export, and kept for as long as "
                "you like — even offline.<br><br>Start by connecting your Allegro account: the "
                "app shows a short code, and you approve it on allegro.pl."))
            self._connect_button.show()
            self.statusBar().showMessage(self.tr("Not connected to Allegro"))
        else:
            self._title.setText(account.login)
            self._intro.setText(self.tr(
                "Connected to Allegro as <b>%1</b>. Your orders will appear here once they "
                "have been synced.").replace("%1", account.login))
            self._connect_button.hide()
            self.statusBar().showMessage(self.tr("Connected as %1").replace("%1", account.login))
        needs = account is not None and account.state is AccountState.RECONNECT_NEEDED
        if account is not None and needs:
            self._reconnect_text.setText(self.tr(
                "Allegro no longer accepts this app's access to <b>%1</b> (for example after a "
                "password change, or the app was unlinked on allegro.pl). Connect the account "
                "again to resume syncing; your local orders stay.").replace("%1", account.login))
        self._reconnect_bar.setVisible(needs)
        self.setWindowTitle(
            (f"{account.login} — " if account else "") + self.tr("Allegro Desktop")
            + (self.tr(" — demo") if self._demo else ""))

    def _rebuild_account_menu(self) -> None:
        menu = self._account_menu
        menu.clear()
        for action in self._account_group.actions():
            self._account_group.removeAction(action)
        for account in self._accounts:
            label = account.login
            if account.state is AccountState.RECONNECT_NEEDED:
                label = self.tr("%1 (connect again)").replace("%1", account.login)
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(account is self._current)
            action.setData(account.key)
            action.triggered.connect(self._on_account_action_triggered)
            self._account_group.addAction(action)
            menu.addAction(action)
        if self._accounts:
            menu.addSeparator()
        menu.addAction(self._connect_action)
        self._connect_action.setText(self.tr("&Connect another Allegro account…")
                                     if self._accounts else
                                     self.tr("&Connect an Allegro account…"))
        menu.addAction(self._disconnect_action)
        self._disconnect_action.setEnabled(self._current is not None)
        if self._current is not None:
            self._disconnect_action.setText(
                self.tr("&Disconnect %1…").replace("%1", self._current.login))

    # -- slots -----------------------------------------------------------------------------

    def _on_account_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            key = str(action.data())
            self.show_accounts(self._accounts, key)
            self.account_selected.emit(key)

    def _on_reconnect_clicked(self) -> None:
        if self._current is not None:
            self.reconnect_requested.emit(self._current.key)

    def _on_disconnect_triggered(self) -> None:
        account = self._current
        if account is None:
            return
        box = QMessageBox(self)
        box.setObjectName("disconnectBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Disconnect %1").replace("%1", account.login))
        box.setText(self.tr("Disconnect <b>%1</b> from this app?").replace("%1", account.login))
        box.setInformativeText(self.tr(
            "The app forgets its access to the account. Do you want to keep the account's "
            "orders on this computer (you can still browse and export them), or delete them?"))
        keep = box.addButton(self.tr("Disconnect, keep orders"),
                             QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton(self.tr("Disconnect, delete orders"),
                               QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep:
            self.disconnect_requested.emit(account.key, True)
        elif clicked is delete:
            self.disconnect_requested.emit(account.key, False)

    def _on_details_link_activated(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About Allegro Desktop"), self.tr(
            "<h3>Allegro Desktop %1</h3><p>A free, fast, private order manager for Allegro.pl "
            "sellers.</p><p>Open source under the GNU GPL v3 or later. Not affiliated with "
            "Allegro.</p>").replace("%1", __version__))
