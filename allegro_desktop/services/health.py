"""Health checks: what the Diagnostics dialog and `allegro-desktop doctor` report — each check
one question a seller or support asks when orders seem late (Allegro reachable, keyring, each
sign-in, database, disk, rate limit, last sync, records kept aside), with a status, one line
and its duration; and `diagnostics_report`, the redacted text for support. The checks and
their thresholds: ARCHITECTURE.md "Diagnostics and the log".
"""

from __future__ import annotations

import contextlib
import enum
import functools
import importlib.metadata
import logging
import platform
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import httpx

from allegro_desktop import __version__
from allegro_desktop.api.client import API_MEDIA_TYPE, default_user_agent
from allegro_desktop.api.environments import Environment, environment_from_key
from allegro_desktop.api.limits import PROBE_LIMITS
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.wire import send_blocking
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import (
    QT_TRANSLATE_NOOP,
    AppError,
    ByteSize,
    Count,
    Moment,
    Text,
)
from allegro_desktop.services.redaction import mask_personal_data, redact
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_repository import KeptAside, KeptRecord, OrderRepository
from allegro_desktop.storage.sync_state import SyncRun, SyncStateRepository

__all__ = [
    "CHECK_NAMES",
    "DEFAULT_QUICK_CHECK_MAX_BYTES",
    "CheckId",
    "CheckResult",
    "HealthChecker",
    "Status",
    "diagnostics_report",
    "known_secrets",
    "versions",
]

log = logging.getLogger("allegro_desktop.services")

#: Files up to this size get `PRAGMA quick_check` (about 5 s a GB on an ordinary disk).
DEFAULT_QUICK_CHECK_MAX_BYTES: Final = 1024**3
DISK_WARNING_BYTES: Final = 1024**3
DISK_FAILURE_BYTES: Final = 200 * 1024**2
#: A connected account whose last successful sync is older than this gets a warning.
SYNC_STALE_AFTER: Final = timedelta(days=1)
#: A refresh token expiring sooner than this gets a warning (it renews at every sync).
REFRESH_WARNING: Final = timedelta(days=7)
#: A sync that met a 429 this recently is reported by the rate-limit check.
RECENT_RATE_LIMIT: Final = timedelta(hours=1)
#: The keyring round trip's value: as long as a pair of Allegro JWTs, so it exercises the
#: Windows entry-length limit the token store works around.
_TEST_TOKEN_CHARS: Final = 1200


