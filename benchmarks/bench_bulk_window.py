"""The window while a bulk status change runs: does the GUI thread ever stall over 50 ms?

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_bulk_window.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_bulk_window.py \\
        --orders 3000 --bulk 500 --latency-ms 50 --idle-seconds 10 --trace-stalls

An emulator runs as its own process (`allegro-desktop emulator --latency-ms L --rate-limit
9000`) with `--orders` orders over the last 364 days, plus `--bulk` paid orders at NEW created
through its control API. The window is wired as `app.run_gui` wires it (`MainWindow`,
`build_controllers`, `TabsController` with its `OrderProcessing`, a started `SyncWorker`, the
GUI thread's qasync loop running), over a fresh SQLite file and an account connected through
the device flow (tokens in a memory keyring). Sync now stores every order. Then, measured with
a heartbeat `QTimer` on the GUI thread (every 5 ms, precise; a stall is the gap between two
firings minus the 5 ms):

1. the idle window, `--idle-seconds` long: the baseline;
2. a bulk status change of the `--bulk` new orders as the seller makes it: the orders listed
   and selected (`TabsController.show_orders`, as a clicked notification does), "Set status →
   In progress" triggered, the confirmation shown and, 0.3 s later, answered Yes; the rows'
   pending marks, the progress dialog, the rows read again on each `actions_progressed` (every
   half second) and the list's refresh a second after `actions_sent`, until every order is
   sent and the table's last refresh is shown.

Printed: the stalls' distribution (max, p99, how many over 50 ms) of both phases, the time
from Yes to the orders queued (the table marked) and to all sent, the `actions_sent` signals
and table refreshes seen. `--trace-stalls` samples the GUI thread's stack from a watchdog
thread whenever a beat is 30 ms late, and prints where the longest stalls were spent, with
where the other threads were at those moments (the sampling itself costs a little).
`--trace-stalls` also prints a timeline of the run's start (the rows read again, the
dialog painted, the sending asked for). `--switch-interval-ms` sets Python's thread switch
interval instead of the window's (`ui.event_loop.SWITCH_INTERVAL`, 1 ms; Python's default is
5 ms) to see how much the other threads' hold on Python's lock stretches a stall. Figures,
not assertions: copy them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from emulator_process import device_tokens, start_emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEAT_MS = 5
STALL_LIMIT_MS = 50.0
TARGET_STATUS = "PROCESSING"


class Heartbeat:
    """A precise `BEAT_MS` QTimer on the GUI thread recording the gaps between its firings;
    `trace` also samples the GUI thread's stack while a beat is late (a watchdog thread)."""

    def __init__(self, *, trace: bool) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []  # ms between two firings
        #: (ms since start, gap, CPU of the GUI thread in the gap, CPU of the whole process
        #: in it; ms) of each stall over the limit: the GUI thread's CPU near the gap is its
        #: own work; little of it while the process ran is a GIL held by another thread; little
        #: of both, the OS ran other processes.
        self.long: list[tuple[float, float, float, float]] = []
        self.began = self.last = time.perf_counter()
        self.last_cpu, self.last_process = time.thread_time(), time.process_time()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.samples: Counter[str] = Counter()
        #: The other threads' stacks at the same moments ("[thread name] stack").
        self.others: Counter[str] = Counter()
        self._trace = trace
        self._gui = threading.get_ident()
        self._watching = False

    def _beat(self) -> None:
        now, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        gap = (now - self.last) * 1000
        self.gaps.append(gap)
        if gap - BEAT_MS > STALL_LIMIT_MS:
            self.long.append(((self.last - self.began) * 1000, gap,
                              (cpu - self.last_cpu) * 1000,
                              (process - self.last_process) * 1000))
        self.last, self.last_cpu, self.last_process = now, cpu, process

    def start(self) -> None:
        self.gaps.clear()
        self.long.clear()
        self.samples.clear()
        self.others.clear()
        self.began = self.last = time.perf_counter()
        self.last_cpu, self.last_process = time.thread_time(), time.process_time()
        self.timer.start()
        if self._trace:
            self._watching = True
            threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self.timer.stop()
        self._watching = False

    def _watch(self) -> None:
        while self._watching:
            time.sleep(0.002)
            if (time.perf_counter() - self.last) * 1000 < 30:
                continue
            frames = sys._current_frames()
            names = {thread.ident: thread.name for thread in threading.enumerate()}
            for ident, frame in frames.items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.extract_stack(frame)
                ours = [f for f in stack if "allegro_desktop" in f.filename
                        or "benchmarks" in f.filename] or stack
                where = "  <  ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                     for f in reversed(ours[-4:]))
                if ident == self._gui:
                    self.samples[where] += 1
                else:
                    self.others[f"[{names.get(ident, ident)}] {where}"] += 1

    def stalls(self) -> list[float]:
        return [max(0.0, gap - BEAT_MS) for gap in self.gaps]


