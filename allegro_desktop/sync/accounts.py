"""`sync_all_accounts`: every connected account synced once, one after another — what the
headless `allegro-desktop sync` does (the GUI's worker runs engines itself).

The connection is described by a Protocol instead of importing `config.connection`: `sync` sits
below `config` in the layers (ARCHITECTURE.md "Layers"), and needs only these four things of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from allegro_desktop.api.client import DEFAULT_RETRY, AllegroClient, make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.api.tokens import AccessTokenSource
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import Database, OrderRepository, RunOutcome, SyncStateRepository
from allegro_desktop.sync.engine import SyncEngine
from allegro_desktop.sync.report import RequestCounter, SyncProgress, SyncReport
from allegro_desktop.sync.settings import Clock, SyncSettings, utc_now

__all__ = ["AccountSource", "sync_all_accounts"]

log = logging.getLogger("allegro_desktop.sync")


class _Registry(Protocol):
    def all(self) -> list[Account]: ...


class AccountSource(Protocol):
    """What `config.connection.Connection` offers the sync."""

    @property
    def registry(self) -> _Registry: ...

    @property
    def governor(self) -> RequestGovernor: ...

    def environment(self, key: str | None = None) -> Environment: ...

    def token_provider(self, account: Account) -> AccessTokenSource: ...


async def sync_all_accounts(connection: AccountSource, database: Database, *,
                            settings: SyncSettings | None = None, clock: Clock = utc_now,
                            retry: RetryPolicy | None = None,
                            progress: Callable[[SyncProgress], None] | None = None,
                            cancel: asyncio.Event | None = None) -> list[SyncReport]:
    """Sync every CONNECTED account once, in turn, each with its own `AllegroClient` over a
    fresh `make_http_client()`. An account that cannot even start (e.g. missing client
    credentials) gets a FAILED report; the others still sync. `cancel` set: the running sync
    stops at its next page boundary (CANCELLED) and no further account starts."""
    orders = OrderRepository(database=database)
    state = SyncStateRepository(database=database)
    reports: list[SyncReport] = []
    for account in connection.registry.all():
        if cancel is not None and cancel.is_set():
            break
        if account.state is not AccountState.CONNECTED:
            log.info("skipping %s: it must be connected again", account.key)
            continue
        try:
            environment = connection.environment(account.environment)
            tokens = connection.token_provider(account)
        except AppError as exc:
            reports.append(SyncReport(account.key, None, RunOutcome.FAILED,
                                      datetime.now(UTC), error=exc.detailed_message,
                                      cause=exc))
            continue
        counter = RequestCounter()
        async with make_http_client() as http:
            counter.install(http)
            client = AllegroClient(environment, http=http, tokens=tokens,
                                   governor=connection.governor, retry=retry or DEFAULT_RETRY)
            engine = SyncEngine(account_key=account.key, client=client,
                                orders=orders, state=state, settings=settings, clock=clock,
                                counter=counter)
            reports.append(await engine.run(progress, cancel))
    return reports
