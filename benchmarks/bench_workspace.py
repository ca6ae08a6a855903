"""How fast the orders workspace answers on a million orders: its queries (the GUI part to come).

    python benchmarks/bench_workspace.py                    # 1 000 000 orders, built once
    python benchmarks/bench_workspace.py --orders 100000 --repeat 3
    python benchmarks/bench_workspace.py --only search --explain
    python benchmarks/bench_workspace.py --screens-only --try-fixes --without-stats

`--without-stats` drops ANALYZE's statistics first (restored at the end): the app never runs
ANALYZE, so its own files have none, and SQLite then picks other plans. `--try-fixes` runs the
first screens again with the query change proposed below (`FixedQueries`; `--probe` sets its
limit). `--screens-only` skips the full lists and counts, `--warm-start-only` the cold start-up.

The database comes from `million.py` (built in a few minutes the first time, then reused from
benchmarks/.cache). Through `OrderQueries` (storage/order_query.py), as the workspace calls it:

1. Start-up: the database file dropped from the OS page cache (`posix_fadvise`, this file only),
   then `Database.open`, the first screen of To process and of all orders, `quick_counts`,
   `facets` and every seq of all orders — cold, then warm (the same run once before).
2. A script of what a seller does: each quick filter, each date preset (relative to the moment
   the data ends, Europe/Warsaw days), searches (a city, surnames, a login prefix, an order-id
   prefix, offer words, a phone fragment), each of the table's 15 columns sorted both ways,
   the extra filters, accounts, and combinations. For each action:
   - **first screen**: from the call to `iter_seqs` to its first piece (`first=256`) plus
     `rows()` of the first 50 — what the table needs to paint;
   - **full list**: every seq (`seqs()`), which the table receives in the background;
   - **counts**: `quick_counts()` (the quick-filter buttons), also in the background.
   The first run of an action ("cold": the first time this process runs that query) is
   reported apart from the repeated ones ("warm").
3. Scrolling: `rows()` of the model's block of 128 orders at random places of a few sorted
   lists (the model fetches them on the GUI thread), `details()` of random orders.

Prints a table per action, p50/p95/max per category, `EXPLAIN QUERY PLAN` for any action
whose first screen took over 100 ms (or of every action with --explain), and the process's
peak memory. Figures, not assertions: copy them into docs/PERFORMANCE.md.

The GUI part — the time from a filter change to the painted table, the longest stall of the
GUI thread while typing, scrolling and sorting, start-up to the first painted table — goes in
`gui_benchmark` below (benchmarks/bench_gui.py measures it in the real widgets meanwhile).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import sys
import time
from array import array
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

from million import BenchDatabase, analyze, cached_database, drop_statistics, has_statistics
from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    and_,
    false,
    or_,
    select,
    text,
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from allegro_desktop.domain.filters import (
    PROCESSING_FULFILLMENT,
    SENT_FULFILLMENT,
    TABLE_COLUMNS,
    UNPAID_STATUSES,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage import order_query
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries, ids_statement
from allegro_desktop.storage.schema import orders, orders_fts
from allegro_desktop.storage.search import match_query
from allegro_desktop.storage.times import to_ms

driver_query = order_query._driver_query  # the SQL the driver runs (as iter_seqs does)

T = TypeVar("T")

WARSAW: Final = ZoneInfo("Europe/Warsaw")
FIRST_PIECE: Final = 256  # what iter_seqs hands over first
SCREEN: Final = 50  # rows of a first screen
BLOCK: Final = 128  # rows the model fetches at a time when scrolling (ui/orders_model.py)
SLOW_MS: Final = 100.0  # the target for a first screen


@dataclass(frozen=True, slots=True)
class Action:
    category: str
    name: str
    filter: OrderFilter = field(default_factory=OrderFilter)
    sort: OrderSort = field(default_factory=OrderSort)


@dataclass(slots=True)
class Result:
    action: Action
    matches: int = 0
    screen_cold: float = 0.0
    screen: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)  # the first one cold
    counts: list[float] = field(default_factory=list)  # the first one cold


# -- the script ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Samples:
    """Real values of the database to search for (an order in the middle of its history)."""

    login: str
    order_id: str
    phone: str
    surname: str
    common_surname: str
    delivery_common: str
    delivery_rare: str


def samples(database: Database) -> Samples:
    with database.read() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        total = driver.execute("SELECT max(seq) FROM orders").fetchone()[0]
        login, order_id, phone, name = driver.execute(
            "SELECT buyer_login, id, buyer_phone, buyer_name FROM orders WHERE seq >= ? "
            "AND buyer_phone IS NOT NULL AND buyer_name IS NOT NULL AND buyer_login NOT LIKE "
            "'Client:%' ORDER BY seq LIMIT 1", (total // 3,)).fetchone()
        methods = [row[0] for row in driver.execute(
            "SELECT delivery_method_name FROM orders WHERE delivery_method_name IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC")]
    digits = "".join(c for c in phone if c.isdigit())
    return Samples(login=login, order_id=order_id, phone=digits[-9:][:6],
                   surname=name.split()[-1], common_surname="nowak",
                   delivery_common=methods[0], delivery_rare=methods[-1])


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=WARSAW).astimezone(UTC)


def date_presets(now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """[from, to) of the workspace's presets on the day `now` falls on in Warsaw."""
    today = now.astimezone(WARSAW).date()
    first = today.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return {
        "today": (_local_midnight(today), _local_midnight(today + timedelta(days=1))),
        "last 7 days": (_local_midnight(today - timedelta(days=6)),
                        _local_midnight(today + timedelta(days=1))),
        "this month": (_local_midnight(first), _local_midnight(following)),
        "last month": (_local_midnight(previous), _local_midnight(first)),
    }


