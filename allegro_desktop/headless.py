"""Terminal commands: `allegro-desktop login`, `accounts`, `sync` and `export`.

`login` runs the same device flow as the Connect dialog: it prints the link and the code, waits
for the seller to approve the app on Allegro, and prints the connected login. Useful on a server
(a sync job without a screen) and in end-to-end tests.

`sync` syncs every connected account once (a cron job or a scheduled task can run it); `export`
writes every stored order's raw checkout form to a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.api.errors import DeviceFlowError
from allegro_desktop.auth.device_flow import FlowState
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.config.connection import open_connection
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.domain.errors import AppError

if TYPE_CHECKING:
    from allegro_desktop.storage import Database


def login(*, paths: AppPaths, environment: str | None, out: TextIO = sys.stdout,
          err: TextIO = sys.stderr) -> int:
    """Connect an account from the terminal. 0 when connected, 1 when not, 130 on Ctrl+C."""
    try:
        connection = open_connection(paths)
        env = connection.environment(environment)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    session = DeviceLogin(environment=env, store=connection.store,
                          registry=connection.registry, governor=connection.governor)

    async def run() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, session.cancel)
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
        return 0

    try:
        return asyncio.run(run())
    except DeviceFlowError as exc:
        if session.state is FlowState.CANCELLED:
            print("Cancelled.", file=err)
            return 130
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    except asyncio.CancelledError:
        print("Cancelled.", file=err)
        return 130


def accounts(*, paths: AppPaths, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """List the connected accounts (no secrets: the registry holds none)."""
    from allegro_desktop.auth.accounts import AccountRegistry

    try:
        registered = AccountRegistry(paths.config_dir / "accounts.json").all()
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    if not registered:
        print("No Allegro accounts are connected. Connect one with: allegro-desktop login",
              file=out)
        return 0
    width = max(len(a.login) for a in registered)
    for account in registered:
        state = "connected" if account.state is AccountState.CONNECTED else "connect again"
        print(f"{account.login:<{width}}  seller {account.seller_id:<10}  "
              f"{account.environment}  ({state})", file=out)
    return 0


def sync(*, paths: AppPaths, as_json: bool = False, out: TextIO = sys.stdout,
         err: TextIO = sys.stderr) -> int:
    """Sync every connected account once. 0 when every account synced, 1 otherwise — also
    when an account must be connected again (the reasons on `err`). With `as_json`, `out`
    gets a JSON array of the runs' reports (each with the account's `login`). Then old data
    is pruned per the retention setting (`_apply_retention`)."""
    import json

    from allegro_desktop import __version__
    from allegro_desktop.storage import Database
    from allegro_desktop.sync import sync_all_accounts

    try:
        connection = open_connection(paths)
        connected = [a for a in connection.registry.all() if a.state is AccountState.CONNECTED]
        database = Database.open(paths.database, app_version=__version__)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    try:
        reports = asyncio.run(sync_all_accounts(connection, database))
        _apply_retention(database, connection.settings.retention_months,
                         out=None if as_json else out, err=err)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    finally:
        database.close()
    registered = connection.registry.all()
    logins = {a.key: a.login for a in registered}
    disconnected = [a for a in registered if a.state is not AccountState.CONNECTED]
    for account in disconnected:
        print(f"allegro-desktop: {account.login}: not synced — Allegro no longer accepts the "
              f"app's authorization. Connect it again: allegro-desktop login", file=err)
    if as_json:
        print(json.dumps([dict(r.to_json(), login=logins.get(r.account_key))
                          for r in reports], indent=2), file=out)
    elif not connected:
        print("No Allegro accounts are connected. Connect one with: allegro-desktop login",
              file=out)
    for report in reports:
        name = logins.get(report.account_key, report.account_key)
        if not as_json:
            print(f"{name}: {report.outcome} in {report.duration:.1f} s — {report.new} new, "
                  f"{report.updated} updated, {report.unchanged} unchanged, {report.gone} gone, "
                  f"{report.events} events, {report.requests} requests", file=out)
        if not report.succeeded:
            print(f"allegro-desktop: {name}: {report.error or report.outcome}", file=err)
    return 0 if all(r.succeeded for r in reports) and not disconnected else 1


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


def export(*, paths: AppPaths, fmt: str, out_file: Path, account: str | None = None,
           err: TextIO = sys.stderr) -> int:
    """Write the stored orders' checkout forms, as received from Allegro, to `out_file`
    (`fmt` "json": a JSON array, newest first): every account's, or only `account`'s (its
    login or key). Forms Allegro no longer has (merged into another purchase) are left out:
    their line items are in the merged form. The file appears whole or not at all (written
    next to it, then renamed). 0 on success, 1 when it cannot be written."""
    import os
    import tempfile

    import orjson

    from allegro_desktop import __version__
    from allegro_desktop.auth.accounts import AccountRegistry
    from allegro_desktop.storage import Database, OrderRepository

    if fmt != "json":
        print(f"allegro-desktop: unknown export format {fmt!r}", file=err)
        return 1
    try:
        key = None
        if account is not None:
            known = AccountRegistry(paths.config_dir / "accounts.json").all()
            match = [a for a in known if account in (a.key, a.login)]
            if not match:
                names = ", ".join(a.login for a in known) or "none connected"
                print(f"allegro-desktop: no account {account!r} (accounts: {names})", file=err)
                return 1
            key = match[0].key
        with Database.open(paths.database, app_version=__version__) as database:
            forms = OrderRepository(database=database).raw_forms(key, include_gone=False)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    target = out_file.resolve()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                             dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(orjson.dumps(forms))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        print(f"allegro-desktop: cannot write {out_file}: {exc.strerror or exc}", file=err)
        return 1
    return 0
