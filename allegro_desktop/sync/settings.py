"""`SyncSettings`: how the engine syncs (the defaults are what the app uses), and the `Clock` it
reads the time from (tests pin it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from allegro_desktop.sync.windows import MAX_RESULT_WINDOW, PAGE_SIZE

__all__ = ["Clock", "SyncSettings", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """How the engine syncs. The defaults are what the app uses."""

    history_days: int = 365  # Allegro guarantees 12 months (ALLEGRO-API.md §9.6)
    #: Also list the orders Allegro still answers from before `history_days`: one request
    #: asks for the oldest one (at most `max_history_days` back), and the back-fill lists
    #: down to it. The app's default ("everything Allegro still has", `config/settings.py`);
    #: off here, where tests pin the engine's requests to the depth they give.
    older_history: bool = False
    #: How far back `older_history` may reach: ten years, the longest depth the settings
    #: offer, a bound on what a lying answer can make the back-fill list.
    max_history_days: int = 3653
    window_days: int = 30  # the back-fill's first windows; big ones are split
    window_target: int = 2500  # split a window holding more orders than this
    window_concurrency: int = 4
    form_concurrency: int = 8
    #: Unpaid orders are cancelled after 7 days, and only unpaid ones can be merged: a
    #: re-scan of 8 days of purchases sees every merge (whose old forms no event names).
    rescan_days: int = 8
    rescan_interval: timedelta = timedelta(hours=1)
    cursor_max_age: timedelta = timedelta(days=55)  # the journal keeps 60 days
    #: A new order is announced (notification, webhook) when bought this recently and stored
    #: by a run other than the first back-fill: history found later is not "new".
    announce_within: timedelta = timedelta(days=3)
    #: The most API calls one run may make (retries not counted): far more than a first
    #: back-fill of a big shop needs (a million orders is 10 000 list pages), a bound on what
    #: lying answers can make it send. A run that reaches it stops calmly, its progress saved.
    max_requests: int = 20_000

    def __post_init__(self) -> None:
        if min(self.history_days, self.window_days, self.window_concurrency,
               self.form_concurrency, self.max_requests, self.max_history_days) < 1:
            raise ValueError("history_days, window_days, concurrencies, max_requests and "
                             "max_history_days must be >= 1")
        if not PAGE_SIZE <= self.window_target <= MAX_RESULT_WINDOW:
            raise ValueError(f"window_target must be between {PAGE_SIZE} and "
                             f"{MAX_RESULT_WINDOW}")
