"""How fast `allegro-desktop print` makes one PDF of many orders, through the whole command
(a real process: start-up, the database, the layout, the PDF written atomically).

    python benchmarks/bench_print.py          # 500 orders
    python benchmarks/bench_print.py 2000

A data folder with N emulator-generated orders (stored as a sync stores them) is built in a
temporary folder; then `print packing-slips` (A4 and labels) and `print pick-list` of every
order each run three times: the best and the median wall time, the CPU time the process used
(on a busy machine the wall time waits for the other processes), the PDF's size and pages.
Target (issue 15): packing slips for 500 orders under 5 s. Figures, not assertions: copy them
into docs/PERFORMANCE.md with the machine's load (printed first).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allegro_desktop.config.paths import resolve_paths  # noqa: E402
from tests.helpers.stored_shop import store_seller_shop  # noqa: E402

RUNS = 3


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {orders} orders, wall best/median and "
          f"median CPU (user+system) of {RUNS}")
    with tempfile.TemporaryDirectory(prefix="bench-print-") as folder:
        paths = resolve_paths(Path(folder) / "profile")
        store_seller_shop(paths.database, orders=orders).close()
        env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
        for label, args in (("packing slips, A4", ["packing-slips"]),
                            ("packing slips, 100x150 labels", ["packing-slips", "--size",
                                                               "label"]),
                            ("pick list, A4", ["pick-list"])):
            out = Path(folder) / "out.pdf"
            times, cpu = [], []
            for _run in range(RUNS):
                used = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir",
                                str(paths.data_dir), "--language", "pl", "print", *args,
                                "--out", str(out)], check=True, env=env,
                               stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
            pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                                   check=False).stdout
            count = next((line.split()[1] for line in pages.splitlines()
                          if line.startswith("Pages:")), "?")
            print(f"  {label:32} best {min(times):5.2f} s  median "
                  f"{statistics.median(times):5.2f} s  CPU {statistics.median(cpu):5.2f} s  "
                  f"{out.stat().st_size / 1e6:5.1f} MB  "
                  f"{count} pages")


if __name__ == "__main__":
    main()
