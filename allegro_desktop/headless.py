"""Terminal commands: `allegro-desktop login`, `accounts`, `sync`, `export`, `backup`, `restore`
and `doctor`.

`login` runs the same device flow as the Connect dialog: it prints the link and the code, waits
for the seller to approve the app on Allegro, and prints the connected login. Useful on a server
(a sync job without a screen) and in end-to-end tests.

`sync` syncs every connected account once (a cron job or a scheduled task can run it), holding
the profile's sync lease (`sync/lease.py`) so that it never syncs alongside the window or another
`sync`, and stops calmly on SIGTERM; `export`
writes the stored orders to a CSV, XLSX or JSON file (`services/export.py`), or their checkout
forms as Allegro sent them.

`backup` writes one consistent, checked copy of the order database to a file; `restore` puts a
backup in its place, the current database saved first (storage/backup.py).

`doctor` runs the health checks of the Diagnostics dialog (`services/health.py`) and exits 1 when
one fails: a scheduled job or support's first question ("what does doctor say?").

Each command says what went wrong in one line on stderr ("allegro-desktop: …") and ends with
one of the `ExitCode`s, the same for every command (README's command list documents them).
SIGTERM and SIGHUP stop any of them as Ctrl+C does (`stop_on_signals`): the same clean-up (no
half-written file left, a sync recorded as cancelled), one line, and 143 or 129 (128 + the
signal's number, as a shell reports a process it killed) instead of 130.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Final, TextIO

from allegro_desktop.api.errors import DeviceFlowError
from allegro_desktop.auth.device_flow import FlowState
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.domain.errors import AppError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, tzinfo

    from allegro_desktop.auth.token_store import TokenStore
    from allegro_desktop.config.app_services import AppServices
    from allegro_desktop.config.settings import Settings
    from allegro_desktop.domain.accounts import Account
    from allegro_desktop.domain.filters import OrderFilter, QuickFilter
    from allegro_desktop.storage import Database
    from allegro_desktop.storage.order_query import OrderQueries
    from allegro_desktop.sync import SyncResult
    from allegro_desktop.sync.lease import SyncLease

log = logging.getLogger("allegro_desktop.headless")

#: How long `sync` waits for another process's sync to end before it gives up (seconds).
DEFAULT_LEASE_WAIT = 30.0
#: How long a sync stopped by a signal may take to reach a page boundary before its task is
#: cancelled outright (a request hanging on a dead network).
_STOP_GRACE = 5.0


class ExitCode(enum.IntEnum):
    """How an `allegro-desktop` command ended, as its process exit code."""

    OK = 0
    #: It could not do what was asked (the reason on stderr); `doctor`: a check failed.
    FAILED = 1
    #: Options that do not fit (argparse's own code), or a data folder that cannot be used.
    USAGE = 2
    #: A bug: the command stopped; the details are in the log file.
    INTERNAL = 70
    #: `sync`: another process is syncing the profile (sysexits' EX_TEMPFAIL: "try again
    #: later", which is what a scheduled job should do).
    BUSY = 75
    #: SIGHUP (the terminal closed): stopped as with Ctrl+C.
    HANGUP = 129
    #: Ctrl+C (SIGINT): stopped on request; what was done so far is kept, nothing half-written.
    CANCELLED = 130
    #: SIGTERM (`kill`, a service manager, a shutdown): stopped as with Ctrl+C.
    TERMINATED = 143

    @classmethod
    def stopped_by(cls, signal_name: str) -> ExitCode:
        """The code of a command stopped by this signal ("SIGINT", "SIGTERM", "SIGHUP")."""
        return {"SIGHUP": cls.HANGUP, "SIGTERM": cls.TERMINATED}.get(signal_name,
                                                                     cls.CANCELLED)


#: The signals that stop a terminal command as Ctrl+C does (SIGINT is Python's own).
STOP_SIGNALS: Final = ("SIGTERM", "SIGHUP")


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: raised wherever the command was, as Ctrl+C raises
    `KeyboardInterrupt` (whose subclass it is, so that the same clean-up runs and asyncio lets
    it through)."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


def stop_on_signals() -> None:
    """From now on SIGTERM and SIGHUP stop the command as Ctrl+C does: `Stopped` is raised
    where it is, so every writer's own clean-up removes what it half-wrote, a lease is let go,
    a transaction rolled back; `stopped` then says so and gives the exit code. The first one
    counts: later ones are ignored, so that nothing cuts the clean-up short."""
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None:
            signal.signal(number, _raise_stopped)


def _raise_stopped(number: int, _frame: FrameType | None) -> None:
    _ignore_stop_signals()
    raise Stopped(signal.Signals(number).name)


def _ignore_stop_signals() -> None:
    """Once stopped: further SIGTERM/SIGHUP are ignored while the command cleans up."""
    for name in STOP_SIGNALS:
        if (number := getattr(signal, name, None)) is not None:
            signal.signal(number, signal.SIG_IGN)


@contextlib.contextmanager
def _own_signal_handlers() -> Iterator[None]:
    """Put back this process's handlers of `STOP_SIGNALS` after an asyncio loop that handled
    them itself: removing its handlers (or closing the loop) leaves the default action, which
    kills the process without any clean-up."""
    numbers = [n for name in STOP_SIGNALS if (n := getattr(signal, name, None)) is not None]
    saved = {number: signal.getsignal(number) for number in numbers}
    try:
        yield
    finally:
        for number, handler in saved.items():
            if handler is not None:
                signal.signal(number, handler)


def signal_of(interrupt: KeyboardInterrupt) -> str:
    """The signal that raised `interrupt`: `Stopped`'s, else Ctrl+C's ("SIGINT")."""
    return interrupt.signal_name if isinstance(interrupt, Stopped) else "SIGINT"


def stopped(signal_name: str, err: TextIO, what: str = "") -> ExitCode:
    """Say on `err` that the command was stopped by `signal_name` — "Cancelled" (Ctrl+C) or
    "Stopped on SIGTERM" —, then `what` (e.g. "nothing was written"); the exit code for it."""
    head = "Cancelled" if signal_name == "SIGINT" else f"Stopped on {signal_name}"
    print(f"{head}: {what}." if what else f"{head}.", file=err)
    return ExitCode.stopped_by(signal_name)


def login(*, paths: AppPaths, environment: str | None, out: TextIO = sys.stdout,
          err: TextIO = sys.stderr) -> ExitCode:
    """Connect an account from the terminal. 0 when connected, 1 when not, 130 on Ctrl+C
    (129 on SIGHUP, 143 on SIGTERM)."""
    try:
        services = open_app_services(paths)
        env = services.environment(environment)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    session = DeviceLogin(environment=env, store=services.store,
                          registry=services.registry, governor=services.governor)
    stopped_by: list[str] = []

    def stop(name: str) -> None:
        stopped_by.append(name)
        session.cancel()

    async def run() -> ExitCode:
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", *STOP_SIGNALS):
            if (number := getattr(signal, name, None)) is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(number, stop, name)
        auth = await session.start()
        minutes = max(int((auth.expires_at - time.time()) // 60), 1)
        print(f"Open this link and approve Allegro Desktop: {auth.verification_uri_complete}",
              file=out)
        print(f"Check that Allegro shows the code: {auth.formatted_user_code}", file=out)
        print(f"(Or open {auth.verification_uri} and type the code.) The code expires in "
              f"{minutes} minutes. Waiting for approval — Ctrl+C to cancel.", file=out,
              flush=True)
        account = await session.finish(lambda state: None)
        print(f"Connected: {account.login} (seller id {account.seller_id}) on {env.label}.",
              file=out, flush=True)
        return ExitCode.OK

    try:
        with _own_signal_handlers():
            return asyncio.run(run())
    except DeviceFlowError as exc:
        if session.state is FlowState.CANCELLED:
            _ignore_stop_signals()
            return stopped(stopped_by[0] if stopped_by else "SIGINT", err)
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except asyncio.CancelledError:
        _ignore_stop_signals()
        return stopped(stopped_by[0] if stopped_by else "SIGINT", err)


def accounts(*, paths: AppPaths, out: TextIO = sys.stdout,
             err: TextIO = sys.stderr) -> ExitCode:
    """List the connected accounts (no secrets: the registry holds none)."""
    from allegro_desktop.auth.account_registry import AccountRegistry

    try:
        registered = AccountRegistry(paths.config_dir / "accounts.json").all()
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    if not registered:
        print("No Allegro accounts are connected. Connect one with: allegro-desktop login",
              file=out)
        return ExitCode.OK
    width = max(len(a.login) for a in registered)
    for account in registered:
        state = "connected" if account.state is AccountState.CONNECTED else "connect again"
        print(f"{account.login:<{width}}  seller {account.seller_id:<10}  "
              f"{account.environment}  ({state})", file=out)
    return ExitCode.OK


def sync(*, paths: AppPaths, as_json: bool = False, wait: float = DEFAULT_LEASE_WAIT,
         out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> ExitCode:
    """Sync every connected account once, holding the profile's sync lease. 0 when every
    account synced, 1 otherwise — also when an account must be connected again (the reasons
    on `err`). With `as_json`, `out` gets a JSON array of the runs' reports (each with the
    account's `login`). Then old data is pruned per the retention setting
    (`_apply_retention`). When another process is syncing the profile, it waits up to `wait`
    seconds for it, then exits `ExitCode.BUSY` with one line saying who; stopped by SIGTERM
    (SIGHUP), it records the running sync as cancelled and exits `ExitCode.TERMINATED`
    (`HANGUP`)."""
    from allegro_desktop.sync.lease import LeaseHolder, ProfileBusyError, SyncLease

    lease = SyncLease(paths.database, holder=LeaseHolder.COMMAND)
    try:
        try:
            lease.acquire()
        except ProfileBusyError as exc:
            log.info("waiting up to %.0f s for the profile: %s", wait, exc)
            lease.acquire(wait)
    except ProfileBusyError as exc:  # the message says who
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.BUSY
    except AppError as exc:  # the lock file cannot be used
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    try:
        return _sync_holding_lease(paths=paths, lease=lease, as_json=as_json, out=out,
                                   err=err)
    finally:
        lease.release()


async def _sync_until_signalled(services: AppServices, database: Database, lease: SyncLease
                                ) -> tuple[list[SyncResult], str | None]:
    """`sync_all_accounts`, stopped calmly by SIGTERM or SIGHUP: the running sync ends at its
    next page boundary (or, after `_STOP_GRACE` seconds, is cancelled outright) and is
    recorded as cancelled. Returns the results, and the name of the signal that stopped it
    (None)."""
    from allegro_desktop.sync import sync_all_accounts

    loop = asyncio.get_running_loop()
    cancel = asyncio.Event()
    task = asyncio.ensure_future(sync_all_accounts(
        services, database, settings=services.settings.sync_settings(), cancel=cancel,
        lease=lease))
    stopped_by: list[str] = []

    def stop(sig: signal.Signals) -> None:
        if not stopped_by:
            stopped_by.append(sig.name)
            cancel.set()
            loop.call_later(_STOP_GRACE, task.cancel)

    handled = []
    for name in STOP_SIGNALS:  # Ctrl+C (SIGINT) has its own handling
        if (sig := getattr(signal, name, None)) is None:
            continue
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no signals
            loop.add_signal_handler(sig, stop, sig)
            handled.append(sig)
    try:
        results = await task
    except asyncio.CancelledError:  # the engine recorded the run as cancelled
        if not stopped_by:
            raise
        results = []
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
    return results, stopped_by[0] if stopped_by else None


def _sync_holding_lease(*, paths: AppPaths, lease: SyncLease, as_json: bool, out: TextIO,
                        err: TextIO) -> ExitCode:
    """`sync`'s work, once it holds the lease."""
    import json

    from allegro_desktop import __version__
    from allegro_desktop.storage import Database

    try:
        services = open_app_services(paths)
        connected = [a for a in services.registry.all() if a.state is AccountState.CONNECTED]
        database = Database.open(paths.database, app_version=__version__)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    try:
        if database.damage is not None and not database.verify():  # unless repaired since
            database.check_writable()  # refused: the message names the newest backup
        with _own_signal_handlers():
            results, stopped_by = asyncio.run(_sync_until_signalled(services, database,
                                                                    lease))
        if stopped_by is not None:
            _ignore_stop_signals()  # what asyncio's handler began ends calmly, one line
            return stopped(stopped_by, err, "the sync was cancelled; what it stored is kept")
        _apply_retention(database, services.settings.retention_months,
                         out=None if as_json else out, err=err)
        # The file alone holds every order (a copy of it, a backup tool). close() checkpoints
        # too, but only as the last connection: not while the window has the database open.
        database.checkpoint()
        if any(r.report.succeeded for r in results):
            _automatic_backup(database, services.settings, out=None if as_json else out,
                              err=err)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    finally:
        database.close()
    registered = services.registry.all()
    logins = {a.key: a.login for a in registered}
    disconnected = [a for a in registered if a.state is not AccountState.CONNECTED]
    for account in disconnected:
        print(f"allegro-desktop: {account.login}: not synced — Allegro no longer accepts the "
              f"app's authorization. Connect it again: allegro-desktop login", file=err)
    if as_json:
        print(json.dumps([dict(result.report.to_json(), login=logins.get(result.account_key))
                          for result in results], indent=2), file=out)
    elif not connected:
        print("No Allegro accounts are connected. Connect one with: allegro-desktop login",
              file=out)
    for result in results:
        report = result.report
        name = logins.get(report.account_key, report.account_key)
        if not as_json:
            print(f"{name}: {report.outcome} in {report.duration:.1f} s — {report.new} new, "
                  f"{report.updated} updated, {report.unchanged} unchanged, {report.gone} gone, "
                  f"{report.events} events, {report.requests} requests", file=out)
        if not report.succeeded:
            print(f"allegro-desktop: {name}: {result.message or report.outcome}", file=err)
    return (ExitCode.OK if all(r.report.succeeded for r in results) and not disconnected
            else ExitCode.FAILED)


