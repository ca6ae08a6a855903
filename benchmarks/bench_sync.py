"""How long a real sync takes: the whole `allegro-desktop sync` command, the naive sequential way
and the engine alone, against an emulator process with network latency, side by side.

    python benchmarks/bench_sync.py                     # 10 000 and 100 000 orders, 50 ms
    python benchmarks/bench_sync.py --orders 10000 --runs 5
    python benchmarks/bench_sync.py --orders 5000 --latency-ms 20 --skip-incremental

For each order count, an emulator runs as its own process (`allegro-desktop emulator
--latency-ms L`, start-up not counted), and the first sync of every order is measured, in rounds
(`--runs`, medians printed; each round runs the three one after another, so a busy machine
slows all three alike):

- **command**: `python -m allegro_desktop --data-dir D sync --json` as its own process, as a
  seller or cron runs it — start-up, the account's token from the keyring, the database opened
  and migrated, the sync, the retention, the checkpoint and the automatic backup of a first
  sync. The account is connected once through the real device flow (`allegro-desktop login`,
  a test keyring file); before each round the database and its backups are deleted.
- **naive**: what most integrations do, as its own process (`naive_sync.py`):
  one list request after another (30-day `lineItems.boughtAt` windows, 100 forms a page by
  offset, a window past the 10 000 offsets halved), each page's JSON parsed and inserted (id,
  time, status, total and the raw JSON) in a transaction of its own. Only `httpx` and
  `sqlite3` imported: a minimal Python client.
- **engine**: `SyncEngine` in this process (imports and database opening not counted) with
  default `SyncSettings`, an `AllegroClient` over `make_http_client()`, the default
  `RequestGovernor` (9 000 requests a minute), into a new SQLite file (WAL).

Per run of the command and the naive client: wall time, CPU time (user + system) and peak
memory (the child's `ru_maxrss`, from `wait4`). Per engine run: wall time (the engine's
`SyncReport.duration`), HTTP requests sent, orders/s, this process's peak memory (VmHWM, reset
before the sync) and where the time went: the event loop's thread idle in `select()` (waiting
for the network) or busy parsing, writing and reading the database, and the same work done on
any other thread (a page writer's, if the engine has one: wall time on that thread, waits for
the GIL included).

Unless --skip-incremental, after the rounds: an incremental sync (the command and the engine,
each on its own database) after 1 000 orders changed (500 new orders, 500 fulfillment changes to
SENT of the latest orders, through the emulator's control API) — the everyday case; then the
engine after 1 000 fulfillment changes spread evenly over the whole history — the worst case
for the incremental planner. `--tracemalloc` also gives the Python heap's peak, `--profile`
the functions cProfile finds hottest on the loop's thread (both slow the sync down, so they are
off by default). Figures, not assertions: copy them into docs/PERFORMANCE.md, with the load
average printed (a loaded machine slows the CPU-bound command more than the network-bound
naive client).

The emulator runs with `--history-days 364`: its history then lies inside the engine's default
`history_days` (365), so the first sync gets every order.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import resource
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from emulator_process import CLIENT, device_token, start_emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allegro_desktop.api.client import AllegroClient, make_http_client  # noqa: E402
from allegro_desktop.api.environments import environment_from_key  # noqa: E402
from allegro_desktop.api.ratelimit import RequestGovernor  # noqa: E402
from allegro_desktop.storage import (  # noqa: E402
    Database,
    OrderRepository,
    SyncStateRepository,
)
from allegro_desktop.sync import RequestCounter, SyncEngine, SyncReport  # noqa: E402
from allegro_desktop.sync import planner as planner_module  # noqa: E402
from allegro_desktop.sync import run as run_module  # noqa: E402
from tests.helpers.processes import (  # noqa: E402
    app_env,
    code_from,
    shared_keyring,
    start_login,
    with_bytecode_cache,
)

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
        """Time `function`, under `label` on the loop's (main) thread, under "writer <label>"
        on any other (the run's page writer)."""
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                name = label if threading.current_thread() is threading.main_thread() \
                    else f"writer {label}"
                self.seconds[name] += time.perf_counter() - started
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
             "gone_form_ids", "pending_form_ids", "unchanged_forms")
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
              trace: bool, profile: bool) -> SyncReport:
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
    loop_work = sum(v for k, v in work.items() if not k.startswith("writer "))
    print("  where the wall time went — the event loop's thread:")
    rows = [("waiting (idle in select: the network, a writer's queue)", idle),
            ("parsing (forms fetched one by one, events)", work.get("parse", 0.0)),
            ("database writes (run records, stores outside a listing)",
             work.get("db writes", 0.0)),
            ("database reads (reconcile, revisions, forms as stored)", work.get("db reads", 0.0)),
            ("other CPU (httpx, JSON decoding, engine)", wall - idle - loop_work)]
    for label, seconds in rows:
        print(f"    {label:<58} {seconds:7.2f} s {seconds / wall:6.0%}")
    if any(key.startswith("writer ") for key in work):  # an engine storing on a thread
        print("  — the page writer's thread (wall time on it, waits for the GIL included):")
        for label, key in (("parsing the listed forms", "writer parse"),
                           ("apply_batch", "writer db writes"),
                           ("the back-fill's progress saved", "writer db reads")):
            seconds = work.get(key, 0.0)
            print(f"    {label:<58} {seconds:7.2f} s {seconds / wall:6.0%}")
    for name, durations in meter.calls.items():
        mean, median = statistics.mean(durations), statistics.median(durations)
        print(f"    {name:<14} {len(durations):6,} calls, each {mean * 1000:6.0f} ms mean, "
              f"{median * 1000:6.0f} ms median (awaited: latency + queueing)")
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print("  cProfile of the loop's thread, by own time (slows the sync; the figures "
              "above are profiled too):")
        lines = text.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join("    " + line.strip() for line in lines[start:] if line.strip()))
    return report


