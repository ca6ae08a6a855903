"""Composition root: builds the app's parts, wires them, and runs the Qt event loop.

One window per profile (`ui/window/single_instance.py`): a second start on the same data
folder brings the running window to the front and exits. SIGTERM, SIGHUP and SIGINT
(`ui/window/termination.py`) quit the window the way File → Quit does: the running sync cancelled
and recorded, the database closed.

In demo mode it also starts the built-in Allegro emulator on a free loopback port (on a thread of
its own) and points the app at it, so a new user sees a working app without an Allegro account.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import shutil
import sys
from typing import TYPE_CHECKING

from allegro_desktop import APP_NAME, __version__
from allegro_desktop.api.environments import SANDBOX_KEY, Environment
from allegro_desktop.auth.demo_keyring import DemoMemoryKeyring
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import AppServices, open_app_services
from allegro_desktop.config.logging_setup import log_to_file
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.sync_state import SyncStateRepository
from allegro_desktop.ui.i18n import translated

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QCoreApplication, SignalInstance
    from PySide6.QtWidgets import QWidget

    from allegro_desktop.emulator.runner import EmulatorServer
    from allegro_desktop.sync import SyncResult
    from allegro_desktop.sync.worker import SyncWorker
    from allegro_desktop.ui.accounts.controller import AccountsController
    from allegro_desktop.ui.dialogs.settings.controller import SettingsController
    from allegro_desktop.ui.syncing.controller import SyncController
    from allegro_desktop.ui.theme import ThemeManager
    from allegro_desktop.ui.window.main_window import DemoInfo, MainWindow
    from allegro_desktop.ui.window.tabs import TabsController

log = logging.getLogger("allegro_desktop.app")


def start_demo_emulator(*, orders: int) -> tuple[EmulatorServer, DemoInfo]:
    """The demo's Allegro: two seller accounts, realistic journal quirks, orders arriving live."""
    from allegro_desktop.emulator.core import Emulator, EmulatorConfig
    from allegro_desktop.emulator.runner import EmulatorServer
    from allegro_desktop.emulator.store import Quirks
    from allegro_desktop.ui.window.main_window import DemoInfo

    emulator = Emulator(EmulatorConfig(orders=orders, sellers=2, live=True,
                                       quirks=Quirks.realistic()))
    server = EmulatorServer(emulator)
    base_url = server.start()
    log.info("demo: Allegro emulator at %s", base_url)
    info = DemoInfo(
        base_url=base_url,
        sellers=tuple(s.seller.login for s in emulator.store.sellers.values()),
        orders=sum(len(s.orders) for s in emulator.store.sellers.values()),
        consent_url=f"{base_url}/skojarz-aplikacje",
    )
    return server, info


def demo_paths(paths: AppPaths) -> AppPaths:
    """Demo mode's own profile inside the data folder, emptied at each start (its emulator is
    new every time, so yesterday's demo accounts would point nowhere); from now on the log
    goes to the demo's own file there, apart from the seller's real log."""
    root = paths.demo_dir
    shutil.rmtree(root, ignore_errors=True)
    demo = resolve_paths(root, demo=True)
    log_to_file(demo.log_file)
    return demo


def build_controllers(*, window: MainWindow, services: AppServices, worker: SyncWorker,
                      database: Database, environment: Environment | None,
                      environment_error: AppError | None, require_keyring: bool = True,
                      sync_interval: float | None = None,
                      ) -> tuple[AccountsController, SyncController]:
    """The window's controllers, wired to each other (both parented to the window): the sync
    follows the account list, and an account found to need reconnecting is shown so.
    `sync_interval` overrides the automatic-sync setting (tests). Call the SyncController's
    `start()` once the window is shown."""
    from allegro_desktop.ui.accounts.controller import AccountsController
    from allegro_desktop.ui.syncing.controller import SyncController

    accounts = AccountsController(
        window=window, services=services, worker=worker,
        environment=environment, environment_error=environment_error,
        require_keyring=require_keyring, parent=window)
    sync = SyncController(window=window, worker=worker, services=services,
                          state=SyncStateRepository(database=database),
                          interval=sync_interval, parent=window)
    accounts.accounts_changed.connect(sync.set_accounts)
    sync.account_states_changed.connect(accounts.refresh)
    return accounts, sync


