"""How fast the orders workspace answers on a million orders: its queries (storage level).

    python benchmarks/bench_workspace.py                    # 1 000 000 orders, built once
    python benchmarks/bench_workspace.py --orders 100000 --repeat 3
    python benchmarks/bench_workspace.py --only search --explain
    python benchmarks/bench_workspace.py --screens-only --without-stats

`--without-stats` drops ANALYZE's statistics first (restored at the end): the app never runs
ANALYZE, so its own files have none (`OrderQueries` steers SQLite's planner itself, see
storage/order_query.py, so the figures should hardly move). `--screens-only` skips the full
lists and counts, `--warm-start-only` the cold start-up.

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
   lists (the model reads them in the background), `details()` of random orders.

Prints a table per action, p50/p95/max per category, `EXPLAIN QUERY PLAN` for any action
whose first screen took over 100 ms (or of every action with --explain), and the process's
peak memory. Figures, not assertions: copy them into docs/PERFORMANCE.md.

The GUI part — the time from a filter change to the painted table, the longest stall of the
GUI thread while typing, scrolling and sorting, start-up to the first painted table — is
benchmarks/bench_gui.py, on the same database.
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from million import BenchDatabase, analyze, cached_database, drop_statistics, has_statistics

from allegro_desktop.domain.filters import (
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.storage import order_query
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries, few_statement, ids_statement

driver_query = order_query._driver_query  # the SQL the driver runs (as iter_seqs does)

T = TypeVar("T")

WARSAW: Final = ZoneInfo("Europe/Warsaw")
FIRST_PIECE: Final = 256  # what iter_seqs hands over first
SCREEN: Final = 50  # rows of a first screen
BLOCK: Final = 128  # rows the model fetches at a time when scrolling (ui/orders/model.py)
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
    print(f"\nscrolling: rows() of {BLOCK} orders at random places (what the model reads in "
          f"the background as the view scrolls)")
    for sort in (OrderSort(), OrderSort(OrderColumn.CITY, False),
                 OrderSort(OrderColumn.TOTAL, True), OrderSort(OrderColumn.BUYER_NAME, False)):
        seqs = queries.seqs(OrderFilter(), sort)
        times = []
        for _ in range(repeat * 4):
            start = rng.randrange(max(1, len(seqs) - BLOCK))
            block = seqs[start:start + BLOCK]
            elapsed, rows = timed(partial(queries.rows, block))
            assert len(rows) == len(block)
            times.append(elapsed)
        label = f"{sort.column.value} {'desc' if sort.descending else 'asc'}"
        print(f"  sorted by {label:<18} {spread(times)}")
    seqs = queries.seqs(OrderFilter(), OrderSort())
    times = []
    for _ in range(repeat * 4):
        seq = seqs[rng.randrange(len(seqs))]
        elapsed, details = timed(partial(queries.details, seq))
        assert details is not None
        times.append(elapsed)
    print(f"  details() of an order        {spread(times)}")
    times = [timed(queries.facets)[0] for _ in range(repeat)]
    print(f"  facets()                     {spread(times)}")


def explain(database: Database, results: Sequence[Result], every: bool) -> None:
    """The plans of the slow first screens (or of all): the few-matches statement, which
    `iter_seqs` tries first when something is filtered, and the many-matches one."""
    chosen = [r for r in results
              if every or max(quantile(r.screen, 0.95), r.screen_cold) > SLOW_MS]
    if not chosen:
        return
    print("\nEXPLAIN QUERY PLAN" + ("" if every else f" of the first screens over {SLOW_MS:.0f}"
                                    f" ms"))
    with database.read() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        for result in chosen:
            action = result.action
            print(f"  {action.category}: {action.name} "
                  f"(first screen {statistics.median(result.screen):.0f} ms warm, "
                  f"{result.screen_cold:.0f} ms cold)")
            statements = [("many matches", ids_statement(action.filter, action.sort))]
            if action.filter != OrderFilter():
                statements.insert(0, ("few matches", few_statement(action.filter,
                                                                   action.sort)))
            for name, statement in statements:
                sql, values = driver_query(connection, statement)
                print(f"    {name}:")
                for _, parent, _, detail in driver.execute("EXPLAIN QUERY PLAN " + sql,
                                                           values).fetchall():
                    print(f"      {'  ' * (parent > 0)}{detail}")


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
    parser.add_argument("--warm-start-only", action="store_true",
                        help="skip the cold start-up (minutes on a big file: quick_check "
                             "reads all of it from the disk)")
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
    database.close()


if __name__ == "__main__":
    main()