def _apply_retention(database: Database, months: int | None, *, out: TextIO | None,
                     err: TextIO) -> None:
    """After a sync: delete what the retention setting no longer keeps (orders older than
    `months`, if set; old sync runs always — storage/retention.py). A failure is reported but
    does not fail the sync: nothing is lost, the next sync tries again."""
    from allegro_desktop.storage.retention import RetentionPolicy, prune

    try:
        report = prune(database, RetentionPolicy(keep_orders_months=months))
    except AppError as exc:
        print(f"allegro-desktop: old data not deleted: {exc.user_message}", file=err)
        return
    if out is not None and report.orders:
        print(f"Deleted {report.orders} order{'s' if report.orders != 1 else ''} bought more "
              f"than {months} months ago (the retention setting).", file=out)


def _automatic_backup(database: Database, settings: Settings, *, out: TextIO | None,
                      err: TextIO) -> None:
    """After a successful sync: the automatic backup, when one is due (the backup settings,
    storage/backup.py). A failure is reported but does not fail the sync."""
    from datetime import date

    from allegro_desktop.storage.backup import take_automatic_backup

    try:
        info = take_automatic_backup(database, settings.backup_policy(), today=date.today())
    except AppError as exc:
        print(f"allegro-desktop: no automatic backup: {exc.user_message}", file=err)
        return
    if out is not None and info is not None:
        print(f"Backed up {info.orders} order{'s' if info.orders != 1 else ''} to {info.path}",
              file=out)