def wire_settings(*, window: MainWindow, services: AppServices, paths: AppPaths,
                  theme: ThemeManager, worker: SyncWorker, sync: SyncController,
                  accounts: AccountsController, environment_key: str | None,
                  demo: bool) -> SettingsController:
    """File → Settings… opens the Settings dialog; what it changes is applied live where that
    is possible (theme, automatic sync, retention, history depth, the environment for the next
    connection). The language and the data folder apply at the next start."""
    from allegro_desktop.ui.dialogs.settings.controller import SettingsController

    def set_retention(months: int | None) -> None:
        worker.retention_months = months

    def set_history_days(_days: int | None) -> None:
        worker.sync_settings = services.settings.sync_settings(worker.sync_settings)

    def resolve_environment() -> None:
        try:
            accounts.set_environment(services.environment(environment_key))
        except AppError as exc:
            accounts.set_environment(None, exc)

    controller = SettingsController(
        window=window, settings=services.settings, store=services.store, paths=paths,
        demo=demo, apply_theme=theme.apply, reschedule_sync=sync.interval_changed,
        set_retention=set_retention, set_history_days=set_history_days, parent=window)
    window.settings_requested.connect(controller.open)
    controller.connection_changed.connect(resolve_environment)
    return controller


def wire_notifications(*, window: MainWindow, tabs: TabsController,
                       worker: SyncWorker, sync: SyncController, services: AppServices,
                       database: Database, settings_changed: SignalInstance | None = None,
                       ) -> Callable[[], None]:
    """The tray icon, new-order notifications and alerts (`ui/window/notifications.py`,
    `ui/window/tray.py`; in the window, `ui/window/window_notice.py`, on a desktop without a
    tray) and the outgoing webhook (`services/webhook.py`), wired to the window and
    the sync thread. Returns what stops them: call it after the sync thread stopped and
    before the database closes."""
    from PySide6.QtWidgets import QApplication

    from allegro_desktop.services.webhook import WebhookService
    from allegro_desktop.storage.order_query import OrderQueries
    from allegro_desktop.ui.window.notifications import Notifier
    from allegro_desktop.ui.window.tray import TrayIcon, bring_to_front
    from allegro_desktop.ui.window.window_notice import WindowNotice

    def login(key: str) -> str | None:
        try:
            account = services.registry.get(key)
        except AppError:
            return None
        return account.login if account is not None else None

    def show_window() -> None:
        bring_to_front(window)

    def show_orders(ids: list[str]) -> None:
        bring_to_front(window)
        tabs.show_orders(ids)

    notifier = Notifier(worker=worker, queries=OrderQueries(database=database),
                        settings=services.settings, account_login=login, parent=window)
    tray = TrayIcon(notifier=notifier, icon=QApplication.windowIcon(), parent=window)
    if tray.tray is None:  # no system tray here: the messages show inside the window
        window.add_banner(WindowNotice(notifier=notifier, parent=window))
    tray.show_requested.connect(show_window)
    tray.sync_requested.connect(sync.sync_now)
    tray.quit_requested.connect(window.close)
    notifier.window_requested.connect(show_window)
    notifier.orders_requested.connect(show_orders)
    notifier.refresh_count()

    # The chat line of each order in the window's language (translated on the webhook's
    # thread: QCoreApplication.translate is thread-safe).
    webhook = WebhookService(database=database, load_secret=services.store.load_webhook_secret,
                             account_login=login, render=translated)

    def configure_webhook() -> None:
        try:
            url = services.store.load_webhook_url()
        except AppError as exc:  # the keyring is locked: the queue stays as it was
            log.warning("the webhook's address cannot be read: %s", exc)
            return
        webhook.configure(url)

    configure_webhook()

    def on_sync_finished(result: SyncResult) -> None:
        if result.report.announced_order_ids:
            webhook.wake()

    def on_settings_changed(names: list[str]) -> None:
        if {"webhook_url", "webhook_secret"} & set(names):
            configure_webhook()

    worker.sync_finished.connect(on_sync_finished)
    if settings_changed is not None:
        settings_changed.connect(on_settings_changed)

    def stop() -> None:
        notifier.shutdown()
        tray.hide()
        webhook.stop()

    return stop


