"""The main window: the account in use, the File, Account and Help menus, the sync controls
(toolbar, status bar), the tabs of the workspace (Orders, Statistics, Sync log) and, in demo
mode, the demo banner.

Before any account is connected and while no order is stored, the central page welcomes the
seller and offers "Connect Allegro"; afterwards it shows the tabs the composition root installed
(`install_tabs`). The window only shows and asks: `SyncController` (ui/syncing/controller.py)
decides what to sync, `TabsController` (ui/window/tabs.py) what the tabs show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import shiboken6
from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop import __version__
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.sync import SyncPhase, SyncProblem
from allegro_desktop.sync.worker import SyncActivity
from allegro_desktop.ui.banner import Banner
from allegro_desktop.ui.formatting import number_text
from allegro_desktop.ui.message_line import MessageLine
from allegro_desktop.ui.theme import colour, follow_palette
from allegro_desktop.ui.window.welcome import WelcomePage


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
        sync_requested(): the user asked for a sync now (toolbar, menu, F5).
        sync_cancel_requested(): the user wants the running sync stopped.
        account_filter_changed(object): the toolbar's account chooser now says this account
            key, or None for all accounts.
        export_requested(): the user asked to export orders (toolbar, File menu).
        print_requested(str): the user asked to print "packing-slips" or the "pick-list"
            (File menu).
        settings_requested(): the user wants the Settings dialog (File menu, Ctrl+,).
        backup_requested(): File → Back up… (ui/database/).
        restore_requested(): File → Restore from backup… (ui/database/).
        demo_requested(): the user chose "Try the demo" on the welcome page.
        diagnostics_requested(): the user wants the Diagnostics dialog (Help menu).
    """

    connect_requested = Signal()
    reconnect_requested = Signal(str)
    disconnect_requested = Signal(str, bool)
    account_selected = Signal(str)
    sync_requested = Signal()
    sync_cancel_requested = Signal()
    account_filter_changed = Signal(object)
    export_requested = Signal()
    print_requested = Signal(str)
    settings_requested = Signal()
    backup_requested = Signal()
    restore_requested = Signal()
    demo_requested = Signal()
    diagnostics_requested = Signal()

    def __init__(self, *, demo: DemoInfo | None, data_dir: str,
                 demo_launcher: Callable[[], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        """`demo_launcher` starts the demo as a separate process (`ui/window/welcome.py:
        launch_demo`), True when it started; without one the welcome page offers no demo."""
        super().__init__(parent)
        self._demo = demo
        self._demo_launcher = demo_launcher
        self._accounts: list[Account] = []
        self._current: Account | None = None
        self._connection_text = ""
        self._sync_text = ""  # the last and next syncs' times
        self._problem_text_shown = ""  # the sync's problem, in one line
        self._problem_details = ""  # and the whole of it
        self.setWindowTitle(self.tr("Allegro Desktop") + (self.tr(" — demo") if demo else ""))
        self.setMinimumSize(720, 480)
        self.resize(1100, 720)
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._central_layout = layout
        if demo is not None:
            layout.addWidget(self._demo_banner())
        layout.addWidget(self._reconnect_banner())
        self._pages = QStackedWidget(central)
        self._pages.setObjectName("centralPages")
        self._pages.addWidget(self._welcome(demo, data_dir))
        self._tabs = QTabWidget(self._pages)
        self._tabs.setObjectName("mainTabs")
        self._tabs.setDocumentMode(True)
        self._pages.addWidget(self._tabs)
        self._has_orders = False
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(central)
        self.show_accounts([], None)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    # -- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.sync_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
            self.tr("&Sync now"), self)
        self.sync_action.setObjectName("syncAction")
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setToolTip(self.tr("Fetch new and changed orders from Allegro now (F5)"))
        self.sync_action.setEnabled(False)
        self.sync_action.triggered.connect(self.sync_requested)
        file_menu.addAction(self.sync_action)
        self.export_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
            self.tr("&Export…"), self)
        self.export_action.setObjectName("exportAction")
        # Ctrl+E itself is the Orders tab's shortcut (it knows the selection).
        self.export_action.setToolTip(self.tr(
            "Export the orders shown, or the selected ones, to CSV, Excel or JSON (Ctrl+E)"))
        self.export_action.setEnabled(False)
        self.export_action.triggered.connect(self.export_requested)
        file_menu.addAction(self.export_action)
        # Ctrl+P and Ctrl+Shift+P are the Orders tab's (it knows the selection).
        self.print_slips_action = QAction(self.tr("Print &packing slips…"), self)
        self.print_slips_action.setToolTip(self.tr("Packing slips of the selected orders, or "
                                                   "of those shown (Ctrl+P)"))
        self.print_slips_action.triggered.connect(lambda: self.print_requested.emit(
            "packing-slips"))
        self.print_pick_list_action = QAction(self.tr("Print pic&k list…"), self)
        self.print_pick_list_action.setToolTip(self.tr("The items to pick for the selected "
                                                       "orders, or those shown (Ctrl+Shift+P)"))
        self.print_pick_list_action.triggered.connect(lambda: self.print_requested.emit(
            "pick-list"))
        file_menu.addActions([self.print_slips_action, self.print_pick_list_action])
        self.backup_action = QAction(self.tr("&Back up…"), self)
        self.backup_action.setObjectName("backupAction")
        self.backup_action.setToolTip(self.tr("Save a copy of the order database to a file"))
        self.backup_action.triggered.connect(self.backup_requested)
        file_menu.addAction(self.backup_action)
        self.restore_action = QAction(self.tr("&Restore from backup…"), self)
        self.restore_action.setObjectName("restoreAction")
        self.restore_action.setToolTip(self.tr(
            "Replace the order database with a backup (the current one is saved first)"))
        self.restore_action.triggered.connect(self.restore_requested)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        self.settings_action = QAction(self.tr("Se&ttings…"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Comma))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.settings_requested)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setObjectName("quitAction")
        # Ctrl+Q everywhere (⌘Q on macOS): the platform's "standard" Quit is none on Windows
        # and on a desktop Qt knows nothing of.
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self._account_menu = self.menuBar().addMenu(self.tr("&Account"))
        self._account_group = QActionGroup(self)
        self._account_group.setExclusive(True)
        self._connect_action = QAction(self.tr("&Connect an Allegro account…"), self)
        self._connect_action.triggered.connect(self.connect_requested)
        self._disconnect_action = QAction(self.tr("&Disconnect…"), self)
        self._disconnect_action.triggered.connect(self._on_disconnect_triggered)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.diagnostics_action = QAction(self.tr("&Diagnostics…"), self)
        self.diagnostics_action.setObjectName("diagnosticsAction")
        self.diagnostics_action.setToolTip(self.tr(
            "Health checks, the log, and a report to send to support"))
        self.diagnostics_action.triggered.connect(self.diagnostics_requested)
        help_menu.addAction(self.diagnostics_action)
        about = QAction(self.tr("&About Allegro Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Toolbar"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.sync_action)
        toolbar.addAction(self.export_action)
        toolbar.addSeparator()
        self._account_label = QLabel(self.tr("Account:"), toolbar)
        self._account_label.setContentsMargins(8, 0, 4, 0)
        self._account_filter = QComboBox(toolbar)
        self._account_filter.setObjectName("accountFilter")
        self._account_filter.setToolTip(self.tr("Show the orders of one account, or of all"))
        self._account_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._account_filter.currentIndexChanged.connect(self._on_account_filter_changed)
        self._account_label_action = toolbar.addWidget(self._account_label)
        self._account_filter_action = toolbar.addWidget(self._account_filter)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        """Left: the connection and sync state (a label, not `showMessage`, which any menu
        hover would wipe). Right, while a sync runs: what it does, a progress bar, Cancel."""
        bar = self.statusBar()
        # The last and next syncs first, always whole; then the connection or the sync's
        # problem on one line whatever it says (a keyring's or a database's long explanation):
        # cut with "…" to fit, the whole of it behind "Details…".
        self._times_label = QLabel(bar)
        self._times_label.setObjectName("statusTimes")
        self._times_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self._times_label)
        self.status_line = MessageLine(title=self.tr("Allegro Desktop"), parent=bar)
        self.status_line.setObjectName("statusText")
        bar.addWidget(self.status_line, 1)
        self._sync_label = QLabel(bar)
        self._sync_label.setObjectName("syncProgressText")
        bar.addPermanentWidget(self._sync_label)
        self._sync_bar = QProgressBar(bar)
        self._sync_bar.setObjectName("syncProgress")
        self._sync_bar.setFixedWidth(160)
        self._sync_bar.setTextVisible(False)
        bar.addPermanentWidget(self._sync_bar)
        self._sync_cancel = QPushButton(self.tr("Cancel"), bar)
        self._sync_cancel.setObjectName("syncCancelButton")
        self._sync_cancel.setToolTip(self.tr(
            "Stop this sync. What it has stored so far stays; the next sync continues."))
        self._sync_cancel.clicked.connect(self.sync_cancel_requested)
        bar.addPermanentWidget(self._sync_cancel)
        self.show_sync_idle()

    def _demo_banner(self) -> QWidget:
        banner = QLabel(self)
        banner.setObjectName("demoBanner")
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.RichText)
        banner.setText(self.tr(
            "<b>Demo mode.</b> The orders come from a built-in emulator of Allegro, not from "
            "allegro.pl. Nothing you do here touches a real account."))
        follow_palette(banner, lambda dark: (
            f"#demoBanner {{ background: {colour('note.background', dark)}; "
            f"color: {colour('note.text', dark)}; padding: 8px 16px; "
            f"border-bottom: 1px solid {colour('note.border', dark)}; }}"))
        return banner

    def _reconnect_banner(self) -> QWidget:
        self._reconnect_bar = Banner(name="reconnectBanner", tone="alert", parent=self)
        self._reconnect_text = self._reconnect_bar.message
        button = QPushButton(self.tr("Connect again"), self._reconnect_bar)
        button.setObjectName("reconnectButton")
        button.clicked.connect(self._on_reconnect_clicked)
        self._reconnect_bar.row.addWidget(button)
        return self._reconnect_bar

    def _welcome(self, demo: DemoInfo | None, data_dir: str) -> QWidget:
        page = WelcomePage(demo=demo, data_dir=data_dir, parent=self)
        self._welcome_page = page
        self._title = page.title
        self._intro = page.intro
        page.connect_clicked.connect(self.connect_requested)
        page.demo_clicked.connect(self._on_welcome_demo_clicked)
        if page.demo_card is not None and self._demo_launcher is None:
            page.demo_card.hide()
        scroll = QScrollArea(self)  # the smallest window still shows all of it
        scroll.setObjectName("welcomeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        return scroll

    # -- state -----------------------------------------------------------------------------

    def install_tabs(self, tabs: list[tuple[QWidget, str]]) -> None:
        """Put the workspace's pages (widget, title) in the window's tabs."""
        for widget, title in tabs:
            self._tabs.addTab(widget, title)
        self._update_page()

    def add_banner(self, banner: QWidget) -> None:
        """Show `banner` at the top of the window, above everything else (a damaged
        database, ui/database/); it shows and hides itself."""
        self._central_layout.insertWidget(0, banner)

    @property
    def tabs(self) -> QTabWidget:
        return self._tabs

    def show_has_orders(self, has_orders: bool) -> None:
        """Whether any order is stored: then the tabs show even with no account connected
        (a disconnected account's orders stay browsable)."""
        self._has_orders = has_orders
        self._update_page()

    def _update_page(self) -> None:
        workspace = self._tabs.count() > 0 and (bool(self._accounts) or self._has_orders)
        self._pages.setCurrentIndex(1 if workspace else 0)
        self.export_action.setEnabled(workspace)
        self.print_slips_action.setEnabled(workspace)
        self.print_pick_list_action.setEnabled(workspace)

    @property
    def account_filter(self) -> str | None:
        """The account key the toolbar's chooser says, or None (all accounts)."""
        data = self._account_filter.currentData()
        return str(data) if data else None

    def show_all_accounts(self) -> None:
        """Set the toolbar's account chooser to all accounts (emits `account_filter_changed`
        if it said one account)."""
        self.show_account_filter(None)

    def show_account_filter(self, key: str | None) -> None:
        """Set the toolbar's account chooser to the account `key` (None, or an account no
        longer connected: all accounts); emits `account_filter_changed` if it changed."""
        index = self._account_filter.findData(key) if key else 0
        self._account_filter.setCurrentIndex(max(index, 0))

    def save_state(self, state: UiState) -> None:
        state.set_geometry("main", self.saveGeometry())
        state.set_window_state("main", self.saveState())
        state.set_current_tab("main", self._tabs.currentIndex())

    def restore_state(self, state: UiState) -> None:
        geometry = state.geometry("main")
        if geometry:
            self.restoreGeometry(geometry)
        window_state = state.window_state("main")
        if window_state:
            self.restoreState(window_state)
        tab = state.current_tab("main")
        if tab is not None and 0 <= tab < self._tabs.count():
            self._tabs.setCurrentIndex(tab)

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
                "you like — even offline."))
            self._welcome_page.cards.show()
            self._connection_text = self.tr("Not connected to Allegro")
            self._sync_text = self._problem_text_shown = self._problem_details = ""
        else:
            self._title.setText(account.login)
            self._welcome_page.cards.hide()
            if account.state is AccountState.RECONNECT_NEEDED:
                self._intro.setText(self.tr(
                    "The orders of <b>%1</b> stay on this computer. Syncing them is paused until "
                    "the account is connected again.").replace("%1", account.login))
                self._connection_text = self.tr("%1 (not connected)").replace("%1",
                                                                               account.login)
            else:
                self._intro.setText(self.tr(
                    "Connected to Allegro as <b>%1</b>. The app keeps this account's orders on "
                    "this computer and syncs them in the background.")
                    .replace("%1", account.login))
                self._connection_text = self.tr("Connected as %1").replace("%1", account.login)
        self._update_status()
        self.sync_action.setEnabled(any(a.state is AccountState.CONNECTED for a in accounts))
        needs = account is not None and account.state is AccountState.RECONNECT_NEEDED
        if account is not None and needs:
            self._reconnect_text.setText(self.tr(
                "Allegro no longer accepts this app's access to <b>%1</b> (for example after a "
                "password change, or the app was unlinked on allegro.pl). Connect the account "
                "again to resume syncing; your local orders stay.").replace("%1", account.login))
        self._reconnect_bar.setVisible(needs)
        self._rebuild_account_filter()
        self._update_page()
        self._update_title()

    def _update_title(self) -> None:
        """"login — Allegro Desktop": the account whose orders the window shows; no login while
        the account chooser says all accounts (of two or more)."""
        account = self._current
        if len(self._accounts) > 1 and self.account_filter is None:
            account = None
        self.setWindowTitle(
            (f"{account.login} — " if account else "") + self.tr("Allegro Desktop")
            + (self.tr(" — demo") if self._demo else ""))

    @property
    def status_text(self) -> str:
        """What the status bar says on the left (sync times, connection and sync state),
        whole (the line shown may be cut to fit: `status_line`)."""
        return "  ·  ".join(t for t in (self._times_label.text(), self.status_line.text) if t)

    def show_sync_started(self, login: str) -> None:
        """A sync of `login` began: progress (open-ended until the run knows more), Cancel."""
        self._sync_label.setText(self.tr("Syncing %1…").replace("%1", login))
        self._sync_bar.setRange(0, 0)
        for widget in (self._sync_label, self._sync_bar, self._sync_cancel):
            widget.show()
        self._sync_cancel.setEnabled(True)

    def show_sync_progress(self, login: str, activity: SyncActivity) -> None:
        locale = QLocale()
        phase = self._phase_text(activity.phase)
        if activity.total:
            done = self.tr("%1 of %2 orders").replace("%1", number_text(activity.orders, locale)) \
                .replace("%2", number_text(activity.total, locale))
            self._sync_bar.setRange(0, activity.total)
            self._sync_bar.setValue(min(activity.orders, activity.total))
        else:
            done = self.tr("%1 orders").replace("%1", number_text(activity.orders, locale))
            self._sync_bar.setRange(0, 0)
        rate = self.tr("%1/s").replace("%1", locale.toString(round(activity.per_second)))
        self._sync_label.setText(self.tr("%1: %2 — %3 (%4)").replace("%1", login)
                                 .replace("%2", phase).replace("%3", done).replace("%4", rate))

    def show_sync_cancelling(self) -> None:
        self._sync_cancel.setEnabled(False)
        self._sync_label.setText(self.tr("Stopping the sync…"))

    def show_sync_idle(self) -> None:
        """No sync runs: the progress widgets go away."""
        for widget in (self._sync_label, self._sync_bar, self._sync_cancel):
            widget.hide()

    def show_sync_state(self, *, last_success: datetime | None, next_at: datetime | None,
                        auto: bool = True, problem: SyncProblem | None = None,
                        detail: str = "") -> None:
        """The current account's last successful sync, when the next automatic one is due, and
        the state of the last sync if it failed — calmly, in the status bar: the orders on this
        computer stay usable whatever Allegro does."""
        self._problem_text_shown = self._problem_details = ""
        if problem is not None:
            line = self._problem_text(problem, detail)
            self._problem_text_shown = line
            self._problem_details = line if not detail.strip() or detail in line \
                else f"{line}\n\n{detail}"
        parts = []
        if last_success is not None:
            parts.append(self.tr("Last sync: %1").replace("%1", _when(last_success)))
        elif self._current is not None:
            parts.append(self.tr("Not synced yet"))
        if next_at is not None:
            label = self.tr("Next try: %1") if problem else self.tr("Next sync: %1")
            parts.append(label.replace("%1", _when(next_at)))
        elif not auto and self._current is not None:
            parts.append(self.tr("Automatic sync is off"))
        self._sync_text = "  ·  ".join(parts)
        self._update_status()

    def _problem_text(self, problem: SyncProblem, detail: str) -> str:
        if problem is SyncProblem.OFFLINE:
            return self.tr("Offline — the orders on this computer stay available")
        if problem is SyncProblem.RATE_LIMITED:
            return self.tr("Allegro asked the app to slow down for a while")
        if problem is SyncProblem.RECONNECT_NEEDED:
            return self.tr("%1 must be connected again").replace("%1", detail)
        if problem is SyncProblem.UNAVAILABLE:
            return self.tr("Allegro is having trouble right now")
        if problem is SyncProblem.BUSY:
            return self.tr("Another copy of Allegro Desktop is syncing these orders")
        if problem is SyncProblem.DAMAGED:
            return self.tr("Syncing stopped: the order database is damaged")
        return self.tr("Sync failed: %1").replace("%1", detail)

    def _phase_text(self, phase: SyncPhase) -> str:
        texts = {
            SyncPhase.BOOTSTRAP: self.tr("starting"),
            SyncPhase.BACKFILL: self.tr("reading the order history"),
            SyncPhase.RECOVERY: self.tr("reading the order history again"),
            SyncPhase.INCREMENTAL: self.tr("reading new events"),
            SyncPhase.RESCAN: self.tr("checking recent orders"),
        }
        return texts.get(phase, phase)

    def _update_status(self) -> None:
        # Once the sync state is known it says more than "Connected as …" (the account is in
        # the title), and the line must fit the narrowest window.
        account = self._current
        known = self._sync_text or self._problem_text_shown
        connection = self._connection_text if not known or (
            account is not None and account.state is AccountState.RECONNECT_NEEDED) else ""
        line = "  ·  ".join(t for t in (connection, self._problem_text_shown) if t)
        details = "\n\n".join(t for t in (connection, self._problem_details, self._sync_text)
                               if t)
        more = self._problem_details != self._problem_text_shown  # an explanation behind it
        self.status_line.set_message(line, details=details if more else "",
                                     error=bool(self._problem_text_shown))
        self._times_label.setText(self._sync_text)
        self._times_label.setVisible(bool(self._sync_text))

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

    def _rebuild_account_filter(self) -> None:
        """The toolbar's account chooser: shown once there are two accounts to choose from."""
        chosen = self.account_filter
        combo = self._account_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All accounts"), None)
        for account in self._accounts:
            combo.addItem(account.login, account.key)
        index = combo.findData(chosen) if chosen else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        several = len(self._accounts) > 1
        self._account_label_action.setVisible(several)
        self._account_filter_action.setVisible(several)
        if chosen and index < 0:  # the chosen account is gone: back to all
            self.account_filter_changed.emit(None)

    # -- slots -----------------------------------------------------------------------------

    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """A dialog of this window closed and took the keyboard with it (the focus went
        nowhere): give it back to the window that opened the dialog. A desktop without a window
        manager does not, and the window's shortcuts (Ctrl+Q, F5…) would do nothing until
        the seller clicked into it. (Looked at once the dialog is hidden: it still shows while
        the focus leaves it.)"""
        if new is not None or old is None or old.window() is self:
            return
        closed = old.window()
        QTimer.singleShot(0, self, lambda: self._give_keyboard_back(closed))

    def _give_keyboard_back(self, closed: QWidget) -> None:
        if not shiboken6.isValid(closed) or closed.isVisible() \
                or QApplication.activeWindow() is not None:
            return  # still open (the seller went to another program), or gone, or handled
        opener = closed.parentWidget()
        owner: QWidget | None = opener.window() if opener is not None else None
        while owner is not None and owner is not self:  # this window's, or a dialog's of it
            owner = owner.parentWidget()
        if opener is not None and owner is self and opener.window().isVisible():
            opener.window().activateWindow()

    def _on_account_filter_changed(self, _index: int) -> None:
        key = self.account_filter
        self.account_filter_changed.emit(key)
        if key is not None and (self._current is None or self._current.key != key):
            self.show_accounts(self._accounts, key)
            self.account_selected.emit(key)
        self._update_title()

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

    def _on_welcome_demo_clicked(self) -> None:
        self.demo_requested.emit()
        if self._demo_launcher is not None:
            self._welcome_page.show_demo_started(self._demo_launcher())

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About Allegro Desktop"), self.tr(
            "<h3>Allegro Desktop %1</h3><p>A free, fast, private order manager for Allegro.pl "
            "sellers.</p><p>Open source under the GNU GPL v3 or later. Not affiliated with "
            "Allegro.</p>").replace("%1", __version__))


def _when(moment: datetime) -> str:
    """A moment in the user's time zone and locale: the time alone when it is today."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    if local.date() == QDate.currentDate():
        return QLocale().toString(local.time(), QLocale.FormatType.ShortFormat)
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)