def backup(*, paths: AppPaths, out_file: Path, out: TextIO = sys.stdout,
           err: TextIO = sys.stderr) -> ExitCode:
    """`allegro-desktop backup --out FILE`: a consistent, checked backup of the order database
    (storage/backup.py), also while the app syncs. 0 when written, 1 when not (the reason on
    `err`; FILE untouched), 130 on Ctrl+C, 143 on SIGTERM, 129 on SIGHUP (nothing
    written)."""
    from allegro_desktop.domain.errors import ByteSize
    from allegro_desktop.storage import Database
    from allegro_desktop.storage.backup import BackupCancelled, back_up

    if not paths.database.is_file():
        print(f"allegro-desktop: there is no order database in {paths.data_dir} yet: nothing "
              "to back up", file=err)
        return ExitCode.FAILED
    try:  # opened as it is: only a migration (if any) writes to it
        with Database.open(paths.database) as database:
            if database.damage is not None:
                print("allegro-desktop: warning: the order database is known to be damaged; "
                      "the backup copies it as it is", file=err)
            info = back_up(database, out_file)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except BackupCancelled:
        return stopped("SIGINT", err, "nothing was written")
    except KeyboardInterrupt as interrupt:
        return stopped(signal_of(interrupt), err, "nothing was written")
    print(f"Backed up {info.orders} order{'s' if info.orders != 1 else ''} to {out_file} "
          f"({ByteSize(info.size)}), checked: OK", file=out)
    return ExitCode.OK