class Status(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


class CheckId(enum.StrEnum):
    API = "api"
    KEYRING = "keyring"
    TOKEN = "token"
    DATABASE = "database"
    DISK = "disk"
    RATE_LIMIT = "rate_limit"
    LAST_SYNC = "last_sync"
    KEPT_ASIDE = "kept_aside"


#: Each check's name, English; the window translates them in the context "HealthCheck".
CHECK_NAMES: Final[Mapping[CheckId, str]] = {
    CheckId.API: QT_TRANSLATE_NOOP("HealthCheck", "Allegro reachable"),
    CheckId.KEYRING: QT_TRANSLATE_NOOP("HealthCheck", "System keyring"),
    CheckId.TOKEN: QT_TRANSLATE_NOOP("HealthCheck", "Sign-in"),
    CheckId.DATABASE: QT_TRANSLATE_NOOP("HealthCheck", "Order database"),
    CheckId.DISK: QT_TRANSLATE_NOOP("HealthCheck", "Free disk space"),
    CheckId.RATE_LIMIT: QT_TRANSLATE_NOOP("HealthCheck", "Rate limit"),
    CheckId.LAST_SYNC: QT_TRANSLATE_NOOP("HealthCheck", "Last sync"),
    CheckId.KEPT_ASIDE: QT_TRANSLATE_NOOP("HealthCheck", "Records kept aside"),
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's answer. `subject` names what a per-account check is about (the login, or
    the environment's name); `detail` is one line for the seller: what was found and what to
    do."""

    check: CheckId
    status: Status
    detail: Text | str
    seconds: float = 0.0
    subject: Text | str | None = None

    @property
    def name(self) -> str:
        """The check's English name, with the subject."""
        base = CHECK_NAMES[self.check]
        return f"{base} — {self.subject}" if self.subject else base

    def to_json(self) -> dict[str, Any]:
        return {"check": str(self.check), "name": CHECK_NAMES[self.check],
                "subject": None if self.subject is None else str(self.subject),
                "status": str(self.status),
                "detail": str(self.detail), "seconds": round(self.seconds, 3)}


Clock = Callable[[], float]


@dataclass
class HealthChecker:
    """Runs the checks for one profile (ARCHITECTURE.md "Diagnostics and the log"). Blocking
    (network, keyring, SQLite): the window runs it on a worker thread.

    `database` is the app's open database if there is one (the window's); otherwise the
    file at `database_path` is opened for the checks and closed again — which, like the app's
    start, migrates an older schema. `environment_keys` are the environments to probe besides
    those of the connected accounts (the configured one). `resolve_environment` fills in
    credentials (for the client id the rate limit is counted by); without it, or when it fails,
    the environment's key stands in.
    """

    data_dir: Path
    database_path: Path
    store: TokenStore
    registry: AccountRegistry
    environment_keys: Sequence[str] = ()
    database: Database | None = None
    governor: RequestGovernor | None = None
    resolve_environment: Callable[[str], Environment] | None = None
    quick_check_max_bytes: int | None = DEFAULT_QUICK_CHECK_MAX_BYTES
    timeout: float = PROBE_LIMITS.deadline
    clock: Clock = time.time
    transport: httpx.AsyncBaseTransport | None = None
    _opened: Database | None = field(default=None, init=False, repr=False)
    _database_error: AppError | None = field(default=None, init=False, repr=False)

    def run(self, on_result: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
        """Every check, in a fixed order; `on_result` gets each result as it is known."""
        results: list[CheckResult] = []
        steps: list[tuple[CheckId, Callable[[], list[CheckResult]]]] = [
            (CheckId.KEYRING, self.check_keyring),
            (CheckId.TOKEN, self.check_tokens),
            (CheckId.API, self.check_api),
            (CheckId.DATABASE, self.check_database),
            (CheckId.DISK, self.check_disk),
            (CheckId.RATE_LIMIT, self.check_rate_limit),
            (CheckId.LAST_SYNC, self.check_last_sync),
            (CheckId.KEPT_ASIDE, self.check_kept_aside),
        ]
        try:
            for check, step in steps:
                for result in _guarded(check, step):
                    results.append(result)
                    if on_result is not None:
                        on_result(result)
        finally:
            if self._opened is not None:
                self._opened.close()
                self._opened = None
        return results

    # -- the checks -----------------------------------------------------------------------

    def check_keyring(self) -> list[CheckResult]:
        self.store.check_available()
        key = f"health-check|{secrets.token_hex(8)}"
        value = secrets.token_urlsafe(_TEST_TOKEN_CHARS)[:_TEST_TOKEN_CHARS]
        pair = TokenPair(access_token=value, refresh_token=value[::-1],
                         access_expires_at=0.0, refresh_expires_at=0.0)
        try:
            self.store.save(key, pair)
            back = self.store.load(key)
        finally:
            self.store.delete(key)
        if back != pair:
            return [CheckResult(CheckId.KEYRING, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "The system keyring stored a test entry but gave a different one "
                "back. Your sign-in cannot be kept safely: check the keyring program.")))]
        left = self.store.load(key)
        if left is not None:
            return [CheckResult(CheckId.KEYRING, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "The system keyring works, but a test entry could not be deleted "
                "(\"%1\" in the keyring program); you may delete it by hand."), key))]
        return [CheckResult(CheckId.KEYRING, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "Usable: a test entry was saved, read back and deleted.")))]

    def check_tokens(self) -> list[CheckResult]:
        accounts = self.registry.all()
        if not accounts:
            return [CheckResult(CheckId.TOKEN, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "No Allegro account is connected yet.")))]
        return [_guarded_one(CheckId.TOKEN, functools.partial(self._token, account),
                             account.login) for account in accounts]

    def _token(self, account: Account) -> CheckResult:
        if account.state is AccountState.RECONNECT_NEEDED:
            return CheckResult(CheckId.TOKEN, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "Allegro no longer accepts the app's authorization. Connect the "
                "account again (Account menu).")), subject=account.login)
        pair = self.store.load(account.key)
        if pair is None:
            return CheckResult(CheckId.TOKEN, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "No sign-in is stored in the keyring for this account. Connect it "
                "again (Account menu).")), subject=account.login)
        now = self.clock()
        access = (Text(QT_TRANSLATE_NOOP("Errors", "access valid until %1"),
                       _when(pair.access_expires_at))
                  if pair.access_expires_at > now else
                  Text(QT_TRANSLATE_NOOP("Errors", "access expired, renewed at the next sync")))
        if pair.refresh_expires_at <= now:
            return CheckResult(CheckId.TOKEN, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "The sign-in expired on %1. Connect the account again (Account "
                "menu)."), _when(pair.refresh_expires_at)), subject=account.login)
        status = (Status.WARNING if pair.refresh_expires_at - now < REFRESH_WARNING.total_seconds()
                  else Status.OK)
        return CheckResult(CheckId.TOKEN, status, Text(QT_TRANSLATE_NOOP(
            "Errors", "Valid: %1; the sign-in renews itself at each sync and lasts until %2 "
            "without one."), access, _when(pair.refresh_expires_at)), subject=account.login)

    def _environments(self) -> list[Environment]:
        keys: list[str] = list(self.environment_keys)
        with contextlib.suppress(AppError):  # the token check reports a damaged registry
            keys += [a.environment for a in self.registry.all()]
        found: dict[str, Environment] = {}
        for key in keys:
            environment = environment_from_key(key)
            found.setdefault(environment.api_url, environment)
        return list(found.values())

    def check_api(self) -> list[CheckResult]:
        environments = self._environments()
        if not environments:
            return [CheckResult(CheckId.API, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "Not checked: no Allegro environment is configured.")))]
        return [_guarded_one(CheckId.API, functools.partial(self._probe, env), env.name)
                for env in environments]

    def _probe(self, environment: Environment) -> CheckResult:
        label = environment.name
        began = time.perf_counter()
        limits = replace(PROBE_LIMITS, deadline=self.timeout)
        try:
            # No token: any answer (401 here) proves the way to the API works.
            response = send_blocking("GET", environment.api_url + "/me", what="GET /me (probe)",
                                     limits=limits, transport=self.transport,
                                     headers={"User-Agent": default_user_agent(),
                                              "Accept": API_MEDIA_TYPE})
        except httpx.TimeoutException:
            return CheckResult(CheckId.API, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 did not answer within %2 s. Check the internet connection (and "
                "a firewall or proxy, if any)."), label, f"{self.timeout:g}"), subject=label)
        except httpx.RequestError as exc:
            return CheckResult(CheckId.API, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "Cannot reach %1 (%2). Check the internet connection; the app "
                "works offline on the orders it has."), label, type(exc).__name__),
                subject=label)
        milliseconds = round((time.perf_counter() - began) * 1000)
        if response.status_code >= 500:
            return CheckResult(CheckId.API, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 answered with an error (HTTP %2): Allegro has trouble right "
                "now; syncs try again by themselves."), label, response.status_code),
                subject=label)
        return CheckResult(CheckId.API, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "Reachable: %1 answered in %2 ms."), environment.api_url,
            Count(milliseconds)), subject=label)

    def _open_database(self) -> Database:
        if self.database is not None:
            return self.database
        if self._opened is None:
            self._opened = Database.open(self.database_path, busy_timeout=2.0)
        return self._opened

    def check_database(self) -> list[CheckResult]:
        path = self.database_path
        if self.database is None and not (path.exists() and path.stat().st_size > 0):
            return [CheckResult(CheckId.DATABASE, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "No database yet at %1: the app creates it when it starts."),
                str(path)))]
        try:
            revision = self._open_database().schema_revision or "-"
        except AppError as exc:
            self._database_error = exc
            raise
        size = path.stat().st_size
        limit = self.quick_check_max_bytes
        if limit is not None and size > limit:
            return [CheckResult(CheckId.DATABASE, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 (%2, schema %3) opens; its page-by-page integrity check was "
                "skipped for a file over %4 (run \"allegro-desktop doctor --full\" for it: it "
                "takes minutes)."), str(path), _size(size), revision, _size(limit)))]
        problems = _quick_check(path)
        if problems != ["ok"]:
            return [CheckResult(CheckId.DATABASE, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 is damaged (integrity check: %2). Close the app, restore a "
                "backup, or move the file away and the app downloads your orders again."),
                str(path), "; ".join(problems)[:300]))]
        return [CheckResult(CheckId.DATABASE, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 (%2, schema %3): the integrity check passed."),
            str(path), _size(size), revision))]

    def check_disk(self) -> list[CheckResult]:
        free = shutil.disk_usage(self.data_dir).free
        folder = str(self.data_dir)
        if free < DISK_FAILURE_BYTES:
            return [CheckResult(CheckId.DISK, Status.FAILED, Text(QT_TRANSLATE_NOOP(
                "Errors", "Only %1 free where the data folder is (%2): new orders cannot be "
                "saved soon. Free some space."), _size(free), folder))]
        if free < DISK_WARNING_BYTES:
            return [CheckResult(CheckId.DISK, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 free where the data folder is (%2): little room left. Free some "
                "space."), _size(free), folder))]
        return [CheckResult(CheckId.DISK, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 free where the data folder is (%2)."), _size(free), folder))]

    def check_rate_limit(self) -> list[CheckResult]:
        if self.governor is not None:
            for environment in self._environments():
                client_id = self._client_id(environment)
                until = self.governor.paused_until(client_id)
                if until is not None:
                    return [CheckResult(CheckId.RATE_LIMIT, Status.WARNING, Text(
                        QT_TRANSLATE_NOOP(
                            "Errors", "Allegro asked the app to slow down (HTTP 429): requests "
                            "are paused until %1. The app goes on by itself."), _when(until)))]
        recent = self._recent_rate_limited_run()
        if recent is not None:
            return [CheckResult(CheckId.RATE_LIMIT, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "The sync at %1 was answered \"too many requests\" (HTTP 429) %2 "
                "time(s). It is not paused now; if it keeps happening, lower the requests per "
                "minute in the settings."), _when(recent.started_at.timestamp()),
                Count(recent.metrics.rate_limited)))]
        if self.governor is None:
            return [CheckResult(CheckId.RATE_LIMIT, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "No recent sync was rate limited.")))]
        return [CheckResult(CheckId.RATE_LIMIT, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "Not paused; the app sends at most %1 requests a minute."),
            Count(self.governor.per_minute)))]

    def _client_id(self, environment: Environment) -> str:
        if self.resolve_environment is not None:
            try:
                return self.resolve_environment(environment.key).client_id
            except (AppError, ValueError) as exc:
                log.debug("no credentials for %s: %s", environment.key, type(exc).__name__)
        return environment.client_id

    def _recent_rate_limited_run(self) -> SyncRun | None:
        if self._database_error is not None:
            return None
        path = self.database_path
        if self.database is None and not (path.exists() and path.stat().st_size > 0):
            return None
        cutoff = datetime.fromtimestamp(self.clock(), UTC) - RECENT_RATE_LIMIT
        runs = SyncStateRepository(database=self._open_database()).runs(limit=50)
        return next((r for r in runs if r.started_at >= cutoff and r.metrics.rate_limited),
                    None)

    def check_last_sync(self) -> list[CheckResult]:
        connected = [a for a in self.registry.all() if a.state is AccountState.CONNECTED]
        if not connected:
            return [CheckResult(CheckId.LAST_SYNC, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "No connected account to sync.")))]
        if self._database_error is not None:
            return [CheckResult(CheckId.LAST_SYNC, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "Unknown: the order database cannot be read (see its check).")))]
        path = self.database_path
        if self.database is None and not (path.exists() and path.stat().st_size > 0):
            return [CheckResult(CheckId.LAST_SYNC, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "Never synced: there is no order database yet.")), subject=a.login)
                    for a in connected]
        state = SyncStateRepository(database=self._open_database())
        now = datetime.fromtimestamp(self.clock(), UTC)
        results = []
        for account in connected:
            sync = state.get_sync_state(account.key)
            last = sync.last_success_at
            error = Text(QT_TRANSLATE_NOOP("Errors", " The last attempt failed: %1"),
                         _first_line(sync.last_error)) if sync.last_error else ""
            if last is None:
                results.append(CheckResult(CheckId.LAST_SYNC, Status.WARNING, Text(
                    QT_TRANSLATE_NOOP("Errors", "Never synced yet.%1"), error),
                    subject=account.login))
            elif now - last > SYNC_STALE_AFTER:
                results.append(CheckResult(CheckId.LAST_SYNC, Status.WARNING, Text(
                    QT_TRANSLATE_NOOP("Errors", "Last successful sync %1, more than a day "
                                      "ago: new orders may be missing.%2"),
                    _when(last.timestamp()), error), subject=account.login))
            else:
                results.append(CheckResult(CheckId.LAST_SYNC, Status.OK, Text(
                    QT_TRANSLATE_NOOP("Errors", "Last successful sync %1."),
                    _when(last.timestamp())), subject=account.login))
        return results


    def check_kept_aside(self) -> list[CheckResult]:
        if self._database_error is not None:
            return [CheckResult(CheckId.KEPT_ASIDE, Status.WARNING, Text(QT_TRANSLATE_NOOP(
                "Errors", "Unknown: the order database cannot be read (see its check).")))]
        path = self.database_path
        if self.database is None and not (path.exists() and path.stat().st_size > 0):
            kept = []
        else:
            kept = OrderRepository(database=self._open_database()).kept_aside(latest=1)
        if not kept:
            return [CheckResult(CheckId.KEPT_ASIDE, Status.OK, Text(QT_TRANSLATE_NOOP(
                "Errors", "None: every order and event Allegro sent could be stored.")))]
        names: dict[str, str] = {}
        with contextlib.suppress(AppError):  # the token check reports a damaged registry
            names = {account.key: account.login for account in self.registry.all()}
        return [_kept_aside_result(account, names.get(account.account_key,
                                                      account.account_key))
                for account in kept]