def script(info: BenchDatabase, found: Samples) -> list[Action]:
    """What a seller does in the workspace, as (filter, sort) pairs."""
    actions: list[Action] = []
    newest = OrderSort()
    for quick in QuickFilter:
        actions.append(Action("quick filter", quick.value, OrderFilter(quick=quick)))
    presets = date_presets(info.now)
    for name, (start, end) in presets.items():
        actions.append(Action("date preset", name, OrderFilter(bought_from=start,
                                                               bought_to=end)))
    for name, words in (("city", "lodz"), ("common surname", found.common_surname),
                       ("surname", found.surname), ("login prefix", found.login[:5]),
                       ("order-id prefix", found.order_id[:8]), ("offer word", "etui"),
                       ("rare offer word", "zaparzacz"), ("phone fragment", found.phone),
                       ("two words", f"lodz {found.common_surname}"),
                       ("one letter", "k")):
        actions.append(Action("search", f"{name} {words!r}", OrderFilter(search=words)))
    for column in TABLE_COLUMNS:
        for descending in (False, True):
            actions.append(Action("sort", f"{column.value} {'desc' if descending else 'asc'}",
                                  sort=OrderSort(column, descending)))
    actions += [
        Action("extra filter", "delivery: the most common",
               OrderFilter(delivery_methods=frozenset({found.delivery_common}))),
        Action("extra filter", "delivery: the rarest",
               OrderFilter(delivery_methods=frozenset({found.delivery_rare}))),
        Action("extra filter", "payment: cash on delivery",
               OrderFilter(payment_types=frozenset({"CASH_ON_DELIVERY"}))),
        Action("extra filter", "invoice requested", OrderFilter(invoice=True)),
        Action("extra filter", "total 100-200", OrderFilter(min_total=Decimal(100),
                                                            max_total=Decimal(200))),
        Action("extra filter", "total over 1000", OrderFilter(min_total=Decimal(1000))),
        Action("extra filter", "marketplace allegro-cz",
               OrderFilter(marketplaces=frozenset({"allegro-cz"}))),
        Action("account", "the big account", OrderFilter(accounts=frozenset(info.accounts[:1]))),
        Action("account", "the small account",
               OrderFilter(accounts=frozenset(info.accounts[-1:]))),
        Action("account", "two of three", OrderFilter(accounts=frozenset(info.accounts[1:]))),
    ]
    last_month = presets["last month"]
    last_week = presets["last 7 days"]
    combos = (
        ("to process, sorted by delivery", OrderFilter(quick=QuickFilter.TO_PROCESS),
         OrderSort(OrderColumn.DELIVERY, False)),
        ("to process + search 'lodz'", OrderFilter(quick=QuickFilter.TO_PROCESS,
                                                   search="lodz"), newest),
        ("sent, last month, by total desc",
         OrderFilter(quick=QuickFilter.SENT, bought_from=last_month[0],
                     bought_to=last_month[1]), OrderSort(OrderColumn.TOTAL, True)),
        ("invoice + common delivery, by city",
         OrderFilter(invoice=True, delivery_methods=frozenset({found.delivery_common})),
         OrderSort(OrderColumn.CITY, False)),
        ("search 'lodz', by buyer desc", OrderFilter(search="lodz"),
         OrderSort(OrderColumn.BUYER_NAME, True)),
        ("search 'etui', by total", OrderFilter(search="etui"),
         OrderSort(OrderColumn.TOTAL, False)),
        ("small account, last 7 days, processing",
         OrderFilter(quick=QuickFilter.PROCESSING, accounts=frozenset(info.accounts[-1:]),
                     bought_from=last_week[0], bought_to=last_week[1]), newest),
        ("cancelled, cash on delivery, by city desc",
         OrderFilter(quick=QuickFilter.CANCELLED,
                     payment_types=frozenset({"CASH_ON_DELIVERY"})),
         OrderSort(OrderColumn.CITY, True)),
        ("unpaid, by buyer login", OrderFilter(quick=QuickFilter.UNPAID),
         OrderSort(OrderColumn.BUYER_LOGIN, False)),
        ("total over 1000, cz, by items", OrderFilter(min_total=Decimal(1000),
                                                     marketplaces=frozenset({"allegro-cz"})),
         OrderSort(OrderColumn.ITEMS, False)),
    )
    for name, order_filter, sort in combos:
        actions.append(Action("combination", name, order_filter, sort))
    return actions


