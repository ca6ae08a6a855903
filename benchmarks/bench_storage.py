"""How fast the order database takes and gives orders (no network: the sync benchmarks add that).

    python benchmarks/bench_storage.py            # 10 000 orders
    python benchmarks/bench_storage.py 100000

Prints the time to parse generated checkout forms, to upsert them in one `apply_batch` (new,
unchanged, changed), to search, to read every raw form back, and to reopen the file. Figures,
not assertions: copy them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.emulator.generator import OrderGenerator
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_repository import OrderRepository

T = TypeVar("T")
NOW = datetime(2026, 11, 20, tzinfo=UTC)


def timed(label: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    print(f"  {label:<52} {time.perf_counter() - started:7.3f} s")
    return result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(f"{count:,} orders")
    history = timed("generate", lambda: OrderGenerator(seed=1, seller_id="1").history(
        count, now=NOW))
    forms = [order.form for order in history]
    orders = timed("parse", lambda: [parse_checkout_form(f, account_key="a") for f in forms])
    changed_forms = copy.deepcopy(forms)
    for form in changed_forms:
        form["fulfillment"]["status"] = "RETURNED"
    changed = [parse_checkout_form(f, account_key="a") for f in changed_forms]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.sqlite3"
        database = timed("open + migrate a new file", lambda: Database.open(path))
        repository = OrderRepository(database=database)
        for label, batch, cursor in (("new orders", orders, "1"),
                                     ("the same orders again (unchanged)", orders, "1"),
                                     ("orders with a fulfillment change", changed, "2")):
            result = timed(f"apply_batch: {label}", partial(repository.apply_batch, account_key="a",
                                   orders=batch, events=[], cursor=cursor))
            print(f"      new {result.new}, updated {result.updated}, "
                  f"unchanged {result.unchanged}")
        timed("search_ids('lodz') x100", lambda: [repository.search_ids("lodz", limit=200)
                                                  for _ in range(100)])
        timed("raw_forms() (every order back)", repository.raw_forms)
        database.close()
        print(f"  file size: {path.stat().st_size / 1e6:.1f} MB")
        timed("reopen (open checks + revision check)", lambda: Database.open(path).close())


if __name__ == "__main__":
    main()