def _kept_aside_result(kept: KeptAside, subject: str) -> CheckResult:
    """One account's records kept aside as a check's line (ARCHITECTURE.md "Diagnostics and
    the log")."""
    if not kept.latest:  # only forms Allegro failed to send, asked for again at every sync
        return CheckResult(CheckId.KEPT_ASIDE, Status.OK, Text(QT_TRANSLATE_NOOP(
            "Errors", "Nothing kept aside. Orders Allegro failed to send, asked for again at "
            "every sync: %1."), kept.pending), subject=subject)
    latest = kept.latest[0]
    return CheckResult(CheckId.KEPT_ASIDE, Status.WARNING, Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro sent orders or events the app cannot store exactly; they are kept "
        "aside (with what Allegro sent) and do not stop the sync of the others. Kept aside: "
        "%1; orders asked for again at every sync: %2. The latest, %3: %4"),
        kept.records, kept.pending, _when(latest.recorded_at.timestamp()),
        _reason(latest)), subject=subject)


def _reason(record: KeptRecord) -> Text | str:
    """Why `record` was kept aside, as the window shows it (translated), one line; a row an
    earlier version wrote is its English line, as it is."""
    return record.text if isinstance(record.text, Text) else _first_line(record.text, 300)


def _guarded(check: CheckId, step: Callable[[], list[CheckResult]]) -> list[CheckResult]:
    """Run one check, timed; an expected failure (`AppError`) is its FAILED result with the
    error's message; a bug is logged and reported as FAILED too, so the other checks still
    run and the seller sees which one broke."""
    began = time.perf_counter()
    try:
        results = step()
    except AppError as exc:
        log.warning("health check %s failed: %s", check, exc)
        results = [CheckResult(check, Status.FAILED, exc.user_text)]
    except Exception as exc:
        log.exception("health check %s crashed", check)
        results = [CheckResult(check, Status.FAILED, Text(QT_TRANSLATE_NOOP(
            "Errors", "The check itself failed (%1). Please report this, with the "
            "diagnostics report."), type(exc).__name__))]
    seconds = time.perf_counter() - began
    return [r if r.seconds else CheckResult(r.check, r.status, r.detail,
                                            seconds / max(len(results), 1), r.subject)
            for r in results]


