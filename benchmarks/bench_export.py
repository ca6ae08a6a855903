"""How fast the spreadsheet export writes a big shop's orders (no network, no Qt).

    python benchmarks/bench_export.py             # 100 000 orders
    python benchmarks/bench_export.py 20000

The database — emulator-generated Polish orders of two seller accounts, stored by
`OrderRepository.apply_batch` as a sync stores them — is built once in a child process and
cached as `benchmarks/.cache/export-<N>.sqlite3` (git ignores the folder through a
`.gitignore` of its own). Then each export of every order is timed in a fresh child process,
so its peak RSS is its own: CSV, XLSX and JSON one row per order, and CSV one row per line
item; with the table's columns (what the dialog checks by default) and with every column.
Targets (the issue): CSV under 3 s, XLSX under 20 s. Figures, not assertions: copy them into
docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort  # noqa: E402
from allegro_desktop.storage.database import Database  # noqa: E402
from allegro_desktop.storage.order_query import OrderQueries  # noqa: E402

NOW = datetime(2026, 11, 20, tzinfo=UTC)
CACHE = ROOT / "benchmarks" / ".cache"
#: Seller accounts and their shares of the orders (a seller with a second, smaller account).
ACCOUNTS = (("production|1", "1", 0.7), ("production|2", "2", 0.3))
#: Orders generated, parsed and stored at a time (keeps the builder's memory moderate).
SLICE = 10_000
#: Each case: format, rows per order or per line item, and the columns: the table's (what
#: the dialog checks by default; per line item with the item's columns) or every column.
CASES = {
    "csv": ("csv", "order", "table"),
    "csv every column": ("csv", "order", "all"),
    "csv line items": ("csv", "line_item", "table"),
    "xlsx": ("xlsx", "order", "table"),
    "xlsx every column": ("xlsx", "order", "all"),
    "json every column": ("json", "order", "all"),
}
TARGETS = {"csv": 3.0, "xlsx": 20.0}


def cached_database(count: int) -> Path:
    """The cached database of `count` orders, built (in a child process) if missing."""
    CACHE.mkdir(exist_ok=True)
    ignore = CACHE / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# benchmark databases: rebuilt on demand, never committed\n*\n")
    path = CACHE / f"export-{count}.sqlite3"
    if path.exists():
        with Database.open(path) as database:  # migrates a file of an older schema
            if OrderQueries(database=database).count(OrderFilter()) == count:
                return path
        path.unlink()
    print(f"building {path.relative_to(ROOT)} (once) ...", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--build", str(count), str(path)], check=True)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def build(count: int, path: Path) -> None:
    """Generate `count` orders of history, parse and store them as the sync does."""
    from allegro_desktop.api.parsing import parse_checkout_form
    from allegro_desktop.emulator.generator import OrderGenerator
    from allegro_desktop.storage.order_repository import OrderRepository

    temporary = path.with_suffix(".building")
    for leftover in CACHE.glob(f"{temporary.name}*"):
        leftover.unlink()
    with Database.open(temporary) as database:
        repository = OrderRepository(database=database)
        for account_key, seller_id, share in ACCOUNTS:
            number = round(count * share) if seller_id != ACCOUNTS[-1][1] else (
                count - sum(round(count * s) for _k, _i, s in ACCOUNTS[:-1]))
            forms = [order.form for order in OrderGenerator(seed=5, seller_id=seller_id)
                     .history(number, now=NOW, days=730)]
            for start in range(0, len(forms), SLICE):
                orders = [parse_checkout_form(form, account_key=account_key)
                          for form in forms[start:start + SLICE]]
                repository.apply_batch(account_key=account_key, orders=orders, events=[],
                                       cursor=None)
                print(f"  {account_key}: {start + len(orders):,} / {number:,}", flush=True)
            del forms
        with database.write() as connection:
            connection.exec_driver_sql("ANALYZE")
    os.replace(temporary, path)


def run_case(path: Path, case: str) -> None:
    """One export of every order, timed; prints one line of figures."""
    from allegro_desktop.services.export import (
        ExportFormat,
        ExportPer,
        ExportRequest,
        ItemColumn,
        default_columns,
        export_orders,
    )

    fmt, per = ExportFormat(CASES[case][0]), ExportPer(CASES[case][1])
    columns = default_columns(per) if CASES[case][2] == "table" else (*OrderColumn, *ItemColumn)
    with Database.open(path) as database, tempfile.TemporaryDirectory() as tmp:
        queries = OrderQueries(database=database)
        target = Path(tmp) / f"orders.{fmt.value}"
        request = ExportRequest(fmt=fmt, per=per, columns=columns, order_filter=OrderFilter(),
                                sort=OrderSort(), delimiter=";", decimal_comma=True)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = export_orders(queries, request, target)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        size = target.stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    target_text = f"(target {TARGETS[case]:.0f} s)" if case in TARGETS else ""
    print(f"  {case:<18} {len(request.effective_columns):>2} cols {report.rows:>8,} rows "
          f"{seconds:6.2f} s (CPU {cpu:5.2f} s) {report.rows / seconds:>7,.0f} rows/s "
          f"{size:5.1f} MB  peak RSS {peak:4.0f} MB {target_text}", flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        build(int(sys.argv[2]), Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--case"]:
        run_case(Path(sys.argv[2]), sys.argv[3])
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    path = cached_database(count)
    print(f"export of {count:,} orders, each in a fresh process "
          f"({path.stat().st_size / 1e6:.0f} MB database)")
    for case in CASES:
        subprocess.run([sys.executable, __file__, "--case", str(path), case], check=True)


if __name__ == "__main__":
    main()
