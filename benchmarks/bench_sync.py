"""How long a real sync takes: the engine against an emulator process with network latency.

    python benchmarks/bench_sync.py                     # 10 000 and 100 000 orders, 50 ms
    python benchmarks/bench_sync.py --orders 5000 --latency-ms 20 --skip-incremental

For each order count, an emulator runs as its own process (`allegro-desktop emulator
--latency-ms L`, start-up not counted) and this process syncs it with the app's code path:
`SyncEngine` with default `SyncSettings`, an `AllegroClient` over `make_http_client()`, the
default `RequestGovernor` (9 000 requests a minute), into a new SQLite file (WAL) in a temporary
folder. Scenarios:

1. the first sync (back-fill) of every order;
2. unless --skip-incremental: an incremental sync of the same database after 1 000 orders changed
   (500 new orders, 500 fulfillment changes to SENT of the latest orders, both through the
   emulator's control API) — the everyday case: recent orders move;
3. then an incremental sync after 1 000 fulfillment changes spread evenly over the whole history
   — the worst case for the incremental planner (no two changes close together).

Printed per scenario: wall time (the engine's `SyncReport.duration`), HTTP requests sent
(`RequestCounter`), orders/s, peak memory of THIS process (the kernel's resident-set high-water
mark, VmHWM, reset before the sync: the same figure as `ru_maxrss`, but per scenario), and where
the wall time went. The event loop runs on a selector that times its `select()` calls: that is
the time the loop sat idle, waiting for the network (and for the governor's pacing timers). The
rest is CPU on the loop's thread, split into parsing (`parse_checkout_form`, `parse_event`),
database writes (`apply_batch` and the run's bookkeeping), database reads (the reconcile and
revision queries) and everything else (httpx, JSON decoding, the engine itself).
`--tracemalloc` also gives the Python heap's peak, `--profile` the functions cProfile finds
hottest (both slow the sync down, so they are off by default). Figures, not assertions: copy
them into docs/PERFORMANCE.md.

The emulator runs with `--history-days 364`: its history then lies inside the engine's default
`history_days` (365), so the first sync gets every order (with the emulator's default of 395
days the oldest month would be out of reach by design).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import resource
import selectors
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from emulator_process import CLIENT, device_token, start_emulator

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.api.environments import environment_from_key
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from allegro_desktop.sync import RequestCounter, SyncEngine, SyncReport
from allegro_desktop.sync import planner as planner_module
from allegro_desktop.sync import run as run_module

ACCEPT = "application/vnd.allegro.public.v1+json"
ACCOUNT = "bench"
T = TypeVar("T")


# -- the emulator process ---------------------------------------------------------------------

class _StaticToken:
    """The token source: the emulator's token lives 12 hours, longer than any run here."""

    def __init__(self, token: str) -> None:
        self.token = token

    async def access_token(self) -> str:
        return self.token

    async def token_rejected(self, token: str) -> str:
        raise RuntimeError("the emulator rejected the benchmark's token")


def _change_orders(http: httpx.Client, token: str, new: int, fulfilled: int) -> None:
    """`new` orders bought now, and `fulfilled` of the most recent not-yet-SENT orders SENT."""
    headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT}
    ids: list[str] = []
    offset = 0
    while len(ids) < fulfilled and offset < 10_000:
        page = http.get("/order/checkout-forms", headers=headers,
                        params={"limit": 100, "offset": offset}).json()["checkoutForms"]
        if not page:
            break
        ids += [form["id"] for form in page
                if (form.get("fulfillment") or {}).get("status") != "SENT"]
        offset += 100
    for form_id in ids[:fulfilled]:
        response = http.post(f"/__emulator__/orders/{form_id}/fulfillment",
                             json={"status": "SENT"})
        response.raise_for_status()
    http.post("/__emulator__/orders", json={"count": new}).raise_for_status()
    if len(ids) < fulfilled:
        print(f"  (only {len(ids)} orders could be changed to SENT)")