# -- the command and the naive client as processes ----------------------------------------------

@dataclass(frozen=True)
class _Process:
    """A finished child process: wall and CPU seconds, peak memory (MB), exit status, output."""

    wall: float
    cpu: float
    peak_mb: float
    status: int
    out: str
    err: str


#: Runs a command and writes its wall time, CPU time and peak memory (JSON) to a file: a small
#: process forks it, so the child's resident-set high-water mark starts from the launcher's few
#: MB — a child forked from this process would inherit this one's, engine runs included.
_LAUNCHER = """
import json, os, sys, time
report, args = sys.argv[1], sys.argv[2:]
began = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(args[0], args)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - began
with open(report, "w") as file:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
               "peak_kb": usage.ru_maxrss, "status": os.waitstatus_to_exitcode(status)}, file)
"""


def _measured(args: list[str], env: dict[str, str] | None = None) -> _Process:
    """Run `args` to their end: wall time, and from `wait4` the child's own CPU time and
    resident-set high-water mark (through `_LAUNCHER`)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "figures.json"
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *args],
                              capture_output=True, env=env, check=False)
        figures = json.loads(report.read_text())
    return _Process(wall=figures["wall"], cpu=figures["cpu"], peak_mb=figures["peak_kb"] / 1024,
                    status=figures["status"], out=done.stdout.decode(errors="replace"),
                    err=done.stderr.decode(errors="replace"))


def _login(http: httpx.Client, base_url: str, data: Path) -> None:
    """Connect the emulator's seller to the profile in `data`: `allegro-desktop login`,
    approved through the control API (its tokens in the profile's test keyring file)."""
    process = start_login(data, base_url, **shared_keyring(data))
    _lines, code = code_from(process)
    http.post("/__emulator__/device/approve", json={"user_code": code}).raise_for_status()
    _out, err = process.communicate(timeout=120)
    if process.returncode != 0:
        raise SystemExit(f"login failed: {err}")


def _forget_orders(data: Path) -> None:
    """The profile as before its first sync: no database, no backups (the account stays)."""
    for path in data.glob("orders.sqlite3*"):
        path.unlink()
    shutil.rmtree(data / "backups", ignore_errors=True)


def command_once(data: Path, env: dict[str, str]) -> tuple[_Process, dict[str, Any]]:
    """`allegro-desktop --data-dir DATA sync --json` as a process (environment `env`): its
    figures and its one report."""
    done = _measured([sys.executable, "-m", "allegro_desktop", "--data-dir", str(data), "sync",
                      "--json"], env=env)
    if done.status != 0:
        raise SystemExit(f"the sync command failed ({done.status}): {done.err[-2000:]}")
    (report,) = json.loads(done.out)
    return done, report


def naive_once(base_url: str, token: str, path: Path) -> _Process:
    """The naive sequential client (`naive_sync.py`) as a process, into a new file."""
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    done = _measured([sys.executable, str(Path(__file__).with_name("naive_sync.py")), base_url,
                      token, str(path)])
    if done.status != 0:
        raise SystemExit(f"the naive client failed ({done.status}): {done.err[-2000:]}")
    return done


def _median_row(label: str, runs: list[_Process], extra: str = "") -> None:
    walls = [run.wall for run in runs]
    print(f"  {label:<9} wall {statistics.median(walls):6.2f} s median "
          f"({', '.join(f'{w:.2f}' for w in walls)}); CPU "
          f"{statistics.median(run.cpu for run in runs):5.2f} s; peak memory "
          f"{max(run.peak_mb for run in runs):4.0f} MB{extra}")


def run(orders: int, latency_ms: float, *, runs: int, incremental: bool, trace: bool,
        profile: bool) -> None:
    process, base_url, startup = start_emulator(orders, "--seed", "1", "--history-days", "364",
                                                "--latency-ms", str(latency_ms),
                                                "--device-interval", "1")
    try:
        with httpx.Client(base_url=base_url, timeout=120) as http, \
                tempfile.TemporaryDirectory() as folder:
            token = device_token(http)
            profile_dir = Path(folder) / "profile"
            _login(http, base_url, profile_dir)
            # the app's modules compiled, as in an installed app (`with_bytecode_cache`)
            env = with_bytecode_cache(app_env(**shared_keyring(profile_dir)))
            print(f"\n{orders:,} orders, {latency_ms:g} ms latency — emulator start-up "
                  f"{startup:.1f} s (not counted)")
            commands: list[_Process] = []
            naives: list[_Process] = []
            engines: list[float] = []
            for round_number in range(1, runs + 1):
                load = os.getloadavg()[0]
                naive = naive_once(base_url, token, Path(folder) / "naive.sqlite3")
                naives.append(naive)
                _forget_orders(profile_dir)
                command, report = command_once(profile_dir, env)
                commands.append(command)
                print(f"round {round_number} (load average {load:.2f}): naive {naive.wall:.2f} s "
                      f"({naive.out.strip()} orders); command {command.wall:.2f} s (its sync "
                      f"{report['duration']:.2f} s, {report['new']:,} new, "
                      f"{report['requests']} requests, peak {command.peak_mb:.0f} MB); "
                      f"the engine alone:")
                engine_file = Path(folder) / f"engine-{round_number}.sqlite3"
                database = Database.open(engine_file)
                try:
                    engines.append(sync_once(base_url, token, database,
                                             emulator_pid=process.pid, trace=trace,
                                             profile=profile).duration)
                finally:
                    database.close()
                if round_number < runs:
                    for path in Path(folder).glob(f"engine-{round_number}.sqlite3*"):
                        path.unlink()
            print(f"first sync of {orders:,} orders, medians of {runs} rounds "
                  f"(load average now {os.getloadavg()[0]:.2f}):")
            ratio = statistics.median(c.wall / n.wall for c, n in zip(commands, naives,
                                                                        strict=True))
            _median_row("naive", naives)
            _median_row("command", commands, f"; command / naive {ratio:.2f} (median of "
                                             f"the rounds' ratios)")
            print(f"  engine    wall {statistics.median(engines):6.2f} s median "
                  f"({', '.join(f'{w:.2f}' for w in engines)})")
            if incremental:
                _change_orders(http, token, new=500, fulfilled=500)
                print("incremental sync after 1 000 changed orders (500 new, 500 SENT)")
                command, report = command_once(profile_dir, env)
                print(f"  command {command.wall:.2f} s (its sync {report['duration']:.2f} s: "
                      f"new {report['new']}, updated {report['updated']}, "
                      f"{report['requests']} requests; CPU {command.cpu:.2f} s, peak "
                      f"{command.peak_mb:.0f} MB); the engine alone:")
                database = Database.open(engine_file)
                try:
                    sync_once(base_url, token, database, emulator_pid=process.pid,
                              trace=trace, profile=profile)
                    _change_spread(http, 1000)
                    print("incremental sync after 1 000 fulfillment changes spread over the "
                          "whole history (the engine alone)")
                    sync_once(base_url, token, database, emulator_pid=process.pid,
                              trace=trace, profile=profile)
                finally:
                    database.close()
            size = engine_file.stat().st_size
            print(f"  database file {size / 1e6:,.0f} MB")
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
    parser.add_argument("--runs", type=int, default=3,
                        help="rounds of the first sync (medians printed)")
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace the Python heap's peak (slows the sync)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each sync and print its hottest functions")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}")
    for orders in args.orders:
        run(orders, args.latency_ms, runs=args.runs, incremental=not args.skip_incremental,
            trace=args.tracemalloc, profile=args.profile)


if __name__ == "__main__":
    main()