def quit_on_signal(app: QCoreApplication, window: QWidget, name: str) -> None:
    """SIGTERM (logout, shutdown, a service manager), SIGHUP, SIGINT: quit as File → Quit
    does — the window closes and the event loop ends (even under a dialog), then `run_gui`'s
    clean-up cancels the running sync (recorded as cancelled) and closes the database."""
    log.info("quitting on %s", name)
    window.close()
    app.exit(0)


def stop_sync_thread(worker: SyncWorker, *, box_after_ms: int = 500) -> bool:
    """Stop the sync thread as the app quits (`SyncWorker.shutdown`): a running sync is
    cancelled; a deletion or a restore under way cannot be stopped half-way and is let
    finish — the event loop runs meanwhile and, when it takes longer than `box_after_ms`, a
    box says why the app has not quit yet. False when the thread did not end (a bug): it may
    still use the database, which must then stay open."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QProgressDialog

    from allegro_desktop.sync.worker import JobKind

    worker.stop()
    kind = worker.running_job
    if kind in (JobKind.DELETE, JobKind.EXCLUSIVE):
        if kind is JobKind.EXCLUSIVE:
            log.info("quitting once the restore under way has ended")
            text = QCoreApplication.translate(
                "Quitting", "Finishing the restore of the order database before quitting…")
        else:
            log.info("quitting once the deletion under way has ended")
            text = QCoreApplication.translate(
                "Quitting", "Finishing the deletion of a disconnected account's orders before "
                            "quitting…")
        box = QProgressDialog(text, "", 0, 0)
        box.setObjectName("finishingBox")
        box.setWindowTitle(APP_NAME)
        box.setCancelButton(None)
        loop = QEventLoop()
        worker.finished.connect(loop.quit)  # queued from the sync thread: never missed
        QTimer.singleShot(box_after_ms, box, box.show)
        if worker.isRunning():
            loop.exec()
        worker.finished.disconnect(loop.quit)
        box.close()
        box.deleteLater()
    return worker.shutdown()


def exit_leaving_sync_thread() -> None:
    """End the process now, the sync thread still running (it did not stop: a bug). Returning
    would destroy its `QThread` while it runs, which aborts the process; the database is left
    open instead — SQLite's journal keeps it whole, as after a power cut."""
    log.critical("the sync thread did not stop: exiting without waiting for it")
    logging.shutdown()
    sys.stderr.flush()
    os._exit(1)


def freeze_startup_objects() -> None:
    """Exclude everything alive now — modules, Qt wrappers, SQLAlchemy's tables, the window —
    from the garbage collector's future full passes (`gc.freeze`). There are about 100 000
    such objects; each full pass walked them all, 50 ms on the GUI thread at a moment no one
    chooses (measured while scrolling a million orders: the longest freeze of the window).
    They live as long as the app anyway; what is created later is collected as before."""
    gc.collect()
    gc.freeze()