def _change_spread(http: httpx.Client, changed: int) -> None:
    """`changed` orders spread evenly over the whole history get a new fulfillment status (the
    worst case for the incremental sync: no two changes close together)."""
    forms = http.get("/__emulator__/checkout-forms").json()["checkoutForms"]
    step = max(len(forms) // changed, 1)
    for form in forms[::step][:changed]:
        status = "SUSPENDED" if (form.get("fulfillment") or {}).get("status") != "SUSPENDED" \
            else "SENT"
        http.post(f"/__emulator__/orders/{form['id']}/fulfillment",
                  json={"status": status}).raise_for_status()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), 0 elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- measuring this process ---------------------------------------------------------------------

class _TimedSelector(selectors.DefaultSelector):
    """The event loop's selector, timing how long the loop waits in `select()`."""

    idle = 0.0

    def select(self, timeout: float | None = None) -> Any:
        started = time.perf_counter()
        try:
            return super().select(timeout)
        finally:
            self.idle += time.perf_counter() - started


class _Meter:
    """Seconds and calls per label, for synchronous work on the loop's thread and for awaited
    client calls (which overlap: their sum is not wall time)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, list[float]] = defaultdict(list)

    def wrap(self, label: str, function: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
        return timed

    def wrap_async(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.calls[label].append(time.perf_counter() - started)
        return timed


@contextmanager
def _patched(meter: _Meter) -> Iterator[None]:
    """Time the engine's parsing (module-level names it calls) and its database reads (the
    repository's read methods)."""
    names = {(run_module, "parse_checkout_form"): "parse",
             (planner_module, "parse_event"): "parse"}
    reads = ("stored_revisions", "ids_bought_between", "bought_at_of", "bought_at_times",
             "gone_form_ids", "pending_form_ids")
    saved = {(module, name): getattr(module, name) for module, name in names}
    saved_reads = {name: getattr(OrderRepository, name) for name in reads}
    for (module, name), label in names.items():
        setattr(module, name, meter.wrap(label, saved[module, name]))
    for name, function in saved_reads.items():
        setattr(OrderRepository, name, meter.wrap("db reads", function))
    try:
        yield
    finally:
        for (module, name), function in saved.items():
            setattr(module, name, function)
        for name, function in saved_reads.items():
            setattr(OrderRepository, name, function)


def _reset_peak_rss() -> None:
    """Reset the kernel's high-water mark of this process (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def _memory_kb(field: str) -> int:
    """VmRSS / VmHWM of this process in kB; ru_maxrss for VmHWM where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def sync_once(base_url: str, token: str, database: Database, *, emulator_pid: int,
              trace: bool, profile: bool) -> None:
    """One `SyncEngine.run()` of the app's code path, measured and printed."""
    orders = OrderRepository(database=database)
    state = SyncStateRepository(database=database)
    meter = _Meter()
    orders.apply_batch = meter.wrap("db writes", orders.apply_batch)  # type: ignore[method-assign]
    orders.gone_form_ids = meter.wrap("db reads",  # type: ignore[method-assign]
                                      orders.gone_form_ids)
    for name in ("start_run", "finish_run", "save_sync_state"):
        setattr(state, name, meter.wrap("db writes", getattr(state, name)))
    state.get_sync_state = meter.wrap("db reads",  # type: ignore[method-assign]
                                      state.get_sync_state)
    environment = environment_from_key(base_url).with_credentials(*CLIENT)

    async def run() -> SyncReport:
        counter = RequestCounter()
        async with make_http_client() as http:
            counter.install(http)
            client = AllegroClient(environment, http=http, tokens=_StaticToken(token),
                                   governor=RequestGovernor())
            for name in ("event_stats", "checkout_forms", "checkout_form", "order_events"):
                setattr(client, name, meter.wrap_async(name, getattr(client, name)))
            engine = SyncEngine(account_key=ACCOUNT, client=client,
                                orders=orders, state=state, counter=counter)
            return await engine.run()

    selector = _TimedSelector()
    loop = asyncio.SelectorEventLoop(selector)
    rss_before = _memory_kb("VmRSS")
    _reset_peak_rss()
    if trace:
        tracemalloc.start()
    emulator_cpu = _cpu_seconds(emulator_pid)
    cpu = time.process_time()
    profiler = cProfile.Profile() if profile else None
    try:
        with _patched(meter):
            if profiler is not None:
                profiler.enable()
            report = loop.run_until_complete(run())
    finally:
        if profiler is not None:
            profiler.disable()
        loop.close()
    cpu = time.process_time() - cpu
    emulator_cpu = _cpu_seconds(emulator_pid) - emulator_cpu
    heap_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    peak = _memory_kb("VmHWM")

    if not report.succeeded:
        print(f"  the sync {report.outcome}: {report.error}")
    wall = report.duration
    handled = report.new + report.updated + report.unchanged
    print(f"  {report.kind}: new {report.new:,}, updated {report.updated:,}, unchanged "
          f"{report.unchanged:,}, events {report.events:,}, malformed {report.malformed}")
    print(f"  wall time {wall:8.2f} s   requests {report.requests:,} (retries "
          f"{report.retries})   {handled / wall:,.0f} orders/s")
    memory = (f"  peak memory: RSS high-water mark {peak / 1024:,.0f} MB "
              f"(+{(peak - rss_before) / 1024:,.0f} MB over the {rss_before / 1024:,.0f} MB "
              f"before the sync)")
    if trace:
        memory += f"; tracemalloc peak {heap_peak / 2**20:,.0f} MB"
    print(memory)
    print(f"  CPU: this process {cpu:.2f} s, the emulator {emulator_cpu:.2f} s; "
          f"engine phases {', '.join(f'{k} {v:.2f} s' for k, v in report.phases.items())}")
    idle = selector.idle
    work = dict(meter.seconds)
    other = wall - idle - sum(work.values())
    print("  where the wall time went (the event loop's thread):")
    rows = [("waiting on the network (loop idle in select)", idle),
            ("parsing (parse_checkout_form, parse_event)", work.get("parse", 0.0)),
            ("database writes (apply_batch, run records)", work.get("db writes", 0.0)),
            ("database reads (reconcile, revisions, gone ids)", work.get("db reads", 0.0)),
            ("other CPU (httpx, JSON decoding, engine)", other)]
    for label, seconds in rows:
        print(f"    {label:<50} {seconds:7.2f} s {seconds / wall:6.0%}")
    for name, durations in meter.calls.items():
        mean, median = statistics.mean(durations), statistics.median(durations)
        print(f"    {name:<14} {len(durations):6,} calls, each {mean * 1000:6.0f} ms mean, "
              f"{median * 1000:6.0f} ms median (awaited: latency + queueing)")
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print("  cProfile, by own time (slows the sync; the figures above are profiled too):")
        lines = text.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join("    " + line.strip() for line in lines[start:] if line.strip()))


