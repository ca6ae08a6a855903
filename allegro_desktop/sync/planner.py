"""The incremental step: the event journal read page by page from the cursor (`read_journal`),
the forms each page says changed (which ones need fetching), the cheapest way to fetch them
(`plan`: list their `boughtAt` spans or GET them one by one), and the cursor each page lets
the sync take (`read_events`). ARCHITECTURE.md "The sync engine", 2."""

from __future__ import annotations

import asyncio
import bisect
import json
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from allegro_desktop.api.errors import MalformedResponseError, ValidationError
from allegro_desktop.api.parsing import MalformedOrderError, parse_event, parse_time
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Moment, Text
from allegro_desktop.domain.orders import EventType, OrderEvent
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason
from allegro_desktop.storage import SyncState, UnreadableRecord
from allegro_desktop.sync.errors import JournalStuckError
from allegro_desktop.sync.event_ids import plausible_event_id
from allegro_desktop.sync.fetch import fetch_forms, list_windows
from allegro_desktop.sync.records import (
    Batch,
    canonical,
    event_form_id,
    logged,
    shown,
    unreadable_reason,
)
from allegro_desktop.sync.report import SyncPhase
from allegro_desktop.sync.run import SyncRun
from allegro_desktop.sync.windows import BOUGHT_AT, PAGE_SIZE, Window, from_ms, ms

__all__ = ["CursorRefused", "plan", "read_events", "read_journal"]

log = logging.getLogger("allegro_desktop.sync")

# Why an event is kept aside, where the parser does not say it (the predicate of "<field> …",
# `domain.unreadable`).
_IMPLAUSIBLE_EVENT_ID: Final = QT_TRANSLATE_NOOP(
    "Errors", "is not one Allegro can have given (digits of a 64-bit number, at most a day "
    "past %1): %2")

EVENTS_PAGE: Final = 1000
#: Below this many wanted forms, one GET each is always the way (no planning).
_PLAN_MIN: Final = 24
#: What one list page (100 forms) costs against one single-form GET: more bytes to read.
_LIST_PAGE_COST: Final = 2
#: How far before its first event a form the app has never stored may have been bought, for
#: the list windows of the incremental planner (a miss costs one GET, nothing else).
_UNKNOWN_SLACK: Final = timedelta(minutes=10)
#: The fewest stored orders a part of a planned list window holds (`_in_parts`).
_PART_MIN: Final = 3 * PAGE_SIZE


class CursorRefused(Exception):  # noqa: N818 - internal signal, not an error
    """Allegro answered 400/422 to `/order/events?from=cursor` (or without `from`)."""

    def __init__(self, cursor: str | None, cause: AppError) -> None:
        super().__init__(cursor)
        self.cursor = cursor
        self.cause = cause


async def read_journal(run: SyncRun, state: SyncState) -> SyncState:
    """The incremental step: first the pending forms asked for again, then the journal's
    pages from the cursor to its end, each page's changed forms fetched and stored in one
    transaction with the cursor. Raises `CursorRefused` when Allegro refuses the cursor."""
    began = time.perf_counter()
    run.enter(SyncPhase.INCREMENTAL)
    pending = run.orders.pending_form_ids(run.account_key)
    if pending:
        log.info("asking again for %d pending checkout forms", len(pending))
        run.expect(len(pending))
        run.store(await fetch_forms(run, pending, all_may_fail=True), (), None)
    cursor = state.event_cursor
    at_end = True
    asked = _ask_events(run, cursor)
    try:
        while True:
            run.check_cancel()
            try:
                page = await asked
            except ValidationError as exc:
                raise CursorRefused(cursor, exc) from None
            if not page:
                break
            run.report.events += len(page)
            events, unreadable, extra_ids, advanced = read_events(run, page, cursor)
            if advanced is not None:
                # The next page is asked for while this one's forms come: a round trip less
                # a page (the last one, empty, included).
                asked = _ask_events(run, advanced)
            batch = await _fetch_changed(run, events, extra_ids)
            batch.unreadable.extend(unreadable)
            run.store(batch, events, advanced)
            if advanced is None:
                # Asking from the same cursor would bring the same page for ever.
                at_end = False
                run.defer(JournalStuckError(cursor))
                break
            cursor = advanced
    finally:
        # A page asked for in vain (the run failed, or was cancelled, meanwhile): dropped,
        # and what it raised with it.
        asked.cancel()
        asked.add_done_callback(_dropped)
    state = replace(run.state.get_sync_state(run.account_key), event_cursor=cursor)
    if at_end:
        # The journal is read to its end: it is complete up to now (`cursor_saved_at`).
        state = replace(state, cursor_saved_at=run.clock())
    run.state.save_sync_state(state)
    run.timed(SyncPhase.INCREMENTAL, began)
    return state