def restore(*, paths: AppPaths, backup_file: Path, out: TextIO = sys.stdout,
            err: TextIO = sys.stderr) -> ExitCode:
    """`allegro-desktop restore FILE`: the backup checked (an Allegro Desktop database, sound,
    not newer than this version), the current database saved to the backups folder, then the
    backup put in its place and migrated. Refused while another program (the app) has the
    database open or syncs it (the sync lease). 0 when restored, 1 when not (nothing
    changed)."""
    from allegro_desktop import __version__
    from allegro_desktop.storage import Database
    from allegro_desktop.storage.backup import restore as restore_backup
    from allegro_desktop.storage.backup import stage_backup
    from allegro_desktop.sync.lease import LeaseHolder, SyncLease

    lease = SyncLease(paths.database, holder=LeaseHolder.COMMAND)
    try:
        lease.acquire(0)  # no sync of another process may write into the restored database
        try:
            with stage_backup(paths.database, backup_file) as staged:
                report = restore_backup(paths.database, staged, exclusive=True)
            with Database.open(paths.database, app_version=__version__) as database:
                _webhook_as_set(database, err)
        finally:
            lease.release()
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    orders = report.restored.orders
    print(f"Restored {orders} order{'s' if orders != 1 else ''} from {backup_file}.", file=out)
    if report.saved_current is not None:
        print(f"The database as it was before is kept in {report.saved_current}", file=out)
    print("Orders newer than the backup are downloaded again at the next sync.", file=out)
    return ExitCode.OK