# -- measuring -------------------------------------------------------------------------------


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def first_screen(queries: OrderQueries, action: Action) -> tuple[float, int]:
    """Milliseconds from the query to the first screen's rows; the size of the first piece."""
    started = time.perf_counter()
    pieces = queries.iter_seqs(action.filter, action.sort, first=FIRST_PIECE)
    try:
        first = next(pieces, array("q"))
        rows = queries.rows(first[:SCREEN])
    finally:
        pieces.close()
    elapsed = (time.perf_counter() - started) * 1000
    assert len(rows) == min(len(first), SCREEN)
    return elapsed, len(first)


def measure(queries: OrderQueries, action: Action, repeat: int, repeat_full: int, *,
            full: bool = True) -> Result:
    result = Result(action)
    result.screen_cold, _ = first_screen(queries, action)
    result.screen = [first_screen(queries, action)[0] for _ in range(repeat)]
    if not full:
        result.matches = len(queries.seqs(action.filter, action.sort))
        result.full = result.counts = [math.nan]
        return result
    for _ in range(1 + repeat_full):
        elapsed, seqs = timed(lambda: queries.seqs(action.filter, action.sort))
        result.full.append(elapsed)
        result.matches = len(seqs)
    for _ in range(1 + repeat_full):
        result.counts.append(timed(lambda: queries.quick_counts(action.filter))[0])
    return result


