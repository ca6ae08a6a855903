"""One account's sync as both front ends run it (`AccountSync`), and every connected account
synced once (`sync_all_accounts`, what the headless `allegro-desktop sync` does).

`AccountSync.run` is the one way a sync runs, for the window's sync thread (`worker.py`) and
the command alike: under the profile's sync lease, an `AllegroClient` over a fresh httpx client
with the account's token provider, the engine's run (which records itself in the run history),
and what a failure means for the seller (`SyncResult`, `SyncProblem`).

The connection is described by a Protocol instead of importing `config.app_services`: `sync` sits
below `config` in the layers (ARCHITECTURE.md "Layers"), and needs only these four things of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from allegro_desktop.api.client import DEFAULT_RETRY, AllegroClient, make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    ForbiddenError,
    InvalidTokenError,
    NetworkError,
    RateLimitedError,
    ReconnectNeededError,
    ServerError,
)
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.api.tokens import AccessTokenSource
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.storage import (
    Database,
    OrderRepository,
    RunKind,
    RunOutcome,
    StorageError,
    SyncStateRepository,
)
from allegro_desktop.sync.engine import SyncEngine
from allegro_desktop.sync.lease import SyncLease
from allegro_desktop.sync.report import RequestCounter, SyncProgress, SyncReport
from allegro_desktop.sync.settings import Clock, SyncSettings, utc_now

__all__ = [
    "AccountSource",
    "AccountSync",
    "SyncProblem",
    "SyncResult",
    "problem_of",
    "sync_all_accounts",
]

log = logging.getLogger("allegro_desktop.sync")


class _Registry(Protocol):
    def all(self) -> list[Account]: ...


class AccountSource(Protocol):
    """What `config.app_services.AppServices` offers the sync."""

    @property
    def registry(self) -> _Registry: ...

    @property
    def governor(self) -> RequestGovernor: ...

    def environment(self, key: str | None = None) -> Environment: ...

    def token_provider(self, account: Account) -> AccessTokenSource: ...

    @property
    def accept_language(self) -> str | None: ...


class SyncProblem(enum.StrEnum):
    """Why a sync failed, as far as the window cares: each is a calm state, not a pop-up."""

    OFFLINE = "offline"  # Allegro could not be reached
    RATE_LIMITED = "rate_limited"  # 429: wait until `SyncResult.retry_at`
    RECONNECT_NEEDED = "reconnect_needed"  # the seller must connect the account again
    UNAVAILABLE = "unavailable"  # Allegro answered 5xx after the retries
    ERROR = "error"  # anything else: `SyncResult.message` says what
    BUSY = "busy"  # another process is syncing the profile: not run, tried again later
    DAMAGED = "damaged"  # the order database is known to be damaged: nothing is written


@dataclass(frozen=True, slots=True)
class SyncResult:
    """A finished run: the engine's report and, when it failed, what kind of failure.

    `message` is the seller-facing text of the failure; `retry_at` (rate limits) is the
    earliest moment Allegro accepts requests again."""

    report: SyncReport
    problem: SyncProblem | None = None
    message: str | Text | None = None
    retry_at: datetime | None = None

    @property
    def account_key(self) -> str:
        return self.report.account_key


def problem_of(error: BaseException | None) -> SyncProblem:
    """The window's state for an error that ended a sync."""
    if isinstance(error, NetworkError):
        return SyncProblem.OFFLINE
    if isinstance(error, RateLimitedError):
        return SyncProblem.RATE_LIMITED
    if isinstance(error, ReconnectNeededError | InvalidTokenError | ForbiddenError):
        return SyncProblem.RECONNECT_NEEDED
    if isinstance(error, ServerError):
        return SyncProblem.UNAVAILABLE
    return SyncProblem.ERROR


