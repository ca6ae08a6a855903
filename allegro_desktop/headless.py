"""The terminal commands' common ground, and `allegro-desktop accounts`.

Each command lives in a module of its own, imported only when it runs, so a command loads only
what it needs (no Qt, no keyring for `accounts` and `export`, no sign-in machinery for `sync`):
`login` (headless_login.py), `sync` (headless_sync.py), `export` (headless_export.py),
`backup` and `restore` (headless_backup.py), `doctor` (headless_doctor.py), `print`
(headless_print.py), `orders` (headless_orders.py, headless_labels.py). This module holds what
they share and stays light: the exit codes, how a signal stops a command, the order filters of
`export` and `print`; and `accounts`, which needs nothing more.

Each command says what went wrong in one line on stderr ("allegro-desktop: …") and ends with
one of the `ExitCode`s, the same for every command (README's command list documents them).
SIGTERM and SIGHUP stop any of them as Ctrl+C does (`stop_on_signals`): the same clean-up (no
half-written file left, a sync recorded as cancelled), one line, and 143 or 129 (128 + the
signal's number, as a shell reports a process it killed) instead of 130.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING, Final, TextIO

from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.domain.errors import AppError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, tzinfo

    from allegro_desktop.domain.accounts import Account
    from allegro_desktop.domain.filters import OrderFilter, QuickFilter
    from allegro_desktop.storage.order_query import OrderQueries
    from allegro_desktop.sync.lease import LeaseHolder, SyncLease

log = logging.getLogger("allegro_desktop.headless")

#: How long `sync` waits for another process's sync to end before it gives up (seconds).
DEFAULT_LEASE_WAIT = 30.0
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
    ignore_stop_signals()
    raise Stopped(signal.Signals(number).name)


def ignore_stop_signals() -> None:
    """Once stopped: further SIGTERM/SIGHUP are ignored while the command cleans up."""
    for name in STOP_SIGNALS:
        if (number := getattr(signal, name, None)) is not None:
            signal.signal(number, signal.SIG_IGN)


@contextlib.contextmanager
def own_signal_handlers() -> Iterator[None]:
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


def hold_lease(paths: AppPaths, holder: LeaseHolder, *, wait: float,
               err: TextIO) -> SyncLease | ExitCode:
    """The profile's sync lease, taken for a command (`holder`), waiting up to `wait` seconds
    for another process to let go of it; release it when done. Otherwise the exit code, said
    in one line on `err`: `ExitCode.BUSY` (the line says who holds it) or `ExitCode.FAILED`
    (the lock file cannot be used)."""
    from allegro_desktop.sync.lease import ProfileBusyError, SyncLease

    lease = SyncLease(paths.database, holder=holder)
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
    return lease


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

