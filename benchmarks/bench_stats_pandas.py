"""The Statistics tab's exact path, SQL (`services/stats.py`) against pandas
(`benchmarks/stats_pandas.py`), side by side on the cached million (issue 14, item 10).

    python -m benchmarks.bench_stats_pandas                 # the cached 1 000 000 (million.py)
    python -m benchmarks.bench_stats_pandas --orders 20000  # a smaller cached file
    python -m benchmarks.bench_stats_pandas --repeat 7      # more runs of each variant

Each case is one whole computation (everything the tab shows) in Europe/Warsaw, on the exact
path: a search the rollups cannot answer ("etui") for the last 30 days, 12 months and all time,
and no filter at all with the rollups switched off (`use_rollups=False`, as a filter the
rollups cannot answer that selects everything would be: the most rows pandas has to hold).
The two variants run alternately, `--repeat` times each, in this process; the table shows the
median of each and of pandas' reading alone (the two `read_sql_query`s into DataFrames), and
whether the results are the same (every field but `seconds`: the run fails otherwise).
The load average is printed before and after (the machine may be shared).

Then the extra memory of one computation of the largest case, per variant, each in a fresh
process (the growth of its peak resident set over what the imports and the open database
already took; Linux only: read from /proc).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from allegro_desktop.domain.filters import OrderFilter
from allegro_desktop.services.stats import Granularity, StatsRequest, StatsResult, StatsService
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.times import MIN_MS, to_ms
from benchmarks.million import cached_database, read_info
from benchmarks.stats_pandas import _items_frame, _orders_frame, compute_with_pandas

WARSAW = ZoneInfo("Europe/Warsaw")


def _midnight(moment: datetime) -> datetime:
    local = moment.astimezone(WARSAW)
    return datetime(local.year, local.month, local.day, tzinfo=WARSAW)


def _cases(now: datetime) -> list[tuple[str, StatsRequest]]:
    end = _midnight(now) + timedelta(days=1)
    periods = {
        "30 days": (end - timedelta(days=30), Granularity.DAY),
        "12 months": (datetime(end.year - 1, end.month, 1, tzinfo=WARSAW), Granularity.MONTH),
        "all time": (datetime(2015, 1, 1, tzinfo=WARSAW), Granularity.MONTH),
    }
    filters = {"search 'etui'": OrderFilter(search="etui"), "no filter": OrderFilter()}
    return [(f"{period:<9} {label}", StatsRequest(start=start, end=end, time_zone=WARSAW,
                                                  order_filter=order_filter,
                                                  granularity=granularity))
            for label, order_filter in filters.items()
            for period, (start, granularity) in periods.items()]


def _differing(a: StatsResult, b: StatsResult) -> list[str]:
    return [f.name for f in fields(a) if f.name not in ("seconds", "request")
            and getattr(a, f.name) != getattr(b, f.name)]


def _reading(database: Database, request: StatsRequest) -> float:
    """Seconds pandas spends reading the rows of `request` into its DataFrames."""
    start, end = to_ms(request.start), to_ms(request.end)
    started = time.perf_counter()
    with database.read() as connection:
        _orders_frame(connection, request.order_filter, max(start - (end - start), MIN_MS),
                      end)
        _items_frame(connection, request.order_filter, start, end)
    return time.perf_counter() - started


def _resident_kb(*, peak: bool = False, reset_peak: bool = False) -> int:
    """The resident set (or its peak since the last reset), in kB, from Linux's /proc: a
    process started by a bigger one inherits its `ru_maxrss`, so that cannot tell."""
    if reset_peak:
        Path("/proc/self/clear_refs").write_text("5")
    field = "VmHWM:" if peak else "VmRSS:"
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def _memory(path: str, variant: str, case: int) -> None:
    """One computation of case `case` by `variant`; prints the peak RSS growth in MB."""
    info = read_info(path)
    assert info is not None
    request = _cases(info.now)[case][1]
    database = Database.open(info.path)
    try:
        before = _resident_kb(reset_peak=True)
        if variant == "pandas":
            result = compute_with_pandas(database, request)
        else:
            result = StatsService(database=database, use_rollups=False).compute(request)
        after = _resident_kb(peak=True)
    finally:
        database.close()
    print(f"{(after - before) / 1024:.0f} {result.totals.orders}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory", nargs=3, metavar=("PATH", "VARIANT", "CASE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        path, variant, case = args.memory
        _memory(path, variant, int(case))
        return
    info = cached_database(args.orders)
    database = Database.open(info.path)
    sql = StatsService(database=database, use_rollups=False)
    failed = False
    print(f"load average (1, 5, 15 min) before: {_load()}")
    print(f"{'case (exact path, Europe/Warsaw)':<26} {'orders':>9} {'SQL':>8} {'pandas':>8} "
          f"{'(read)':>8} {'pandas/SQL':>10}  result")
    try:
        cases = _cases(info.now)
        for label, request in cases:
            sql_times: list[float] = []
            pandas_times: list[float] = []
            differing: list[str] = []
            for run in range(args.repeat):
                started = time.perf_counter()
                by_sql = sql.compute(request)
                sql_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                by_pandas = compute_with_pandas(database, request)
                pandas_times.append(time.perf_counter() - started)
                if run == 0:
                    differing = _differing(by_sql, by_pandas)
                del by_pandas
            read = statistics.median(_reading(database, request) for _ in range(3))
            a, b = statistics.median(sql_times), statistics.median(pandas_times)
            print(f"{label:<26} {by_sql.totals.orders:>9,} {a:7.3f}s {b:7.3f}s {read:7.3f}s "
                  f"{b / a:9.2f}x  "
                  f"{'same' if not differing else 'DIFFERENT: ' + ', '.join(differing)}",
                  flush=True)
            failed |= bool(differing)
    finally:
        database.close()
    print(f"load average (1, 5, 15 min) after: {_load()}")
    largest = len(cases) - 1
    for variant in ("sql", "pandas"):
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_stats_pandas", "--memory",
                              str(info.path), variant, str(largest)],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"peak memory growth, {cases[largest][0]} ({int(out[1]):,} orders), "
              f"{variant}: {out[0]} MB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
