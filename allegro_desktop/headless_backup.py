"""`allegro-desktop backup` writes one consistent, checked copy of the order database to a file;
`restore` puts a backup in its place, the current database saved first (storage/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.headless import ExitCode, signal_of, stopped

if TYPE_CHECKING:
    from allegro_desktop.storage import Database


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