def run_gui(*, paths: AppPaths, demo: bool, demo_orders: int, environment: str | None,  # noqa: C901 - the composition root, built step by step
            language: str | None = None) -> int:
    """Open the main window and run until it closes; returns the process exit code. When the
    profile already has a window, bring that one to the front instead (0; 1 if it does not
    answer)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from allegro_desktop.config.assets import app_icon_path
    from allegro_desktop.config.settings import Settings
    from allegro_desktop.config.ui_state import UiState
    from allegro_desktop.sync.worker import SyncWorker
    from allegro_desktop.ui.database.care import DatabaseCare
    from allegro_desktop.ui.database.opener import DatabaseOpener
    from allegro_desktop.ui.dialogs.diagnostics.controller import DiagnosticsController
    from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
    from allegro_desktop.ui.event_loop import close_event_loop, new_event_loop, run_event_loop
    from allegro_desktop.ui.i18n import ALLEGRO_LANGUAGES, install_translators, resolve_language
    from allegro_desktop.ui.theme import ThemeManager
    from allegro_desktop.ui.window.error_box import UncaughtErrorBox
    from allegro_desktop.ui.window.main_window import MainWindow
    from allegro_desktop.ui.window.single_instance import OtherWindow, claim_window
    from allegro_desktop.ui.window.tabs import TabsController
    from allegro_desktop.ui.window.termination import TerminationSignals
    from allegro_desktop.ui.window.tray import bring_to_front
    from allegro_desktop.ui.window.welcome import launch_demo

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("allegro-desktop")
    app.setDesktopFileName("allegro-desktop")
    app.setWindowIcon(QIcon(str(app_icon_path())))
    user_settings = Settings(paths.settings_file)
    translators = install_translators(  # noqa: F841 - kept alive while the app runs
        app, language or user_settings.language)
    # Before anything touches the profile (the demo empties its folder): one window per profile.
    claim = claim_window(paths.data_dir, demo=demo, arguments=sys.argv[1:])
    if isinstance(claim, OtherWindow):
        return claim.report()
    termination = TerminationSignals(parent=app)  # noticed whenever an event loop runs
    termination.install()
    theme = ThemeManager(app=app, parent=app)
    theme.apply(user_settings.theme)
    # "Try the demo" starts a second process with the same --data-dir (if any) and language.
    launcher_dir = paths.data_dir if paths.portable else None

    if demo:  # the demo's own profile and log (cli.py wrote no log file until now)
        paths = demo_paths(paths)
    server, demo_info = start_demo_emulator(orders=demo_orders) if demo else (None, None)
    # Migrations run here; a newer or corrupt database is refused, never changed (the newest
    # backup offered); a lock held elsewhere is waited for, saying so (ui/database/).
    # A quit signal meanwhile ends the wait (or closes the dialog) and the app quits.
    opener = DatabaseOpener(paths.database, app_version=__version__)
    termination.received.connect(opener.give_up)
    database = opener.open() if termination.arrived is None else None
    termination.received.disconnect(opener.give_up)
    if database is None or termination.arrived is not None:
        if termination.arrived is not None:
            log.info("quitting on %s", termination.arrived)
        if database is not None:
            database.close()
        if server is not None:
            server.stop()
        termination.uninstall()
        claim.release()
        return 0 if termination.arrived is not None else 1
    log.info("order database %s (schema %s)", paths.database, database.schema_revision)
    # An exception nothing caught (a bug in a slot, on a thread): logged with its traceback,
    # and told in a box over the window (ui/window/error_box.py).
    uncaught = UncaughtErrorBox(parent=app)
    uncaught.install()
    # asyncio on the GUI thread (the Connect dialog's login), run by Qt's event loop.
    loop = new_event_loop(app)
    worker: SyncWorker | None = None
    tabs: TabsController | None = None
    stop_notifications: Callable[[], None] | None = None
    diagnostics: DiagnosticsController | None = None
    care: DatabaseCare | None = None
    try:
        if demo_info is not None:
            services = open_app_services(paths, store=TokenStore(backend=DemoMemoryKeyring()),
                                         require_keyring=False)
            environment_key: str | None = demo_info.base_url
        else:
            services = open_app_services(paths, require_keyring=False)
            environment_key = environment
        # Allegro's own messages (a refused tracking number…) in the window's language.
        services.accept_language = ALLEGRO_LANGUAGES.get(
            resolve_language(language or user_settings.language))
        window = MainWindow(demo=demo_info, data_dir=str(paths.data_dir),
                            demo_launcher=None if demo_info is not None else functools.partial(
                                launch_demo, data_dir=launcher_dir, language=language))
        uncaught.window = window
        claim.show_requested.connect(lambda _pid, _arguments: bring_to_front(window))
        termination.connect_received(functools.partial(quit_on_signal, app, window))
        env: Environment | None = None
        env_error: AppError | None = None
        try:
            if demo_info is None:
                services.store.check_available()
            env = services.environment(environment_key)
        except AppError as exc:
            env_error = exc
        # The sync thread: the only writer of the database from here on.
        worker = SyncWorker(source=services, database=database,
                            settings=services.settings.sync_settings(),
                            retention_months=services.settings.retention_months)
        worker.start()
        accounts, sync = build_controllers(
            window=window, services=services, worker=worker,
            database=database, environment=env, environment_error=env_error,
            require_keyring=demo_info is None)
        tabs = TabsController(
            window=window, database=database, worker=worker,
            ui_state=UiState(paths.config_dir / "ui-state.ini"),
            sandbox=env is not None and env.key == SANDBOX_KEY, source=services, parent=window)
        accounts.accounts_changed.connect(tabs.set_accounts)
        tabs.set_accounts(services.registry.all())
        settings_controller = wire_settings(
            window=window, services=services, paths=paths, theme=theme, worker=worker,
            sync=sync, accounts=accounts, environment_key=environment_key,
            demo=demo_info is not None)
        # Tray, new-order notifications, alerts, the outgoing webhook.
        stop_notifications = wire_notifications(
            window=window, tabs=tabs, worker=worker, sync=sync,
            services=services, database=database,
            settings_changed=settings_controller.settings_changed)
        diagnostics = DiagnosticsController(  # Help → Diagnostics…
            source=DiagnosticsSource(paths=paths, services=services, database=database,
                                     environment_key=environment_key),
            window=window, parent=window)
        # File → Back up… / Restore from backup…, the background check, automatic backups.
        restored_tabs, restored_sync = tabs, sync

        def after_restore() -> None:
            restored_tabs.refresh()
            restored_sync.sync_now()

        care = DatabaseCare(window=window, database=database, worker=worker,
                            settings=services.settings, app_version=__version__,
                            after_restore=after_restore, parent=window)
        tabs.restore_state()
        window.show()
        claim.window_ready()  # from now on a second start is told "shown", not "starting"
        care.start()
        freeze_startup_objects()
        if env_error is not None:  # explained when the seller clicks Connect, not as a pop-up
            log.warning("connecting is not possible yet: %s", env_error)
        sync.start()  # catch up on what happened while the app was closed
        return run_event_loop(loop)
    finally:
        # The window's own async work first: a login under way is cancelled and closes its
        # httpx client; then the threads stop, the sync thread before the database closes.
        try:
            close_event_loop(loop)
        except Exception:  # whatever it is, the rest of the quit must still run
            log.exception("the window's event loop could not be closed")
        care_ended = care is None or care.shutdown()
        if tabs is not None:
            tabs.save_state()
            tabs.shutdown()
        thread_ended = worker is None or stop_sync_thread(worker)
        if stop_notifications is not None:
            stop_notifications()
        # A check still reading the database when its deadline passed keeps it open.
        checks_ended = diagnostics is None or diagnostics.shutdown()
        if thread_ended and checks_ended and care_ended:
            database.close()
        if server is not None:
            server.stop()
        termination.uninstall()
        uncaught.uninstall()
        claim.release()  # last: a next start may open the database
        if not thread_ended:
            exit_leaving_sync_thread()
