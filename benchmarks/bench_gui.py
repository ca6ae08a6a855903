"""The Orders tab on a million orders, as a seller uses it: start-up, filter/sort/search changes,
typing, scrolling — measured in the real widgets (offscreen), with a heartbeat on the GUI thread.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--orders 1000000]

The database comes from `benchmarks/million.py` (built once, cached in benchmarks/.cache/).
Printed, never asserted:

- start-up: from this script's first line (Python already running) to the first rows painted:
  imports, `Database.open`, the window, the first query's first piece, a paint;
- first screen after a change: from the change (a quick filter, a sort, a search text, a date
  preset) to the first piece of the new result painted — p50 / p95 / max;
- GUI blocking: a 5 ms heartbeat timer on the GUI thread records every gap longer than 50 ms
  while the script types a search letter by letter (120 ms apart, a fast typist), scrolls
  (a page or a random jump every frame, each repainted) and sorts; the longest gap is what
  a seller would feel as a freeze. Between steps the script idles in the event loop, as the
  app does (rows read in the background arrive then and are painted);
- peak RSS of the process.
"""

from __future__ import annotations

import time
from functools import partial

STARTED = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before the imports on purpose
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from million import cached_database  # noqa: E402


def main() -> None:  # noqa: C901 - one measurement after another
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    info = cached_database(args.orders)
    begun = time.perf_counter()  # building/reusing the database is not the app's start-up

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from allegro_desktop.app import freeze_startup_objects
    from allegro_desktop.config.ui_state import UiState
    from allegro_desktop.domain.filters import OrderColumn, OrderSort, QuickFilter
    from allegro_desktop.storage import Database
    from allegro_desktop.storage.order_query import OrderQueries
    from allegro_desktop.ui.orders.list_state import DatePreset
    from allegro_desktop.ui.orders.workspace import OrdersWorkspace

    app = QApplication([])  # noqa: F841 - kept alive for the run
    opened = time.perf_counter()
    database = Database.open(info.path)
    open_s = time.perf_counter() - opened
    state = Path(tempfile.mkdtemp()) / "ui-state.ini"

    phase = ["start-up"]
    stalls: list[tuple[str, float]] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        if now - last[0] > 0.05:
            stalls.append((phase[0], (now - last[0]) * 1000))
        last[0] = now

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    heart.start()

    workspace = OrdersWorkspace(queries=OrderQueries(database=database),
                                ui_state=UiState(state))
    workspace.set_details_widget(QLabel("details"))
    workspace.resize(1280, 800)
    workspace.show()
    freeze_startup_objects()  # as run_gui does once the window shows
    resets: list[float] = []
    workspace.model.modelReset.connect(lambda: resets.append(time.perf_counter()))

    def wait(condition: Callable[[], bool], timeout: float = 120) -> None:
        """Run the event loop until `condition` holds, as the app's own loop runs: idle in
        the event dispatcher between events (a loop of processEvents() instead would keep
        the GUI thread busy and hold Python's GIL from the query threads)."""
        if condition():
            return
        end = time.perf_counter() + timeout
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(1)
        poll.timeout.connect(lambda: loop.quit() if condition()
                             or time.perf_counter() > end else None)
        poll.start()
        loop.exec()
        poll.stop()

    wait(lambda: bool(resets))
    workspace.table.viewport().repaint()
    painted = time.perf_counter()
    print(f"{info.orders:,} orders in {info.path} ({info.path.stat().st_size / 2**30:.1f} GB)")
    print(f"start-up to first painted rows: {painted - begun:.2f} s "
          f"(Database.open {open_s:.2f} s; Python and the benchmark's own imports before it: "
          f"{begun - STARTED:.2f} s)")
    wait(lambda: not workspace.list_state.is_loading())
    print(f"  ... all {workspace.result_count():,} ids and the quick-filter counts: "
          f"{time.perf_counter() - begun:.2f} s")

    def timed(name: str, action: Callable[[], None]) -> float:
        phase[0] = name
        resets.clear()
        last[0] = started = time.perf_counter()
        action()
        wait(lambda: bool(resets), 60)
        workspace.table.viewport().repaint()
        first = time.perf_counter() - started
        wait(lambda: not workspace.list_state.is_loading())
        return first

    results: dict[str, list[float]] = {"quick filter": [], "sort": [], "search": [],
                                       "date preset": []}
    for _ in range(2):
        for quick in QuickFilter:
            results["quick filter"].append(timed(f"quick {quick}",
                                                 partial(workspace.set_quick_filter, quick)))
        for column in list(OrderColumn)[:15]:
            for descending in (False, True):
                results["sort"].append(timed(
                    f"sort {column}", partial(workspace.set_sort, OrderSort(column, descending))))
        workspace.set_sort(OrderSort())
        for text in ("lodz", "kowalski", "kubek", "warszawa", "anna", "604", "etui"):
            results["search"].append(timed(f"search {text}",
                                           partial(workspace.set_search_text, text)))
        workspace.set_search_text("")
        wait(lambda: not workspace.list_state.is_loading())
        for preset in (DatePreset.TODAY, DatePreset.LAST_7_DAYS, DatePreset.THIS_MONTH,
                       DatePreset.LAST_MONTH, DatePreset.ALL):
            results["date preset"].append(timed(f"date {preset}",
                                                partial(workspace.set_date_preset, preset)))
    print("\nfrom a change to the first screen of rows painted (ms):")
    print(f"  {'change':14} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8}")
    everything = []
    for name, times in results.items():
        everything += times
        print(f"  {name:14} {len(times):4} {_p(times, 50):8.0f} {_p(times, 95):8.0f} "
              f"{max(times) * 1000:8.0f}")
    print(f"  {'all':14} {len(everything):4} {_p(everything, 50):8.0f} "
          f"{_p(everything, 95):8.0f} {max(everything) * 1000:8.0f}")

    # typing: one letter every 120 ms; the debounce runs one query when the typing pauses
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    stalls.clear()
    phase[0] = "typing"
    last[0] = time.perf_counter()
    for word in ("kowalska", "łódź piotrkowska", "etui samsung"):
        workspace.filter_bar.search_edit.clear()
        for letter in word:
            # keyClick takes one character, Polish ones too (keyClicks asserts on them);
            # PySide6's stubs know only its Qt.Key form
            QTest.keyClick(workspace.filter_bar.search_edit, letter)  # type: ignore[call-overload]
            pause = time.perf_counter() + 0.12
            wait(lambda pause=pause: time.perf_counter() >= pause)  # type: ignore[misc]
        wait(lambda: not workspace.list_state.is_loading())
    QTest.keyClick(workspace.filter_bar.search_edit, Qt.Key.Key_Escape)
    workspace.set_search_text("")
    wait(lambda: not workspace.list_state.is_loading())

    phase[0] = "scrolling"
    bar = workspace.table.verticalScrollBar()
    rng = random.Random(1)
    repaints = []
    last[0] = time.perf_counter()
    for step in range(400):
        if step % 2:
            bar.setValue(rng.randint(0, bar.maximum()))
        else:
            bar.setValue(bar.value() + 30 * workspace.table.verticalHeader().defaultSectionSize())
        started = time.perf_counter()
        workspace.table.viewport().repaint()
        repaints.append(time.perf_counter() - started)
        frame = time.perf_counter() + 1 / 60  # a scroll step a frame, as a wheel gives them
        wait(lambda frame=frame: time.perf_counter() >= frame)  # type: ignore[misc]
    phase[0] = "sorting"
    for column in (OrderColumn.TOTAL, OrderColumn.CITY, OrderColumn.BUYER_NAME):
        timed("sorting", partial(workspace.set_sort, OrderSort(column, True)))
    heart.stop()
    print(f"\nscrolling: repaint after a jump p50 {_p(repaints, 50):.0f} ms, "
          f"p95 {_p(repaints, 95):.0f} ms, max {max(repaints) * 1000:.0f} ms")
    worst: dict[str, float] = {}
    for name, gap in stalls:
        kind = name.split(" ")[0]
        worst[kind] = max(worst.get(kind, 0.0), gap)
    print("longest GUI-thread block while typing / scrolling / sorting: "
          + ", ".join(f"{k} {worst.get(k, 0):.0f} ms" for k in ("typing", "scrolling",
                                                                  "sorting")))
    print(f"gaps over 50 ms: {len(stalls)}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    workspace.shutdown()
    database.close()


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))] * 1000


if __name__ == "__main__":
    main()