def evict(path: Path) -> bool:
    """Drop the database's pages from the OS page cache (only this file's; Linux and most
    Unixes), so the next reads come from the disk as after a reboot."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            descriptor = os.open(file, os.O_RDONLY)
            try:
                os.fsync(descriptor)
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)
    return True


def peak_rss_mb() -> float:
    """The process's resident-set high-water mark (kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def quantile(values: Sequence[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def spread(values: Sequence[float]) -> str:
    return (f"p50 {quantile(values, 0.5):7.1f}  p95 {quantile(values, 0.95):7.1f}  "
            f"max {max(values):7.1f}")


# -- the sections ----------------------------------------------------------------------------


def start_up(info: BenchDatabase, *, cold: bool) -> Database:
    """Open the database and load the default view, as the app does at start (cold: after
    dropping the file from the OS page cache; warm: run once before, untimed)."""
    if not cold:
        _start_up_steps(info)[0].close()
    database, figures = _start_up_steps(info, cold=cold)
    print(f"  {'cold' if cold else 'warm'}: " + "   ".join(
        f"{label} {elapsed:7.1f} ms" for label, elapsed in figures))
    return database


def _start_up_steps(info: BenchDatabase, *,
                    cold: bool = False) -> tuple[Database, list[tuple[str, float]]]:
    if cold and not evict(info.path):
        print("  (this system cannot drop a file from the page cache: 'cold' is warm)")
    opened, database = timed(lambda: Database.open(info.path))
    if cold:  # in case the opening read the file (a quick_check): the queries come cold
        evict(info.path)
    queries = OrderQueries(database=database)
    to_process = Action("start-up", "to process", OrderFilter(quick=QuickFilter.TO_PROCESS))
    everything = Action("start-up", "all orders")
    screen, _ = first_screen(queries, to_process)
    screen_all, _ = first_screen(queries, everything)
    counts, _ = timed(lambda: queries.quick_counts(OrderFilter()))
    facets, _ = timed(queries.facets)
    full, seqs = timed(lambda: queries.seqs(OrderFilter(), OrderSort()))
    return database, [("Database.open", opened), ("first screen: to process", screen),
                      ("all orders", screen_all), ("quick_counts", counts),
                      ("facets", facets), (f"all {len(seqs):,} seqs", full)]


def run_script(queries: OrderQueries, actions: Iterable[Action], repeat: int,
               repeat_full: int, *, full: bool = True) -> list[Result]:
    results = []
    print(f"  {'category':<13} {'action':<44} {'matches':>9}  {'screen ms':>9} "
          f"{'(cold)':>7}  {'full ms':>8} {'(cold)':>7}  {'counts ms':>9} {'(cold)':>7}")
    for action in actions:
        result = measure(queries, action, repeat, repeat_full, full=full)
        results.append(result)
        warm_full = result.full[1:] or result.full
        warm_counts = result.counts[1:] or result.counts
        slow = " *" if max(statistics.median(result.screen), result.screen_cold) > SLOW_MS \
            else ""
        print(f"  {action.category:<13} {action.name[:44]:<44} {result.matches:>9,}  "
              f"{statistics.median(result.screen):9.1f} {result.screen_cold:7.1f}  "
              f"{statistics.median(warm_full):8.1f} {result.full[0]:7.1f}  "
              f"{statistics.median(warm_counts):9.1f} {result.counts[0]:7.1f}{slow}",
              flush=True)
    return results


