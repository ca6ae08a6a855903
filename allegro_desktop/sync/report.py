"""What a run of the engine reports: `SyncPhase` (where it is), `SyncProgress` (after every page),
`SyncReport` (its outcome and counts), and `RequestCounter` (the HTTP requests really sent)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import BatchResult, RunKind, RunOutcome

__all__ = ["RequestCounter", "SyncPhase", "SyncProgress", "SyncReport"]


class SyncPhase(enum.StrEnum):
    """The phases of a run, as they appear in progress and in `SyncReport.phases`."""

    BOOTSTRAP = "bootstrap"  # the starting cursor (event-stats), or a back-fill resumed
    BACKFILL = "backfill"  # the first listing of the history depth
    RECOVERY = "recovery"  # the full re-scan after an expired or refused cursor
    INCREMENTAL = "incremental"  # the event journal from the cursor
    RESCAN = "rescan"  # the periodic re-scan of recent orders


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a run stands, handed to the `progress` callback after every page (`new` and
    `updated`: what is stored so far; listed pages may wait to be stored a few together)."""

    account_key: str
    phase: SyncPhase
    pages: int
    forms: int  # forms received so far in this run
    expected: int | None  # forms the run knows it will receive (grows as windows are counted)
    events: int
    new: int
    updated: int

    @property
    def fraction(self) -> float | None:
        """Done share between 0 and 1, when the run knows its total."""
        if not self.expected:
            return None
        return min(self.forms / self.expected, 1.0)


@dataclass(slots=True)
class SyncReport:
    """The outcome of one run; `to_json()` gives plain JSON types. `kind` is None when no
    run started (the account could not even begin one)."""

    account_key: str
    kind: RunKind | None
    outcome: RunOutcome
    started_at: datetime
    duration: float = 0.0  # seconds
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0  # checkout forms newly recorded as gone (404)
    events: int = 0  # events read from the journal
    events_stored: int = 0  # of them, new to the local journal
    malformed: int = 0  # forms or events the app could not read, kept aside
    pending: int = 0  # forms still waiting to be fetched again when the run ended
    requests: int = 0  # HTTP requests sent (API calls when no RequestCounter was given)
    retries: int | None = None  # requests repeated by the client; None when not counted
    rate_limited: int | None = None  # answers 429; None when not counted
    phases: dict[SyncPhase, float] = field(default_factory=dict)  # seconds per phase
    new_order_ids: list[str] = field(default_factory=list)  # the new orders, as stored
    #: Of them, the ones announced as new (`SyncSettings.announce_within`; never a first
    #: back-fill's): what notifications and the webhook tell the seller about.
    announced_order_ids: list[str] = field(default_factory=list)
    cursor: str | None = None
    error: str | None = None
    #: The expected failure that ended the run (offline, rate limited, …), for callers that
    #: show a state per kind of failure; not part of `to_json()`.
    cause: AppError | None = field(default=None, repr=False, compare=False)

    @property
    def succeeded(self) -> bool:
        return self.outcome == RunOutcome.SUCCEEDED

    def to_json(self) -> dict[str, Any]:
        return {
            "account_key": self.account_key, "kind": self.kind.value if self.kind else "",
            "outcome": self.outcome.value,
            "started_at": self.started_at.isoformat(), "duration": round(self.duration, 3),
            "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "gone": self.gone, "events": self.events, "events_stored": self.events_stored,
            "malformed": self.malformed, "pending": self.pending,
            "requests": self.requests, "retries": self.retries,
            "rate_limited": self.rate_limited,
            "phases": {phase.value: round(seconds, 3)
                       for phase, seconds in self.phases.items()},
            "cursor": self.cursor, "error": self.error,
        }

    def add(self, result: BatchResult) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.gone += result.gone_added
        self.events_stored += result.events_added
        self.malformed += result.set_aside  # records the storage kept aside
        self.new_order_ids.extend(result.new_ids)
        self.announced_order_ids.extend(result.announced_ids)


class RequestCounter:
    """Counts the HTTP requests an `httpx.AsyncClient` really sends (retries included) and the
    429 answers among them, through its event hooks. Give the same counter to the engine to
    get `requests`, `retries` and `rate_limited`."""

    def __init__(self) -> None:
        self.sent = 0
        self.rate_limited = 0

    def install(self, http: httpx.AsyncClient) -> None:
        hooks = http.event_hooks
        hooks.setdefault("request", []).append(self._on_request)
        hooks.setdefault("response", []).append(self._on_response)
        http.event_hooks = hooks

    async def _on_request(self, _request: httpx.Request) -> None:
        self.sent += 1

    async def _on_response(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            self.rate_limited += 1