def run(orders: int, latency_ms: float, *, incremental: bool, trace: bool,
        profile: bool) -> None:
    process, base_url, startup = start_emulator(orders, "--seed", "1", "--history-days", "364",
                                                "--latency-ms", str(latency_ms))
    try:
        with httpx.Client(base_url=base_url, timeout=120) as http, \
                tempfile.TemporaryDirectory() as folder:
            token = device_token(http)
            print(f"\n{orders:,} orders, {latency_ms:g} ms latency — emulator start-up "
                  f"{startup:.1f} s (not counted)")
            database = Database.open(Path(folder) / "orders.sqlite3")
            try:
                print("first sync, new database")
                sync_once(base_url, token, database, emulator_pid=process.pid, trace=trace,
                          profile=profile)
                if incremental:
                    _change_orders(http, token, new=500, fulfilled=500)
                    print("incremental sync after 1 000 changed orders (500 new, 500 SENT)")
                    sync_once(base_url, token, database, emulator_pid=process.pid,
                              trace=trace, profile=profile)
                    _change_spread(http, 1000)
                    print("incremental sync after 1 000 fulfillment changes spread over the "
                          "whole history")
                    sync_once(base_url, token, database, emulator_pid=process.pid,
                              trace=trace, profile=profile)
                database.close()
                size = (Path(folder) / "orders.sqlite3").stat().st_size
                print(f"  database file {size / 1e6:,.0f} MB")
            finally:
                database.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    import logging
    if os.environ.get("BENCH_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("allegro_desktop.api").setLevel(logging.WARNING)
        logging.getLogger("allegro_desktop.storage").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--latency-ms", type=float, default=50.0,
                        help="added by the emulator to every request")
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace the Python heap's peak (slows the sync)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each sync and print its hottest functions")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}")
    for orders in args.orders:
        run(orders, args.latency_ms, incremental=not args.skip_incremental,
            trace=args.tracemalloc, profile=args.profile)


if __name__ == "__main__":
    main()