def summary(results: Sequence[Result]) -> None:
    print("\nper category, milliseconds (first screen: warm runs; cold: the first run of each "
          "action)")
    categories = dict.fromkeys(r.action.category for r in results)
    every: list[Result] = list(results)
    for category in [*categories, "all"]:
        chosen = [r for r in every if category in ("all", r.action.category)]
        screens = [t for r in chosen for t in r.screen]
        colds = [r.screen_cold for r in chosen]
        fulls = [t for r in chosen for t in (r.full[1:] or r.full)]
        counts = [t for r in chosen for t in (r.counts[1:] or r.counts)]
        print(f"  {category} ({len(chosen)} actions)")
        print(f"    first screen      {spread(screens)}")
        print(f"    first screen cold {spread(colds)}")
        if not any(math.isnan(t) for t in fulls):
            print(f"    full list         {spread(fulls)}")
            print(f"    quick_counts      {spread(counts)}")
    over = [r for r in every if max(quantile(r.screen, 0.95), r.screen_cold) > SLOW_MS]
    print(f"\nfirst screens over {SLOW_MS:.0f} ms (warm p95 or cold): "
          + (", ".join(f"{r.action.category}: {r.action.name}" for r in over) or "none"))


def scrolling(queries: OrderQueries, repeat: int, seed: int = 7) -> None:
    """`rows()` of a block at random places of long sorted lists, and `details()`."""
    rng = random.Random(seed)
    print(f"\nscrolling: rows() of {BLOCK} orders at random places (what the model fetches "
          f"on the GUI thread)")
    for sort in (OrderSort(), OrderSort(OrderColumn.CITY, False),
                 OrderSort(OrderColumn.TOTAL, True), OrderSort(OrderColumn.BUYER_NAME, False)):
        seqs = queries.seqs(OrderFilter(), sort)
        times = []
        for _ in range(repeat * 4):
            start = rng.randrange(max(1, len(seqs) - BLOCK))
            block = seqs[start:start + BLOCK]
            elapsed, rows = timed(lambda b=block: queries.rows(b))
            assert len(rows) == len(block)
            times.append(elapsed)
        label = f"{sort.column.value} {'desc' if sort.descending else 'asc'}"
        print(f"  sorted by {label:<18} {spread(times)}")
    seqs = queries.seqs(OrderFilter(), OrderSort())
    times = []
    for _ in range(repeat * 4):
        seq = seqs[rng.randrange(len(seqs))]
        elapsed, details = timed(lambda s=seq: queries.details(s))
        assert details is not None
        times.append(elapsed)
    print(f"  details() of an order        {spread(times)}")
    times = [timed(queries.facets)[0] for _ in range(repeat)]
    print(f"  facets()                     {spread(times)}")


def explain(database: Database, results: Sequence[Result], every: bool) -> None:
    chosen = [r for r in results
              if every or max(quantile(r.screen, 0.95), r.screen_cold) > SLOW_MS]
    if not chosen:
        return
    print("\nEXPLAIN QUERY PLAN" + ("" if every else f" of the first screens over {SLOW_MS:.0f}"
                                    f" ms"))
    with database.read() as connection:
        for result in chosen:
            sql, values = driver_query(connection, ids_statement(result.action.filter,
                                                                  result.action.sort))
            driver = connection.connection.driver_connection
            assert driver is not None
            plan = driver.execute("EXPLAIN QUERY PLAN " + sql, values).fetchall()
            print(f"  {result.action.category}: {result.action.name} "
                  f"(first screen {statistics.median(result.screen):.0f} ms warm, "
                  f"{result.screen_cold:.0f} ms cold)")
            for _, parent, _, detail in plan:
                print(f"    {'  ' * (parent > 0)}{detail}")