def _ask_events(run: SyncRun, cursor: str | None) -> asyncio.Future[list[Any]]:
    """The journal's page after `cursor`, asked for now."""
    return asyncio.ensure_future(run.call(run.client.order_events(from_id=cursor,
                                                                  limit=EVENTS_PAGE)))


def _dropped(asked: asyncio.Future[list[Any]]) -> None:
    if not asked.cancelled():
        asked.exception()  # retrieved: not "never retrieved"


def read_events(run: SyncRun, page: Sequence[Any], cursor: str | None
                ) -> tuple[list[OrderEvent], list[UnreadableRecord], list[str], str | None]:
    """The readable events of a page; the others kept aside, with the form ids still made
    out; and the cursor after the page: the id of its last event that the cursor may
    take (`plausible_event_id`, which also keeps aside an event whose id it refuses),
    None when none may."""
    now = run.clock()
    occurred = [parse_time(data.get("occurredAt")) for data in page
                if isinstance(data, Mapping)]
    newest = max([now, *(moment for moment in occurred if moment is not None)])
    events: list[OrderEvent] = []
    unreadable: list[UnreadableRecord] = []
    form_ids: list[str] = []
    advanced: str | None = None
    for data in page:
        raw_id = data.get("id") if isinstance(data, Mapping) else None
        event_id = plausible_event_id(raw_id, newest=newest)
        try:
            if isinstance(data, Mapping) and event_id is None:
                raise MalformedOrderError(UnreadableReason(
                    kind=RecordKind.EVENT, record_id=None, field="id",
                    problem=Text(_IMPLAUSIBLE_EVENT_ID, Moment(newest.timestamp()),
                                 shown(raw_id))))
            events.append(parse_event(data))  # one that is not an object is refused
        except MalformedResponseError as exc:
            form_id = event_form_id(data)
            log.warning("kept aside an unreadable order event (form %s): %s",
                        logged(form_id), exc)
            unreadable.append(UnreadableRecord(
                reason=unreadable_reason(exc, RecordKind.EVENT, None), raw=data,
                form_id=form_id))
            if form_id is not None:
                form_ids.append(form_id)
        if event_id is not None and plausible_event_id(event_id, newest=newest,
                                                       after=cursor) is not None:
            advanced = event_id
    run.report.malformed += len(unreadable)
    return events, _not_kept_yet(run, unreadable), form_ids, advanced


def _not_kept_yet(run: SyncRun, records: list[UnreadableRecord]) -> list[UnreadableRecord]:
    """The event records not already kept aside as they are: a journal stuck on an event
    brings it again at every sync, and it is kept once."""
    if not records:
        return records
    kept = set()
    for row in run.orders.unreadable_records(run.account_key):
        if row.get("kind") == "event":
            try:
                kept.add(canonical(json.loads(row["raw"])))
            except (ValueError, TypeError, KeyError):
                continue
    return [record for record in records if canonical(record.raw) not in kept]


async def _fetch_changed(run: SyncRun, events: Sequence[OrderEvent],
                         extra_ids: Sequence[str]) -> Batch:
    """The forms the events say changed: a form is wanted unless the stored copy has the
    revision of every event of the page for it and none of them is
    FULFILLMENT_STATUS_CHANGED; forms recorded as gone are not asked for again."""
    by_form: dict[str, list[OrderEvent]] = {form_id: [] for form_id in extra_ids}
    for event in events:
        if event.checkout_form_id:
            by_form.setdefault(event.checkout_form_id, []).append(event)
    if not by_form:
        return Batch()
    gone_known = run.orders.gone_form_ids(run.account_key)
    revisions = run.orders.stored_revisions(run.account_key, list(by_form))
    wanted: dict[str, list[OrderEvent]] = {}
    for form_id, form_events in by_form.items():
        if form_id in gone_known:
            continue
        revision = revisions.get(form_id)
        if (revision is None or not form_events
                or any(e.revision != revision for e in form_events)
                or any(e.type == EventType.FULFILLMENT_STATUS_CHANGED
                       for e in form_events)):
            wanted[form_id] = form_events
    run.expect(len(wanted))
    windows, singles = plan(run, wanted)
    log.debug("%d changed forms: %d to list in %d windows, %d to fetch one by one",
              len(wanted), len(wanted) - len(singles), len(windows), len(singles))
    batch = Batch()
    if windows:
        listed: set[str] = set()
        await list_windows(run, windows, seen=listed)
        missed = [form_id for form_id in wanted if form_id not in listed
                  and form_id not in singles]
        if missed:
            log.debug("%d changed forms were not in the lists: fetching them one by one",
                      len(missed))
        singles += missed
    batch.extend(await fetch_forms(run, singles))
    return batch