def _guarded_one(check: CheckId, step: Callable[[], CheckResult],
                 subject: Text | str) -> CheckResult:
    """One per-account (or per-environment) part of a check, failing alone."""
    result = _guarded(check, lambda: [step()])[0]
    return result if result.subject else CheckResult(result.check, result.status,
                                                     result.detail, result.seconds, subject)


def _quick_check(path: Path) -> list[str]:
    """`PRAGMA quick_check` over a read-only connection: it never writes to the file."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                                     timeout=2.0)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return [str(row[0]) for row in connection.execute("PRAGMA quick_check(10)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        connection.close()


def _when(epoch: float) -> Moment:
    """A moment in the seller's time zone, to the minute (what a seller compares with their
    clock); the window shows it in their locale."""
    return Moment(epoch)


def _size(size: float) -> ByteSize:
    return ByteSize(int(size))


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


# -- the report ---------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    """The versions support asks for first (without importing Qt: the window adds Qt's)."""
    found = {"Allegro Desktop": __version__,
             "Python": f"{platform.python_version()} ({platform.python_implementation()})",
             "OS": platform.platform(),
             "SQLite": sqlite3.sqlite_version}
    for package in ("PySide6", "PySide6-Essentials", "httpx", "keyring", "SQLAlchemy"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    if getattr(sys, "frozen", False):
        found["Bundle"] = "PyInstaller"
    return found


def known_secrets(*, store: TokenStore, accounts: Iterable[Account],
                  environments: Iterable[Environment] = (),
                  webhook_url: str | None = None) -> list[str]:
    """The secret values this profile holds (every account's tokens, the client secrets, the
    webhook's secret and its address — a Slack or Discord address is a credential), to be
    removed from a report whatever their shape. Unreadable ones are skipped: a report must
    still be possible with a broken keyring."""
    found: list[str] = []
    if webhook_url:
        # Also its path and each longer part of it, as typed and lower-cased: httpx logs the
        # address normalised, and the token is in the path (Slack, Discord).
        path = urlsplit(webhook_url).path
        parts = [webhook_url, path] + [part for part in path.split("/") if len(part) >= 8]
        found += [text for part in parts for text in {part, part.lower()} if len(part) > 1]
    try:
        webhook_secret = store.load_webhook_secret()
    except AppError:
        webhook_secret = None
    if webhook_secret:
        found.append(webhook_secret)
    for account in accounts:
        try:
            pair = store.load(account.key)
        except AppError:
            break  # the keyring is not usable: nothing more to read from it
        if pair is not None:
            found += [pair.access_token, pair.refresh_token]
    found += [e.client_secret for e in environments if e.client_secret]
    return found


def diagnostics_report(*, versions: Mapping[str, str], paths: Mapping[str, str],
                       results: Sequence[CheckResult], runs: Sequence[SyncRun],
                       account_names: Mapping[str, str], log_lines: Sequence[str],
                       known: Iterable[str] = (), generated_at: datetime | None = None,
                       render: Callable[[Text | str], str] = str,
                       kept_aside: Sequence[KeptAside] = ()) -> str:
    """The report a seller sends to support, as plain text: `versions`, `paths`, the check
    `results`, the sync `runs` with their metrics, the records `kept_aside` (when, which
    form, why in English — not their JSON, which holds buyers' data) and the `log_lines` —
    with every secret removed (by shape, and the exact `known` secret values) and buyers'
    e-mails and phone numbers masked. `render` turns a check's detail into text (the window's
    translation; default English)."""
    moment = (generated_at or datetime.now(UTC)).astimezone()
    lines = [f"Allegro Desktop diagnostics report — {moment:%Y-%m-%d %H:%M:%S %Z}".rstrip(), ""]
    lines.append("== Versions")
    lines += [f"{name}: {value}" for name, value in versions.items()]
    lines += ["", "== Paths"]
    lines += [f"{name}: {value}" for name, value in paths.items()]
    lines += ["", "== Health checks"]
    marks = {Status.OK: "OK  ", Status.WARNING: "WARN", Status.FAILED: "FAIL"}
    for result in results:
        detail = " ".join(render(result.detail).split())
        lines.append(f"[{marks[result.status]}] {result.name}: {detail} "
                     f"({result.seconds:.2f} s)")
    lines += ["", f"== The last {len(runs)} sync runs (newest first)"]
    lines.append("started | account | kind | outcome | duration s | new | updated | "
                 "unchanged | events | requests | retries | 429s | error")
    for run in runs:
        metrics = run.metrics
        duration = "" if run.duration_ms is None else f"{run.duration_ms / 1000:.1f}"
        lines.append(" | ".join(str(value) for value in (
            run.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            account_names.get(run.account_key, run.account_key), run.kind, run.outcome,
            duration, metrics.new, metrics.updated, metrics.unchanged, metrics.events,
            metrics.requests, metrics.retries, metrics.rate_limited,
            _first_line(run.error or ""))))
    lines += ["", "== Records kept aside (Allegro sent them; the app cannot store them exactly)"]
    for kept in kept_aside:
        lines.append(f"{account_names.get(kept.account_key, kept.account_key)}: "
                     f"{kept.records} kept aside, {kept.pending} forms asked for again")
        lines += [f"  {record.recorded_at.astimezone():%Y-%m-%d %H:%M:%S} {record.kind} "
                  f"{record.form_id or '-'}: {_first_line(record.error, 300)}"
                  for record in kept.latest]
    if not kept_aside:
        lines.append("none")
    lines += ["", f"== The log's last {len(log_lines)} lines"]
    lines += [line.rstrip("\n") for line in log_lines]
    return mask_personal_data(redact("\n".join(lines) + "\n", known))