# -- trying fixes ----------------------------------------------------------------------------
#
# A copy of `order_query.ids_statement` with the changes proposed for the slow first screens,
# measured side by side with the real one. SQLite's planner picks between two plans for "the
# first rows of a filtered, sorted list" and, with only averages to go on (this SQLite has no
# STAT4 histograms; the app's files have no statistics at all), often picks the wrong one:
#
# - walk the sort column's index and test each order (cost ~ first rows / share matching:
#   fast for common matches, a scan of the whole table for rare ones: "unpaid, by login");
# - collect every match through the filter's index (or the search) and sort them (cost ~
#   matches: fast for rare matches, seconds-long for common ones: "etui", "total 100-200").
#
# The fix decides itself, and tells the planner with unary `+` (which keeps SQLite from using
# an index for a term): first the few-matches plan — the matches through the filter's index,
# at most `PROBE + 1` of them (an inner query with LIMIT and no ORDER BY), sorted; if more
# than `PROBE` come back, the many-matches plan — every filter column but the sort keys gets
# `+`, so the sort column's index is walked. The two costs meet at sqrt(first piece x
# orders), 16 000 for a million: neither plan then reads more than a few ten thousand rows
# (unless the matches cluster at the far end of the sort order). Also, the To-process
# condition is written so the stage index serves it with both statuses (its OR of "NEW" and
# "no status" limited that index to the first column: 955 000 entries read for 383 orders).

PROBE: Final = 16_384


def _plus(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`+column`: the same value, but no index is used for it."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def fixed_conditions(order_filter: OrderFilter, sort: OrderSort, *,
                     few: bool) -> list[ColumnElement[bool]]:
    """`order_query.filter_conditions` with the plan hints (see above)."""
    f, o = order_filter, orders.c
    keys = {key.name for key in order_query._SORT_KEYS[sort.column]
            if isinstance(key, Column)}

    def c(column: Column[Any]) -> ColumnElement[Any]:
        return column if few or column.name in keys else _plus(column)

    status, fulfillment = c(o.status), c(o.fulfillment_status)
    conditions: list[ColumnElement[bool]] = [o.gone.is_(False)]
    ready = status == OrderStatus.READY_FOR_PROCESSING.value
    cancelled = FulfillmentStatus.CANCELLED.value
    quick = {
        QuickFilter.TO_PROCESS: or_(and_(ready, fulfillment == FulfillmentStatus.NEW.value),
                                    and_(ready, fulfillment.is_(None))),
        QuickFilter.PROCESSING: and_(ready, fulfillment.in_(sorted(PROCESSING_FULFILLMENT))),
        QuickFilter.SENT: and_(ready, fulfillment.in_(sorted(SENT_FULFILLMENT))),
        QuickFilter.CANCELLED: or_(status == OrderStatus.CANCELLED.value,
                                   fulfillment == cancelled),
        QuickFilter.UNPAID: and_(status.in_(sorted(UNPAID_STATUSES)),
                                 or_(fulfillment.is_(None), fulfillment != cancelled)),
    }
    if f.quick is not QuickFilter.ALL:
        conditions.append(quick[f.quick])
    if f.bought_from is not None:
        conditions.append(c(o.bought_at) >= to_ms(f.bought_from))
    if f.bought_to is not None:
        conditions.append(c(o.bought_at) < to_ms(f.bought_to))
    for values, column in ((f.accounts, o.account_key),
                           (f.delivery_methods, o.delivery_method_name),
                           (f.payment_types, o.payment_type), (f.marketplaces, o.marketplace_id)):
        if values:
            conditions.append(c(column).in_(sorted(values)))
    if f.invoice is not None:
        conditions.append(c(o.invoice_required).is_(f.invoice))
    if f.min_total is not None:
        conditions.append(c(o.total_minor) >= order_query._minor_at_least(f.min_total))
    if f.max_total is not None:
        conditions.append(c(o.total_minor) <= order_query._minor_at_most(f.max_total))
    if f.search.strip():
        expression = match_query(f.search)
        if expression is None:
            conditions.append(false())
        else:
            seq = o.seq if few else _plus(o.seq)
            conditions.append(seq.in_(
                select(orders_fts.c.rowid)
                .where(text("orders_fts MATCH :match").bindparams(match=expression))))
    return conditions


