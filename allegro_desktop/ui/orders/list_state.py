"""`ListState`: what the Orders tab's list asks for and where its query is, without widgets.

It holds the quick filter, the search text, the account and the sort the seller chose, and the
query state machine (like Anki's browser/table/state.py): a change starts a new query that
replaces the list (REPLACE) and abandons the previous one; a refresh after a sync runs the same
query again and puts its result in place of the old (UPDATE), merging refreshes that arrive
while one runs into one more; the quick filters' counts run only when the rest of the filter
changed. The workspace feeds it the loader's answers and does what it answers back.

`DatePreset` and `date_range` turn the purchase-date choice into times, on the local day it is
when the query runs (`services/local_time.py`, as the Statistics tab's periods).
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.services.local_time import LocalTime, last_days, ordered_days, whole_month
from allegro_desktop.storage.order_query import OrderRow

__all__ = ["DatePreset", "Finished", "ListState", "LoadMode", "date_range"]


class DatePreset(enum.StrEnum):
    """The purchase-date choices; every preset but CUSTOM is computed when a query runs."""

    ALL = "all"
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"


def date_range(preset: DatePreset, local: LocalTime, date_from: date | None = None,
               date_to: date | None = None) -> tuple[datetime | None, datetime | None]:
    """[from, to) of a preset on the local day it is now, as aware UTC datetimes; CUSTOM takes
    the two days (both included, either may be None for "open")."""
    today = local.today()
    presets = {
        DatePreset.TODAY: (today, today),
        DatePreset.YESTERDAY: (today - timedelta(days=1), today - timedelta(days=1)),
        DatePreset.LAST_7_DAYS: last_days(today, 7),
        DatePreset.THIS_MONTH: whole_month(today),
        DatePreset.LAST_MONTH: whole_month(today, months_back=1),
    }
    if preset in presets:
        start, end = local.bounds(presets[preset])
        return start.astimezone(UTC), end.astimezone(UTC)
    if preset is not DatePreset.CUSTOM:
        return None, None
    if date_from is not None and date_to is not None:
        date_from, date_to = ordered_days(date_from, date_to)
    return (None if date_from is None else local.midnight(date_from).astimezone(UTC),
            None if date_to is None
            else local.midnight(date_to + timedelta(days=1)).astimezone(UTC))


class LoadMode(enum.Enum):
    REPLACE = enum.auto()  # a new query: the table resets at its first piece
    UPDATE = enum.auto()  # the same query again: the result replaces the old in place


@dataclass(frozen=True)
class Finished:
    """What to do once the list of the query on screen is complete.

    `update`: the whole result (ids and the first rows read with it) to put in place of the
    old one (an UPDATE), None for a REPLACE (its pieces went to the table as they came);
    `select`: the orders to select and show now (`show_orders`); `refresh_again`: run an
    UPDATE once more (refreshes arrived meanwhile)."""

    update: tuple[array[int], dict[int, OrderRow]] | None
    select: list[int] | None
    refresh_again: bool


@dataclass
class ListState:
    """The seller's choices of the list and the state of its query (see the module's
    docstring). The setters return whether the list must be read again."""

    quick: QuickFilter = QuickFilter.ALL
    #: Only orders with actions waiting or failed (the "Actions waiting / failed" button).
    actions: bool = False
    search: str = ""
    account: str | None = None
    sort: OrderSort = field(default_factory=OrderSort)
    #: The quick filters' counts, and the filter (its quick filter ALL) they were counted for.
    counts: dict[QuickFilter, int] | None = None
    counts_filter: OrderFilter | None = None
    mode: LoadMode = LoadMode.REPLACE
    generation: int = 0
    loading: bool = False
    counts_pending: bool = False
    #: How many orders the query on screen selects, once known.
    result_total: int | None = None
    error: str | None = None
    #: True while a whole view is being put on screen: its parts run no query of their own.
    applying: bool = False
    stopped: bool = False
    refresh_again: bool = False
    #: Orders to select once the list is read (`show_orders`).
    select_when_listed: list[int] | None = None
    _pending: array[int] = field(default_factory=lambda: array("q"))  # an UPDATE's pieces
    _first_rows: dict[int, OrderRow] = field(default_factory=dict)

    # -- the seller's choices -------------------------------------------------------------

    def set_quick(self, quick: QuickFilter) -> bool:
        changed = quick is not self.quick
        self.quick = quick
        return changed

    def set_actions(self, on: bool) -> bool:
        changed = on != self.actions
        self.actions = on
        return changed

    def action_states(self) -> frozenset[str]:
        """`OrderFilter.actions` of the choice."""
        return frozenset({"waiting", "failed"}) if self.actions else frozenset()

    def set_search(self, text: str) -> bool:
        text = text.strip()
        changed = text != self.search
        self.search = text
        return changed

    def set_account(self, key: str | None) -> bool:
        changed = key != self.account
        self.account = key
        return changed

    def set_sort(self, sort: OrderSort) -> bool:
        changed = sort != self.sort
        self.sort = sort
        return changed

    def accounts(self) -> frozenset[str]:
        """The accounts of the filter (none: every account)."""
        return frozenset({self.account}) if self.account else frozenset()

    # -- the query state machine -----------------------------------------------------------

    def wants_reload(self) -> bool:
        """A choice changed: whether a new query runs now (not while a view is being
        applied; the refreshes asked for meanwhile are moot, the new query reads it all)."""
        if self.applying:
            return False
        self.refresh_again = False
        return True

    def wants_refresh(self) -> bool:
        """A refresh was asked for: whether an UPDATE runs now (else one more runs when the
        query under way ends, or none when stopped)."""
        if self.stopped:
            return False
        if self.loading:  # one more when this query is done (never one per page a sync
            self.refresh_again = True  # stores: each would abandon the one before)
            return False
        return True

    def begin(self, mode: LoadMode, order_filter: OrderFilter, *,
              counts: bool | None) -> bool:
        """A query for `order_filter` starts; returns whether its counts run too (None:
        when the filter but its quick filter differs from the one last counted)."""
        without_quick = order_filter.with_quick(QuickFilter.ALL)
        if counts is None:
            counts = without_quick != self.counts_filter
        self.mode = mode
        self._pending = array("q")
        self._first_rows = {}
        self.loading = True
        self.error = None
        if mode is LoadMode.REPLACE:
            self.result_total = None
        if counts:
            self.counts_filter = without_quick
            self.counts_pending = True
        return counts

    def started(self, generation: int) -> None:
        """The loader took the query under this generation; older answers are dropped."""
        self.generation = generation

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def first_rows_ready(self, generation: int, rows: dict[int, OrderRow]) -> None:
        if self.is_current(generation):
            self._first_rows = dict(rows)

    def first_piece(self, generation: int,
                    piece: Sequence[int]) -> tuple[Sequence[int], dict[int, OrderRow]] | None:
        """The first ids of the result: for a REPLACE, what the table now shows (the ids and
        the rows read with them); None when there is nothing to show yet."""
        if not self.is_current(generation):
            return None
        if self.mode is LoadMode.UPDATE:
            self._pending = array("q", piece)
            return None
        rows, self._first_rows = self._first_rows, {}
        return piece, rows

    def next_piece(self, generation: int, piece: Sequence[int]) -> bool:
        """More ids: whether the table appends them now (a REPLACE)."""
        if not self.is_current(generation):
            return False
        if self.mode is LoadMode.UPDATE:
            self._pending.extend(piece)
            return False
        return True

    def finish(self, generation: int, total: int) -> Finished | None:
        """The list is complete (None: an abandoned query's end, nothing to do)."""
        if not self.is_current(generation):
            return None
        update = None
        if self.mode is LoadMode.UPDATE:
            update = (self._pending, self._first_rows)
            self._pending = array("q")
            self._first_rows = {}
        self.loading = False
        self.result_total = total
        select, self.select_when_listed = self.select_when_listed, None
        again, self.refresh_again = self.refresh_again, False
        return Finished(update=update, select=select, refresh_again=again)

    def counts_ready(self, counts: dict[QuickFilter, int]) -> None:
        self.counts = dict(counts)
        self.counts_pending = False

    def failed(self, generation: int, message: str) -> bool:
        """The query failed: whether it is the one on screen (the message is shown)."""
        if not self.is_current(generation):
            return False
        self.loading = False
        self.counts_pending = False
        self.error = message
        self.refresh_again = False
        return True

    def is_loading(self) -> bool:
        """Whether results of the query on screen (the list or its counts) are still to
        come."""
        return self.loading or self.counts_pending

    def shown_total(self, order_filter: OrderFilter) -> int | None:
        """How many orders `order_filter` (the one on screen) selects, as far as known: the
        result's total, or else its quick filter's count if the counts are of this filter."""
        if self.result_total is not None:
            return self.result_total
        if self.counts is not None \
                and self.counts_filter == order_filter.with_quick(QuickFilter.ALL):
            return self.counts.get(self.quick)
        return None