def plan(run: SyncRun, wanted: Mapping[str, Sequence[OrderEvent]]
         ) -> tuple[list[Window], list[str]]:
    """How to fetch the wanted forms: `boughtAt` windows to list, and ids to GET one by
    one. A stored form is placed at its `bought_at`, a new one a little before its first
    event; a group of them is listed when its span holds few enough orders that listing
    costs fewer requests than the GETs would, else it is split at its widest gap."""
    if len(wanted) < _PLAN_MIN:
        return [], list(wanted)
    bought = run.orders.bought_at_of(run.account_key, list(wanted))
    points: list[tuple[datetime, str, bool]] = []
    for form_id, form_events in wanted.items():
        if form_id in bought:
            points.append((bought[form_id], form_id, True))
        elif form_events:
            first = min(e.occurred_at for e in form_events)
            points.append((first - _UNKNOWN_SLACK, form_id, False))
    placed = {form_id for _, form_id, _ in points}
    singles = [form_id for form_id in wanted if form_id not in placed]
    points.sort()
    if not points:
        return [], singles
    stored_times = run.orders.bought_at_times(
        run.account_key, points[0][0], points[-1][0] + _UNKNOWN_SLACK)

    def stored_between(start: datetime, end: datetime) -> int:
        return (bisect.bisect_right(stored_times, ms(end))
                - bisect.bisect_left(stored_times, ms(start)))

    windows: list[Window] = []
    groups = [points]
    while groups:
        group = groups.pop()
        if len(group) < _PLAN_MIN:
            singles += [form_id for _, form_id, _ in group]
            continue
        # A new form was bought up to its first event (its point + the slack), not after.
        start = group[0][0]
        end = max(at if known else at + _UNKNOWN_SLACK
                  for at, _, known in group) + timedelta(milliseconds=1)
        new = sum(1 for point in group if not point[2])
        pages = math.ceil(
            (stored_between(start, end) + new + 1)
            / PAGE_SIZE)
        if pages * _LIST_PAGE_COST <= len(group):
            windows.append(Window(BOUGHT_AT, start, end))
            continue
        gaps = [group[i + 1][0] - group[i][0] for i in range(len(group) - 1)]
        cut = gaps.index(max(gaps)) + 1
        groups += [group[:cut], group[cut:]]
    return _in_parts(windows, stored_times, run.settings.window_concurrency), singles


def _in_parts(windows: Sequence[Window], stored_times: Sequence[int],
              concurrency: int) -> list[Window]:
    """The windows cut where the stored orders say, into parts of about the same number of
    orders, enough of them for every worker listing them (`window_concurrency`): each part is
    a chain of pages, one after another, so the listing lasts as long as the longest chain.
    Cut halfway between two stored orders (no order is read twice); never into parts of
    fewer than `_PART_MIN` orders, whose last pages, not full, would cost more requests than
    the parallelism saves. (Left whole, a big window is split only once its first page has
    come, evenly in time: a part of the recent weeks then holds most of the orders.)"""
    counted = [(window, bisect.bisect_left(stored_times, ms(window.start)),
                bisect.bisect_right(stored_times, ms(window.end))) for window in windows]
    total = sum(high - low for _, low, high in counted)
    size = max(_PART_MIN, math.ceil(total / concurrency))
    parts: list[Window] = []
    for window, low, high in counted:
        count = high - low
        pieces = max(min(math.ceil(count / size), count // _PART_MIN), 1)
        bounds = [window.start]
        for index in range(1, pieces):
            first = low + count * index // pieces  # the first stored order of the next part
            before, after = stored_times[first - 1], stored_times[first]
            if after - before >= 2:  # a millisecond between them
                cut = from_ms((before + after) // 2)
                if bounds[-1] < cut < window.end:
                    bounds.append(cut)
        bounds.append(window.end)
        parts += [Window(window.field, bounds[i], bounds[i + 1])
                  for i in range(len(bounds) - 1)]
    return parts