def few_statement(order_filter: OrderFilter, sort: OrderSort, *,
                  limit: int = PROBE) -> Select[tuple[int]]:
    """The matches, if there are at most `limit`, sorted: at most `limit + 1` rows are read
    (the inner query has no ORDER BY, so the planner goes through the filter's index), and
    `limit + 1` rows back mean "many"."""
    keys = [*order_query._SORT_KEYS[sort.column], orders.c.seq]
    inner = (select(*dict.fromkeys(keys)).where(*fixed_conditions(order_filter, sort, few=True))
             .limit(limit + 1).subquery())
    return (select(inner.c.seq)
            .order_by(*(inner.c[key.name].desc() if sort.descending else inner.c[key.name]
                        for key in keys)))


def many_statement(order_filter: OrderFilter, sort: OrderSort) -> Select[tuple[int]]:
    """The matches in the order of the sort column's index, walking it."""
    return (select(orders.c.seq).where(*fixed_conditions(order_filter, sort, few=False))
            .order_by(*order_query._order_by(sort)))


class FixedQueries(OrderQueries):
    """`OrderQueries` with `iter_seqs` as proposed: the few-matches plan first, stopped after
    `PROBE` matches, then if need be the many-matches plan."""

    probe_ms = 0.0  # the few-matches attempt, when it found too many
    few = False

    def __init__(self, *, database: Database, limit: int = PROBE) -> None:
        super().__init__(database=database)
        self.limit = limit

    def iter_seqs(self, order_filter: OrderFilter, sort: OrderSort, *, first: int = 256,
                  chunk: int = 65536) -> Generator[array[int]]:
        with self._db.read() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            started = time.perf_counter()
            found: list[int] = []
            if order_filter != OrderFilter():  # everything is "many"
                sql, params = driver_query(connection, few_statement(
                    order_filter, sort, limit=self.limit))
                found = [row[0] for row in driver.execute(sql, params)]
            self.few = order_filter != OrderFilter() and len(found) <= self.limit
            if self.few:
                self.probe_ms = 0.0
                if found:
                    yield array("q", found[:first])
                for start in range(first, len(found), chunk):
                    yield array("q", found[start:start + chunk])
                return
            self.probe_ms = (time.perf_counter() - started) * 1000
            sql, params = driver_query(connection, many_statement(order_filter, sort))
            cursor = driver.execute(sql, params)
            try:
                size = first
                while rows := cursor.fetchmany(size):
                    yield array("q", [row[0] for row in rows])
                    size = chunk
            finally:
                cursor.close()


def try_fixes(database: Database, results: Sequence[Result], repeat: int,
              limit: int = PROBE) -> None:
    """Every action's first screen again with `FixedQueries`, beside the figures above."""
    fixed = FixedQueries(database=database, limit=limit)
    print(f"\nfirst screens with the proposed fix (the few-matches plan up to {limit:,} "
          f"matches, else the many-matches plan; 'wasted': the first attempt), ms")
    print(f"  {'category':<13} {'action':<44} {'matches':>9}  {'before':>7} {'after':>7} "
          f"{'(cold)':>7} {'wasted':>6}  plan")
    after: list[Result] = []
    for result in results:
        action = result.action
        cold, _ = first_screen(fixed, action)
        runs = [first_screen(fixed, action)[0] for _ in range(repeat)]
        seqs = fixed.seqs(action.filter, action.sort)
        original = OrderQueries(database=database).seqs(action.filter, action.sort)
        same = "" if seqs == original else "  DIFFERENT RESULT"
        after.append(Result(action, matches=len(seqs), screen_cold=cold, screen=runs))
        print(f"  {action.category:<13} {action.name[:44]:<44} {len(seqs):>9,}  "
              f"{statistics.median(result.screen):7.1f} {statistics.median(runs):7.1f} "
              f"{cold:7.1f} {fixed.probe_ms:6.1f}  {'few' if fixed.few else 'many'}{same}",
              flush=True)
    every = [t for r in after for t in r.screen]
    colds = [r.screen_cold for r in after]
    print(f"  all ({len(after)} actions) first screen      {spread(every)}")
    print(f"  all ({len(after)} actions) first screen cold {spread(colds)}")
    over = [r for r in after if max(quantile(r.screen, 0.95), r.screen_cold) > SLOW_MS]
    print(f"  over {SLOW_MS:.0f} ms: " + (", ".join(f"{r.action.category}: {r.action.name}"
                                               for r in over) or "none"))


