"""How long the Statistics tab's computation takes on a million orders (issue 6: under 1 s).

    python benchmarks/bench_stats.py                  # the cached 1 000 000 (million.py)
    python benchmarks/bench_stats.py --orders 20000   # a smaller cached file
    python benchmarks/bench_stats.py --check          # also compare with the exact path

Each case is one `StatsService.compute` (everything the tab shows: totals, the previous
period, the series, top products, the splits, the heat map), in Europe/Warsaw, for the last
30 days, the last 12 months and all time, with no filter, one account, a quick stage, and a
search (which the rollups cannot answer: the exact path). Every case runs `--repeat` times in
this process; "first" is the first run (the file may still be in the OS cache from an earlier
process: a truly cold start needs the page cache dropped, which this does not do), "warm" the
best of the others.

`--check` computes every case again without the rollups (`use_rollups=False`) and fails if any
figure differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.services.stats import Granularity, StatsRequest, StatsResult, StatsService
from allegro_desktop.storage.database import Database
from benchmarks.million import cached_database

WARSAW = ZoneInfo("Europe/Warsaw")


def _midnight(moment: datetime) -> datetime:
    local = moment.astimezone(WARSAW)
    return datetime(local.year, local.month, local.day, tzinfo=WARSAW)


def _cases(now: datetime, account: str) -> list[tuple[str, StatsRequest]]:
    end = _midnight(now) + timedelta(days=1)
    periods = {
        "30 days": (end - timedelta(days=30), Granularity.DAY),
        "12 months": (datetime(end.year - 1, end.month, 1, tzinfo=WARSAW), Granularity.MONTH),
        "all time": (datetime(2015, 1, 1, tzinfo=WARSAW), Granularity.MONTH),
    }
    filters = {
        "no filter": OrderFilter(),
        "one account": OrderFilter(accounts=frozenset({account})),
        "stage Sent": OrderFilter(quick=QuickFilter.SENT),
        "search 'etui' (exact path)": OrderFilter(search="etui"),
    }
    return [(f"{period:<9} {label}", StatsRequest(start=start, end=end, time_zone=WARSAW,
                                                  order_filter=order_filter,
                                                  granularity=granularity))
            for period, (start, granularity) in periods.items()
            for label, order_filter in filters.items()]


def _same(a: StatsResult, b: StatsResult) -> list[str]:
    skip = {"seconds", "fast_path", "request"}
    return [f.name for f in fields(a) if f.name not in skip
            and getattr(a, f.name) != getattr(b, f.name)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="compare with the exact path")
    args = parser.parse_args()
    info = cached_database(args.orders)
    database = Database.open(info.path)
    service = StatsService(database=database)
    exact = StatsService(database=database, use_rollups=False)
    failed = False
    warm_fast: list[float] = []
    try:
        print(f"{'case':<40} {'path':<6} {'first':>8} {'warm':>8}  orders")
        for label, request in _cases(info.now, info.accounts[0]):
            times = []
            result = None
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = service.compute(request)
                times.append(time.perf_counter() - started)
            assert result is not None
            warm = min(times[1:] or times)
            if result.fast_path:
                warm_fast.append(warm)
            print(f"{label:<40} {'fast' if result.fast_path else 'exact':<6} "
                  f"{times[0]:7.3f}s {warm:7.3f}s  {result.totals.orders:,}")
            if args.check:
                started = time.perf_counter()
                differing = _same(result, exact.compute(request))
                print(f"{'':<40} exact  {time.perf_counter() - started:7.3f}s  "
                      f"{'same' if not differing else 'DIFFERENT: ' + ', '.join(differing)}")
                failed |= bool(differing)
    finally:
        database.close()
    if warm_fast:
        print(f"fast path, warm: median {statistics.median(warm_fast):.3f} s, "
              f"max {max(warm_fast):.3f} s (target < 1 s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