def _webhook_as_set(database: Database, err: TextIO) -> None:
    """After a restore: new orders are queued for the webhook, or not, as the settings say
    (its address in the keyring) — the restored switch may be the backup's, older than them."""
    from allegro_desktop.auth.token_store import TokenStore
    from allegro_desktop.storage.outbox import WebhookOutbox

    try:
        WebhookOutbox(database=database).set_enabled(TokenStore().load_webhook_url() is not None)
    except AppError as exc:  # the keyring is locked: the app sets it at its next start
        print(f"allegro-desktop: warning: the webhook's switch could not be set from the "
              f"settings ({exc.user_message}); the app sets it when it starts", file=err)


class FilterOptionError(ValueError):
    """A command-line filter option that cannot be used; its text is the usage line."""


def filter_time_zone(time_zone: str | None, date_from: date | None, date_to: date | None,
                     search: str) -> tzinfo | None:
    """The time zone the order filters' days are in (`time_zone`, else the computer's; None:
    local time as `datetime.astimezone` has it), after checking the filter options `export`
    and `print` share. Raises `FilterOptionError`."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from allegro_desktop.services.time_zone import system_time_zone
    from allegro_desktop.storage.search import too_short

    zone: tzinfo | None = system_time_zone()
    if time_zone:
        try:
            zone = ZoneInfo(time_zone)
        except (ValueError, ZoneInfoNotFoundError):
            raise FilterOptionError(f"unknown time zone {time_zone!r} (use a name like "
                                    "Europe/Warsaw)") from None
    if date_from and date_to and date_from > date_to:
        raise FilterOptionError("--from is after --to")
    if too_short(search):
        raise FilterOptionError(f"--search {search!r}: a search needs a word of at least 2 "
                                "characters (the app shows every order for it)")
    return zone


def account_key_of(account: str, known: Sequence[Account], queries: OrderQueries,
                   err: TextIO) -> str | None:
    """The key of the account `account` names (a login or key of a registered account, or a
    key whose orders are stored); None, said on `err` with the accounts there are, if none."""
    stored = queries.facets().accounts
    match = [a.key for a in known if account in (a.key, a.login)] or [
        k for k in stored if k == account]
    if not match:
        names = ", ".join(a.login for a in known) or ", ".join(stored) or "none"
        print(f"allegro-desktop: no account {account!r} (accounts: {names})", file=err)
        return None
    return match[0]


def export_filter(*, quick: QuickFilter, search: str, key: str | None, date_from: date | None,
                  date_to: date | None, zone: tzinfo | None) -> OrderFilter:
    """The orders the shared filter options select (`date_to` inclusive, days in `zone`)."""
    from datetime import timedelta

    from allegro_desktop.domain.filters import OrderFilter
    from allegro_desktop.services.local_time import midnight

    return OrderFilter(
        quick=quick, search=search, accounts=frozenset({key}) if key else frozenset(),
        bought_from=midnight(date_from, zone) if date_from else None,
        bought_to=midnight(date_to + timedelta(days=1), zone) if date_to else None)


def export(*, paths: AppPaths, fmt: str, out_file: Path, account: str | None = None,
           status: str = "all", date_from: date | None = None, date_to: date | None = None,
           search: str = "", per: str = "order", columns: str | None = None,
           delimiter: str | None = None, decimal: str | None = None, raw: bool = False,
           time_zone: str | None = None, out: TextIO = sys.stdout,
           err: TextIO = sys.stderr) -> ExitCode:
    """Export the stored orders to `out_file` (`fmt` "csv", "xlsx" or "json"), as
    `services/export.py` writes them: the orders the filters select (`status` a quick filter
    such as "to-process"; `date_from`/`date_to` purchase days, inclusive, in `time_zone` —
    default the computer's; `search` as the search box; `account` a login or key), newest
    first, one row per order or per line item (`per` "line-item"), `columns` a comma-separated
    list of column ids. CSV's separator and decimal mark default to what the user's locale
    (`LC_ALL`/`LC_NUMERIC`/`LANG`) expects. `raw`: JSON only, the checkout forms exactly as
    Allegro sent them (every stored order, or `account`'s; merged-away forms left out).

    The file appears whole or not at all. Prints "Exported N orders to FILE". 0 on success,
    1 when the export fails (the reason on `err`), 2 for options that do not fit, 130 on
    Ctrl+C, 143 on SIGTERM, 129 on SIGHUP (nothing written).
    """
    from allegro_desktop import __version__
    from allegro_desktop.auth.account_registry import AccountRegistry
    from allegro_desktop.domain.filters import OrderColumn, OrderSort, QuickFilter
    from allegro_desktop.services.export import (
        ExportColumn,
        ExportFormat,
        ExportPer,
        ExportRequest,
        ItemColumn,
        column_of,
        csv_defaults_for,
        default_columns,
        export_orders,
        export_raw_forms,
        system_locale_name,
    )
    from allegro_desktop.storage import Database, OrderRepository
    from allegro_desktop.storage.order_query import OrderQueries

    def usage(message: str) -> ExitCode:
        print(f"allegro-desktop export: {message}", file=err)
        return ExitCode.USAGE

    try:
        export_format = ExportFormat(fmt)
        rows_per = ExportPer(per.replace("-", "_"))
        quick = QuickFilter(status.replace("-", "_"))
    except ValueError as exc:
        return usage(str(exc))
    if raw and (export_format is not ExportFormat.JSON or status != "all" or search
                or date_from or date_to or per != "order" or columns):
        return usage("--raw writes the checkout forms as Allegro sent them, as JSON, of every "
                     "stored order (or one --account's); it takes no other option")
    try:
        zone = filter_time_zone(time_zone, date_from, date_to, search)
    except FilterOptionError as exc:
        return usage(str(exc))
    chosen: tuple[ExportColumn, ...] = default_columns(rows_per)
    if columns:
        try:
            chosen = tuple(column_of(name.strip()) for name in columns.split(",")
                           if name.strip())
        except ValueError as exc:
            known_columns = ", ".join(c.value for c in (*OrderColumn, *ItemColumn))
            return usage(f"{exc}; the columns: {known_columns}")
    csv_defaults = csv_defaults_for(system_locale_name())
    separator = delimiter or csv_defaults.delimiter
    if separator.lower() in ("tab", "\\t"):
        separator = "\t"
    comma = csv_defaults.decimal_comma if decimal is None else decimal == "comma"
    try:  # what the options alone decide, checked before anything is opened
        ExportRequest(fmt=export_format, per=rows_per, columns=chosen, delimiter=separator)
    except ValueError as exc:  # a separator CSV cannot use, no column left
        return usage(str(exc))

    try:
        known = AccountRegistry(paths.config_dir / "accounts.json").all()
        with Database.open(paths.database, app_version=__version__) as database:
            queries = OrderQueries(database=database)
            key = None
            if account is not None:
                key = account_key_of(account, known, queries, err)
                if key is None:
                    return ExitCode.FAILED
            if raw:
                forms = OrderRepository(database=database).raw_forms(key, include_gone=False)
                count = export_raw_forms(forms, out_file)
                print(f"Exported {count} order{'s' if count != 1 else ''} to {out_file}",
                      file=out)
                return ExitCode.OK
            request = ExportRequest(
                fmt=export_format, per=rows_per, columns=chosen,
                order_filter=export_filter(quick=quick, search=search, key=key,
                                           date_from=date_from, date_to=date_to, zone=zone),
                sort=OrderSort(), delimiter=separator, decimal_comma=comma, time_zone=zone,
                account_names={a.key: a.login for a in known})
            report = export_orders(queries, request, out_file)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except KeyboardInterrupt as interrupt:
        return stopped(signal_of(interrupt), err, "nothing was written")
    orders = f"{report.orders} order{'s' if report.orders != 1 else ''}"
    if rows_per is ExportPer.LINE_ITEM:
        orders = f"{report.rows} line item{'s' if report.rows != 1 else ''} of {orders}"
    print(f"Exported {orders} to {out_file}", file=out)
    return ExitCode.OK


def doctor(*, paths: AppPaths, environment: str | None = None, as_json: bool = False,
           full: bool = False, store: TokenStore | None = None, out: TextIO = sys.stdout,
           err: TextIO = sys.stderr) -> ExitCode:
    """`allegro-desktop doctor`: every health check (`services/health.py`) as a line — ✓, ! or
    ✗, the check, what was found — then versions and paths; with `as_json` one JSON object.
    0 when no check FAILED (warnings allowed), 1 otherwise. `full`: the database's integrity
    is checked whatever the file's size. The keyring is not required to start: that it is
    missing is one of the things reported. Nothing secret is printed."""
    import json

    from allegro_desktop import __version__
    from allegro_desktop.api.environments import PRODUCTION_KEY
    from allegro_desktop.services.health import (
        DEFAULT_QUICK_CHECK_MAX_BYTES,
        CheckResult,
        HealthChecker,
        Status,
        versions,
    )

    try:
        services = open_app_services(paths, store=store, require_keyring=False)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    try:
        has_accounts = bool(services.registry.all())
    except AppError:
        has_accounts = False  # the sign-in check says why
    keys = ([environment] if environment else
            [] if has_accounts else [services.settings.environment or PRODUCTION_KEY])
    checker = HealthChecker(
        data_dir=paths.data_dir, database_path=paths.database, store=services.store,
        registry=services.registry, environment_keys=keys, governor=services.governor,
        resolve_environment=services.environment,
        quick_check_max_bytes=None if full else DEFAULT_QUICK_CHECK_MAX_BYTES)
    where = _profile_paths(paths)
    marks = _marks(out)

    def show(result: CheckResult) -> None:
        if as_json:
            return
        detail = str(result.detail).replace("\n", "\n      ")
        print(f"  {marks[result.status]} {result.name}: {detail}", file=out, flush=True)

    if not as_json:
        print(f"Allegro Desktop {__version__} — health checks", file=out, flush=True)
    results = checker.run(show)
    failed = [r for r in results if r.status is Status.FAILED]
    if as_json:
        print(json.dumps({"ok": not failed, "checks": [r.to_json() for r in results],
                          "versions": versions(), "paths": where}, indent=2,
                         ensure_ascii=False), file=out)
    else:
        print("\nVersions:", file=out)
        for name, value in versions().items():
            print(f"  {name}: {value}", file=out)
        print("Paths:", file=out)
        for name, value in where.items():
            print(f"  {name}: {value}", file=out)
        warned = sum(1 for r in results if r.status is Status.WARNING)
        print(f"\n{len(failed)} failed, {warned} warning(s), "
              f"{len(results) - len(failed) - warned} OK.", file=out)
    for result in failed:
        print(f"allegro-desktop: {result.name}: {str(result.detail).splitlines()[0]}", file=err)
    return ExitCode.FAILED if failed else ExitCode.OK


def _profile_paths(paths: AppPaths) -> dict[str, str]:
    """The profile's folders and files, as the doctor and the diagnostics report name them."""
    return {"data folder": str(paths.data_dir), "database": str(paths.database),
            "settings": str(paths.settings_file), "log file": str(paths.log_file),
            "config folder": str(paths.config_dir), "cache folder": str(paths.cache_dir),
            "portable (--data-dir)": "yes" if paths.portable else "no"}


def _marks(out: TextIO) -> dict[object, str]:
    """✓ ! ✗ where the terminal can print them, [ok] [!!] [XX] where it cannot (a Windows
    console in an old code page)."""
    from allegro_desktop.services.health import Status

    encoding = getattr(out, "encoding", None) or "utf-8"  # None: a StringIO, text as it is
    try:
        "✓✗".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return {Status.OK: "[ok]", Status.WARNING: "[!!]", Status.FAILED: "[XX]"}
    return {Status.OK: "✓", Status.WARNING: "!", Status.FAILED: "✗"}