def summary(name: str, heart: Heartbeat, seconds: float) -> str:
    stalls = sorted(heart.stalls())
    if not stalls:
        return f"  {name:34} no beats"
    p99 = stalls[min(len(stalls) - 1, round(0.99 * (len(stalls) - 1)))]
    p50 = stalls[len(stalls) // 2]
    over = sum(1 for s in stalls if s > STALL_LIMIT_MS)
    line = (f"  {name:34} {seconds:6.1f} s  beats {len(stalls):5}  stall p50 {p50:5.1f}  "
            f"p99 {p99:6.1f}  max {stalls[-1]:6.1f} ms  over {STALL_LIMIT_MS:.0f} ms: {over}")
    for at, gap, cpu, process in heart.long:
        line += (f"\n      at {at / 1000:5.2f} s: a gap of {gap:4.0f} ms; CPU in it: the GUI "
                 f"thread {cpu:5.1f} ms, the process {process:5.1f} ms")
    return line


def time_calls(owner: object, name: str, into: dict[str, list[float]], label: str) -> None:
    """Record how long each call of `owner.name` takes (ms) in `into[label]` (for methods
    looked up on the instance at each call: slots reached through lambdas and attributes)."""
    method = getattr(owner, name)
    into[label] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            into[label].append((time.perf_counter() - began) * 1000)

    setattr(owner, name, timed)


def trace_calls(tabs: Any, worker: Any, heart: Heartbeat) -> dict[str, list[Any]]:
    """Time the GUI thread's steps of a bulk run (ms a call), the table's paints (ms, the
    area, when) and note when the run's start happens (s since the bulk phase began)."""
    from allegro_desktop.ui.orders.processing import controller
    from allegro_desktop.ui.orders.processing.progress_dialog import BulkProgressDialog

    processing, table = tabs.processing, tabs.orders.table
    slots: dict[str, list[Any]] = {}
    time_calls(processing, "_on_queued", slots, "queued: the run, its dialog, the refresh")
    time_calls(processing, "_after_change", slots, "  of which the table refreshed")
    time_calls(controller, "BulkProgressDialog", slots, "  of which the dialog built")
    time_calls(tabs.orders.model, "update_seqs", slots, "the table's rows updated")
    marks: list[str] = []
    slots["the run's start (s since the question)"] = marks

    def mark(owner: object, name: str, label: str) -> None:
        method = getattr(owner, name)

        def marked(*args: Any, **kwargs: Any) -> Any:
            marks.append(f"{label} {time.perf_counter() - heart.began:.3f}")
            return method(*args, **kwargs)

        setattr(owner, name, marked)

    mark(processing, "_begin_run", "dialog shown")
    mark(BulkProgressDialog, "paintEvent", "dialog painted")
    mark(worker, "send_actions", "sending asked")
    mark(table, "refresh_visible_rows", "rows on screen read again")
    paints: list[str] = []
    slots["the table painted (ms, area px, at s)"] = paints
    paint = table.paintEvent

    def timed_paint(event: Any) -> Any:
        began, rect = time.perf_counter(), event.rect()
        try:
            return paint(event)
        finally:
            paints.append(f"{(time.perf_counter() - began) * 1000:.1f} ms "
                          f"{rect.width()}x{rect.height()} @{began - heart.began:.2f}")

    table.paintEvent = timed_paint
    return slots


def _control(http: httpx.Client, method: str, path: str, json: Any = None) -> Any:
    response = http.request(method, f"/__emulator__{path}", json=json)
    response.raise_for_status()
    return response.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--bulk", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--trace-stalls", action="store_true")
    parser.add_argument("--switch-interval-ms", type=float, default=None)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '')}")
    emulator, base_url, started = start_emulator(
        args.orders, "--latency-ms", str(args.latency_ms), "--rate-limit", "9000",
        "--history-days", "364", "--seed", "1", "--device-interval", "1")
    print(f"emulator: {args.orders:,} orders + {args.bulk} paid NEW, latency "
          f"{args.latency_ms:g} ms, rate limit 9000/min (start-up {started:.1f} s)")
    try:
        with tempfile.TemporaryDirectory() as folder, \
                httpx.Client(base_url=base_url, timeout=30) as http:
            bulk_ids = [_control(http, "POST", "/orders", {"checkoutForm": {
                "status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}})[
                "checkoutForms"][0]["id"] for _ in range(args.bulk)]
            run_window(args, base_url, http, Path(folder), bulk_ids)
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def run_window(args: argparse.Namespace, base_url: str, http: httpx.Client, folder: Path,
               bulk_ids: list[str]) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from allegro_desktop.api.models import TokenPair
    from allegro_desktop.app import build_controllers, freeze_startup_objects
    from allegro_desktop.auth.token_store import TokenStore
    from allegro_desktop.config.app_services import open_app_services
    from allegro_desktop.config.paths import resolve_paths
    from allegro_desktop.config.ui_state import UiState
    from allegro_desktop.domain.accounts import Account
    from allegro_desktop.storage import Database
    from allegro_desktop.sync.worker import SyncWorker
    from allegro_desktop.ui.event_loop import close_event_loop, new_event_loop
    from allegro_desktop.ui.orders.processing.run import Step
    from allegro_desktop.ui.window.main_window import MainWindow
    from allegro_desktop.ui.window.tabs import TabsController
    from tests.helpers.memory_keyring import MemoryKeyring

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    loop = new_event_loop(app)  # sets the app's switch interval
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1000)

    paths = resolve_paths(folder / "app")
    services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()))
    tokens = device_tokens(http)
    environment = services.environment(base_url)
    me = http.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}",
                                  "Accept": "application/vnd.allegro.public.v1+json"}).json()
    account = Account(seller_id=str(me["id"]), login=me["login"], environment=environment.key)
    now = time.time()
    services.store.save(account.key, TokenPair(
        access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
        access_expires_at=now + tokens["expires_in"], refresh_expires_at=now + 90 * 86400,
        scope=tokens.get("scope", "")))
    services.registry.add_or_update(account)

    database = Database.open(paths.database)
    worker = SyncWorker(source=services, database=database,
                        settings=services.settings.sync_settings())
    worker.start()
    window = MainWindow(demo=None, data_dir=str(paths.data_dir))
    accounts, sync = build_controllers(
        window=window, services=services, worker=worker, database=database,
        environment=environment, environment_error=None, sync_interval=0)
    tabs = TabsController(window=window, database=database, worker=worker,
                          ui_state=UiState(paths.config_dir / "ui-state.ini"),
                          source=services, parent=window)
    accounts.accounts_changed.connect(tabs.set_accounts)
    tabs.set_accounts(services.registry.all())
    tabs.restore_state()
    window.show()
    freeze_startup_objects()
    sync.start()  # automatic syncs off: Sync now below

    heart = Heartbeat(trace=args.trace_stalls)
    sent_signals: list[tuple[float, int]] = []
    resets: list[float] = []
    worker.actions_sent.connect(lambda outcomes: sent_signals.append(
        (time.perf_counter(), len(outcomes))))
    model = tabs.orders.model
    model.modelReset.connect(lambda: resets.append(time.perf_counter()))
    model.layoutChanged.connect(lambda *_: resets.append(time.perf_counter()))
    processing = tabs.processing
    slots = trace_calls(tabs, worker, heart) if args.trace_stalls else {}
    total = args.orders + args.bulk

    async def until(condition: Callable[[], bool], timeout: float = 600) -> None:
        end = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > end:
                raise SystemExit("timed out")
            await asyncio.sleep(0.01)

    def listed() -> bool:
        return (not tabs.orders.list_state.is_loading()
                and tabs.orders.result_count() == total)

    async def scenario() -> None:
        began = time.perf_counter()
        finished: list[object] = []
        worker.sync_finished.connect(finished.append)
        sync.sync_now()
        await until(lambda: bool(finished) and not worker.busy)
        await until(listed)
        print(f"setup: Sync now stored {total:,} orders and the table lists them in "
              f"{time.perf_counter() - began:.1f} s\n")

        heart.start()
        idle_began = time.perf_counter()
        await asyncio.sleep(args.idle_seconds)
        heart.stop()
        idle = (heart.stalls(), time.perf_counter() - idle_began, Counter(heart.samples))
        idle_line = summary("1. idle window (baseline)", heart, idle[1])

        tabs.show_orders(bulk_ids)
        await until(lambda: tabs.orders.table.selected_count() == len(bulk_ids)
                    and not tabs.orders.list_state.is_loading())
        sent_signals.clear()
        resets.clear()
        heart.start()  # the times of the bulk phase below count from here
        for calls in slots.values():
            calls.clear()
        processing.status_actions[TARGET_STATUS].trigger()
        box = processing.message
        assert box is not None
        assert box.objectName() == "confirmBulk"
        await until(box.isVisible)
        await asyncio.sleep(0.3)  # the seller reads the question
        clicked = time.perf_counter()
        box.button(QMessageBox.StandardButton.Yes).click()
        await until(lambda: bool(processing.runs))
        queued = time.perf_counter() - clicked
        run, dialog = processing.runs[-1]
        await until(lambda: run.finished)
        all_sent = time.perf_counter() - clicked
        await until(lambda: not processing.list_refresh_pending()
                    and not tabs.orders.list_state.is_loading() and not worker.busy)
        await asyncio.sleep(0.2)  # the last refresh painted
        heart.stop()
        bulk_seconds = time.perf_counter() - clicked
        print("GUI thread stalls (gap between 5 ms beats minus 5 ms):")
        print(idle_line)
        print(summary(f"2. bulk status change of {len(bulk_ids)}", heart, bulk_seconds))
        print(f"\nbulk change: the question shown at 0.00 s, Yes at "
              f"{clicked - heart.began:.2f} s; from Yes: orders queued, table marked "
              f"{queued:.2f} s; "
              f"→ all sent {all_sent:.1f} s "
              f"({run.count(Step.SENT)} sent, {run.count(Step.FAILED)} failed, "
              f"{run.count(Step.REFUSED)} refused; dialog shows {dialog.progress_bar.value()}"
              f"/{dialog.progress_bar.maximum()})")
        print(f"  actions_sent signals: {len(sent_signals)} "
              f"({', '.join(f'at {t - heart.began:.2f} s: {n}' for t, n in sent_signals[:12])}"
              f"{' …' if len(sent_signals) > 12 else ''})")
        print(f"  table refreshes (model resets and layout changes): {len(resets)} (at "
              f"{', '.join(f'{t - heart.began:.2f} s' for t in resets[:12])})")
        if slots:
            print("\ntimed on the GUI thread (ms a call) during the bulk phase:")
            for label, calls in slots.items():
                shown = (f"{ms:.1f}" if isinstance(ms, float) else str(ms) for ms in calls[:16])
                print(f"  {label:42} {', '.join(shown)}")
        for name, samples in (("idle", idle[2]), ("bulk", heart.samples)):
            if samples:
                print(f"\nwhere the GUI thread was while a beat was over 30 ms late ({name}, "
                      f"samples every 2 ms):")
                for stack, count in samples.most_common(8):
                    print(f"  {count * 2:5d} ms  {stack}")
        if heart.others:
            print("\nthe other threads at those moments (bulk):")
            for stack, count in heart.others.most_common(14):
                print(f"  {count * 2:5d} ms  {stack}")

    try:
        loop.run_until_complete(scenario())
    finally:
        tabs.shutdown()
        worker.shutdown(timeout=20)
        close_event_loop(loop)
        database.close()


if __name__ == "__main__":
    main()
