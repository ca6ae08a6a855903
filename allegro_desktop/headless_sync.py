"""`allegro-desktop sync`: every connected account synced once (a cron job or a scheduled task can
run it), holding the profile's sync lease (`sync/lease.py`) so that it never syncs alongside the
window or another `sync`, and stopping calmly on SIGTERM; then old data pruned per the retention
setting and the automatic backup taken when one is due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.domain.errors import AppError
from allegro_desktop.headless import (
    DEFAULT_LEASE_WAIT,
    STOP_SIGNALS,
    ExitCode,
    hold_lease,
    ignore_stop_signals,
    own_signal_handlers,
    stopped,
)

if TYPE_CHECKING:
    from allegro_desktop.config.app_services import AppServices
    from allegro_desktop.config.settings import Settings
    from allegro_desktop.storage import Database
    from allegro_desktop.sync import SyncResult
    from allegro_desktop.sync.lease import SyncLease

log = logging.getLogger("allegro_desktop.headless")

#: How long a sync stopped by a signal may take to reach a page boundary before its task is
#: cancelled outright (a request hanging on a dead network).
_STOP_GRACE = 5.0


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
    from allegro_desktop.sync.lease import LeaseHolder

    lease = hold_lease(paths, LeaseHolder.COMMAND, wait=wait, err=err)
    if isinstance(lease, ExitCode):
        return lease
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
        with own_signal_handlers():
            results, stopped_by = asyncio.run(_sync_until_signalled(services, database,
                                                                    lease))
        if stopped_by is not None:
            ignore_stop_signals()  # what asyncio's handler began ends calmly, one line
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