class AccountSync:
    """Runs one account's sync (see the module doc); one run at a time.

    `source` gives the environments, token providers and the request governor; `settings`,
    `clock` and `retry` go to every engine and client (tests speed them up); `settings` may be
    replaced between runs. `lease` is the profile's sync lease: taken for each run unless it
    is held already (the command holds it for its whole round); None: the caller sees to it.
    """

    def __init__(self, source: AccountSource, database: Database, *,
                 settings: SyncSettings | None = None, clock: Clock = utc_now,
                 retry: RetryPolicy | None = None, lease: SyncLease | None = None) -> None:
        self.settings = settings
        self._source = source
        self._orders = OrderRepository(database=database)
        self._state = SyncStateRepository(database=database)
        self._clock = clock
        self._retry = retry or DEFAULT_RETRY
        self._lease = lease

    async def run(self, account: Account, *,
                  progress: Callable[[SyncProgress], None] | None = None,
                  cancel: asyncio.Event | None = None,
                  started: Callable[[], None] | None = None) -> SyncResult:
        """Sync `account` once; `started()` is called once the run holds the lease, before it
        begins. Every failure of the sync itself — one that keeps it from even starting (no
        client credentials for the account's environment) included — is a `SyncResult` with
        a FAILED report whose `cause` is the error.

        Raises `ProfileBusyError` when another process holds the lease (nothing ran; try
        again later), `LeaseError` when its lock file cannot be used, the database's
        `StorageError` when it cannot record the run; a bug is recorded as a failed run and
        raised; a cancelled task is recorded CANCELLED and re-raised (`cancelled_result`)."""
        with self.holding_lease():
            if started is not None:
                started()
            return await self._run(account, progress, cancel)

    @contextlib.contextmanager
    def holding_lease(self) -> Iterator[None]:
        """The profile's sync lease for the block (nothing when it is held already, or there
        is none): for a run and what must follow it before another process may sync (the
        retention policy). Raises `ProfileBusyError` or `LeaseError` as `run` does."""
        lease = self._lease
        if lease is None or lease.held:
            yield
            return
        lease.acquire()
        try:
            yield
        finally:
            lease.release()

    async def _run(self, account: Account, progress: Callable[[SyncProgress], None] | None,
                   cancel: asyncio.Event | None) -> SyncResult:
        key = account.key
        try:
            environment = self._source.environment(account.environment)
            tokens = self._source.token_provider(account)
        except AppError as exc:  # e.g. no client credentials for the account's environment
            log.warning("the sync of %s cannot start: %s", key, exc.detailed_message)
            report = SyncReport(key, None, RunOutcome.FAILED, datetime.now(UTC),
                                error=exc.detailed_message, cause=exc)
            return SyncResult(report, problem_of(exc), exc.user_text)
        counter = RequestCounter()
        async with make_http_client() as http:
            counter.install(http)
            client = AllegroClient(environment, http=http, tokens=tokens,
                                   governor=self._source.governor, retry=self._retry,
                                   accept_language=self._source.accept_language)
            engine = SyncEngine(account_key=key, client=client, orders=self._orders,
                                state=self._state, settings=self.settings, clock=self._clock,
                                counter=counter)
            report = await engine.run(progress, cancel)
        return self._result(report, client.client_id)

    def _result(self, report: SyncReport, client_id: str) -> SyncResult:
        """The engine's report with what its failure means for the seller."""
        if report.outcome != RunOutcome.FAILED:
            return SyncResult(report)
        cause = report.cause
        problem = problem_of(cause)
        retry_at = None
        if problem is SyncProblem.RATE_LIMITED:
            paused = self._source.governor.paused_until(client_id)
            if isinstance(cause, RateLimitedError):
                paused = max(paused or 0.0, cause.retry_at)
            retry_at = datetime.fromtimestamp(paused, UTC) if paused else None
        message = cause.user_text if cause is not None else report.error
        return SyncResult(report, problem, message, retry_at)

    def cancelled_result(self, account_key: str, started_at: datetime,
                         since: datetime | None) -> SyncResult:
        """The result of a run whose task was cancelled outright (the engine recorded it as
        CANCELLED): its report rebuilt from the run history — the account's latest run, if
        it began at or after `since` (by the database's clock)."""
        report = SyncReport(account_key, None, RunOutcome.CANCELLED, started_at)
        try:
            runs = self._state.runs(account_key, limit=1)
        except StorageError:
            runs = []
        if runs and since is not None and runs[0].started_at >= since:
            run = runs[0]
            report.kind = run.kind if isinstance(run.kind, RunKind) else None
            report.duration = (run.duration_ms or 0) / 1000
            report.new, report.updated = run.metrics.new, run.metrics.updated
            report.unchanged, report.events = run.metrics.unchanged, run.metrics.events
            report.requests, report.retries = run.metrics.requests, run.metrics.retries
        return SyncResult(report)


async def sync_all_accounts(services: AccountSource, database: Database, *,
                            settings: SyncSettings | None = None, clock: Clock = utc_now,
                            retry: RetryPolicy | None = None,
                            progress: Callable[[SyncProgress], None] | None = None,
                            cancel: asyncio.Event | None = None,
                            lease: SyncLease | None = None) -> list[SyncResult]:
    """Sync every CONNECTED account once, in turn (`AccountSync.run`). An account that cannot
    even start (e.g. missing client credentials) gets a FAILED result; the others still sync.
    `cancel` set: the running sync stops at its next page boundary (CANCELLED) and no further
    account starts. `lease`: see `AccountSync`. Raises what `AccountSync.run` raises: a
    database that cannot record a run stops the round (the other accounts would need it too).
    """
    runner = AccountSync(services, database, settings=settings, clock=clock, retry=retry,
                         lease=lease)
    results: list[SyncResult] = []
    for account in services.registry.all():
        if cancel is not None and cancel.is_set():
            break
        if account.state is not AccountState.CONNECTED:
            log.info("skipping %s: it must be connected again", account.key)
            continue
        results.append(await runner.run(account, progress=progress, cancel=cancel))
    return results