# -- the GUI part ----------------------------------------------------------------------------


def gui_benchmark(info: BenchDatabase, args: argparse.Namespace) -> None:
    """THE GUI PART GOES HERE (to be written with the workspace): with a real `MainWindow`
    offscreen on `info.path` — start-up to the first painted table (target 2 s), the time
    from a filter/sort/search change to the painted first screen (target p95 100 ms), the
    longest stall of the GUI thread while typing, scrolling and sorting (target 50 ms; e.g.
    a timer that records the largest gap between its ticks), and the process's memory
    (target 500 MB)."""
    print("\nGUI part: not written yet (see gui_benchmark)")


# -- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5,
                        help="warm runs of each first screen (default 5)")
    parser.add_argument("--repeat-full", type=int, default=2,
                        help="warm runs of each full list and quick_counts (default 2)")
    parser.add_argument("--only", nargs="*", default=[],
                        help="categories or action names containing these words")
    parser.add_argument("--explain", action="store_true",
                        help="the query plan of every action, not only the slow ones")
    parser.add_argument("--without-stats", action="store_true",
                        help="drop ANALYZE's statistics first, as the app's own files have "
                             "none (restored at the end)")
    parser.add_argument("--screens-only", action="store_true",
                        help="measure first screens only (not full lists and counts)")
    parser.add_argument("--try-fixes", action="store_true",
                        help="measure the first screens again with the proposed fix")
    parser.add_argument("--warm-start-only", action="store_true",
                        help="skip the cold start-up (minutes on a big file: quick_check "
                             "reads all of it from the disk)")
    parser.add_argument("--probe", type=int, default=PROBE,
                        help=f"the fix's few-matches limit (default {PROBE})")
    parser.add_argument("--gui", action="store_true", help="also run the GUI part")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}")
    info = cached_database(args.orders, args.seed)
    size = info.path.stat().st_size / 1e9
    print(f"{info.orders:,} orders up to {info.now:%Y-%m-%d %H:%M} UTC, file {size:.2f} GB; "
          f"peak memory so far {peak_rss_mb():.0f} MB")
    if args.without_stats:
        drop_statistics(info.path)
    print("query planner statistics (sqlite_stat1): "
          + ("yes (ANALYZE)" if has_statistics(info.path) else "none, as in the app's files"))
    try:
        run(info, args)
    finally:
        if args.without_stats:
            analyze(info.path)
    if args.gui:
        gui_benchmark(info, args)


def run(info: BenchDatabase, args: argparse.Namespace) -> None:

    print("\nstart-up (storage part)")
    if not args.warm_start_only:
        start_up(info, cold=True).close()
    database = start_up(info, cold=False)
    print(f"  peak memory {peak_rss_mb():.0f} MB")

    queries = OrderQueries(database=database)
    found = samples(database)
    actions = [a for a in script(info, found)
               if not args.only or any(word in f"{a.category} {a.name}" for word in args.only)]
    print(f"\nthe script: {len(actions)} actions; first screen = iter_seqs' first "
          f"{FIRST_PIECE} + rows() of {SCREEN}; warm = median of {args.repeat} runs")
    results = run_script(queries, actions, args.repeat, 0 if args.screens_only
                         else args.repeat_full, full=not args.screens_only)
    if results:
        summary(results)
    scrolling(queries, args.repeat)
    explain(database, results, args.explain)
    print(f"\npeak memory (RSS high-water mark) {peak_rss_mb():.0f} MB")
    if args.try_fixes:
        try_fixes(database, results, args.repeat, args.probe)
    database.close()


if __name__ == "__main__":
    main()
