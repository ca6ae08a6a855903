"""A realistic order database of a million orders for the workspace benchmarks, written fast.

    python benchmarks/million.py                    # build or reuse the 1 000 000 in the cache
    python benchmarks/million.py --orders 200000    # another size (its own cache file)
    python benchmarks/million.py --orders 2000 --verify   # the rows equal apply_batch's?

Syncing a million orders from the emulator would take hours and the emulator cannot hold them,
so this writes the database directly, at the current schema: `Database.open` creates the file
(the migrations run), then plain `executemany`s fill `orders`, `order_forms`, `line_items`,
`orders_fts`, `order_events` and `sync_state` in big transactions, with the secondary indexes
dropped during the load and recreated (from their own SQL, so the schema stays exactly the
app's) at the end, then `ANALYZE`, and the file is back in WAL mode as the app leaves it.

The orders are the emulator's (`OrderGenerator`): Polish buyers, cities and offers, statuses
cut at "now" so old orders are SENT / PICKED_UP and the last days still to process, unpaid or
under way, the shop's weekly and seasonal rhythm and growth. Three accounts of one seller over
four years (70 % / 22 % / 8 %, the third one opened 18 months ago); orders are numbered
(`orders.seq`) in purchase order, as syncing them as they come would. Every order has the
events its story went through in the journal (about five), as an app syncing for years records
them. The generator's private pieces (`_make_order`, `_purchase_times`) are used because its
public `history()` builds one list of every order (gigabytes for a million) in one process: the
generation runs in a pool of processes, a window of 5 000 orders at a time.

What goes into each row is what `OrderRepository.apply_batch` writes, by its own code: every
form goes through `parse_checkout_form` and the repository's `_order_row` / `_item_row` /
`fts_values` / `dump_json`, events through `parse_event`. `--verify` builds a small database
both ways (this, and `apply_batch` of the same parsed orders and events) and compares every
table row by row.

The file is cached in `benchmarks/.cache/million-<N>.sqlite3` and reused while its schema
revision, order count and seed match (a marker in `app_meta` says what it holds).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import multiprocessing
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Final

import orjson

from allegro_desktop.api.parsing import parse_checkout_form, parse_event
from allegro_desktop.emulator import generator as emulator_generator
from allegro_desktop.emulator.generator import OrderGenerator, _iso_ms
from allegro_desktop.emulator.store import _event_order
from allegro_desktop.storage import migrations
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_repository import (
    OrderRepository,
    _item_row,
    _order_row,
    dump_json,
)
from allegro_desktop.storage.schema import (
    FTS_COLUMNS,
    line_items,
    order_events,
    orders,
)
from allegro_desktop.storage.search import fts_values
from allegro_desktop.storage.times import to_ms

__all__ = ["ACCOUNTS", "CACHE", "BenchDatabase", "analyze", "build_database", "cached_database",
           "drop_statistics", "has_statistics", "read_info"]

CACHE: Final = Path(__file__).resolve().parent / ".cache"
#: Bumped when what the builder writes changes: a cached file of another format is rebuilt.
FORMAT: Final = 1
MARKER_KEY: Final = "benchmark_data"
#: (account key, seller id, share of the orders, days of history).
ACCOUNTS: Final = (
    ("production|48213377", "48213377", 0.70, 4 * 365 + 1),
    ("production|60324418", "60324418", 0.22, 4 * 365 + 1),
    ("production|71455102", "71455102", 0.08, 548),
)
#: Orders per window: one task of the process pool, one transaction.
WINDOW: Final = 5000
_EVENT_ID_BASE: Final = 10**15  # event ids are 16-digit numbers, like Allegro's
_EVENTS_PER_WINDOW: Final = 10**6

_ORDER_COLUMNS: Final = tuple(c.name for c in orders.columns)
_ITEM_COLUMNS: Final = tuple(c.name for c in line_items.columns)
_EVENT_COLUMNS: Final = tuple(c.name for c in order_events.columns if c.name != "seq")


def _insert(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


_INSERT_ORDER: Final = _insert("orders", _ORDER_COLUMNS)
_INSERT_FORM: Final = _insert("order_forms", ("seq", "raw"))
_INSERT_ITEM: Final = _insert("line_items", _ITEM_COLUMNS)
_INSERT_FTS: Final = _insert("orders_fts", ("rowid", *FTS_COLUMNS))
_INSERT_EVENT: Final = _insert("order_events", _EVENT_COLUMNS)


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """A built database: where it is and what it holds. `now` is the moment its data ends
    (stories are cut there): date filters like "today" are relative to it."""

    path: Path
    orders: int
    seed: int
    now: datetime
    accounts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Window:
    """One task: the orders number `first` .. `first + len(picks) - 1` (0-based, purchase
    order), each (purchase time in ms, account index)."""

    index: int
    first: int
    seed: int
    now_ms: int
    picks: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class _Rows:
    """The rows of one window, as tuples in the insert statements' column order."""

    orders: list[tuple[Any, ...]]
    forms: list[tuple[int, str]]
    items: list[tuple[Any, ...]]
    fts: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    last_event_ids: dict[str, int]


# -- generating ------------------------------------------------------------------------------

_generators: dict[tuple[int, str], OrderGenerator] = {}


def _generator(seed: int, seller_id: str) -> OrderGenerator:
    """One generator (catalogue: offer ids and prices) per seller, the same in every window."""
    key = (seed, seller_id)
    if key not in _generators:
        _generators[key] = OrderGenerator(seed=seed, seller_id=seller_id)
    return _generators[key]


def _windows(total: int, seed: int, now_ms: int) -> Iterator[_Window]:
    """Every order's purchase time and account, in purchase order, cut into windows."""
    counts = [round(total * share) for _, _, share, _ in ACCOUNTS]
    counts[0] += total - sum(counts)
    picks: list[tuple[int, int]] = []
    for index, ((_, seller_id, _, days), count) in enumerate(zip(ACCOUNTS, counts,
                                                                  strict=True)):
        rng = random.Random(f"allegro-desktop/bench/times/{seed}/{seller_id}")
        times = OrderGenerator._purchase_times(rng, count, now_ms, days)
        picks.extend((t0, index) for t0 in times)
    picks.sort()
    for number, first in enumerate(range(0, total, WINDOW)):
        yield _Window(index=number, first=first, seed=seed, now_ms=now_ms,
                      picks=tuple(picks[first:first + WINDOW]))


@dataclass(frozen=True, slots=True)
class _Event:
    """A journal event of a generated order: its id, type, time and the form's revision."""

    id: str
    type: str
    occurred_at: str  # as Allegro writes it
    occurred_ms: int
    revision: str


@dataclass(frozen=True, slots=True)
class GeneratedOrder:
    """An order as the emulator would serve it: its checkout form and its journal events."""

    account_key: str
    seller_id: str
    form: dict[str, Any]
    events: tuple[_Event, ...]

    def raw_events(self) -> list[dict[str, Any]]:
        """The events as /order/events lists them (the emulator's shape)."""
        return [{"id": event.id,
                 "order": _event_order(self.seller_id, self.form, self.form["id"],
                                       event.revision),
                 "type": event.type,
                 "occurredAt": event.occurred_at} for event in self.events]

    def raw_event_texts(self) -> list[str]:
        """`raw_events()` as the compact JSON `apply_batch` stores, built from one JSON text
        of the `order` part per revision instead of one per event (a quarter of the
        generation time otherwise; ids, types and times need no escaping)."""
        parts: dict[str, str] = {}
        texts = []
        for event in self.events:
            if event.revision not in parts:
                parts[event.revision] = orjson.dumps(_event_order(
                    self.seller_id, self.form, self.form["id"], event.revision)).decode()
            texts.append(f'{{"id":"{event.id}","order":{parts[event.revision]},'
                         f'"type":"{event.type}","occurredAt":"{event.occurred_at}"}}')
        return texts


def window_orders(window: _Window) -> list[GeneratedOrder]:
    """The window's orders, in purchase order. Event ids grow with the time the events
    happened (within the window; the windows' ids follow one another)."""
    made = []
    contexts: dict[int, Any] = {}
    for t0, account in window.picks:
        seller_id = ACCOUNTS[account][1]
        if account not in contexts:
            contexts[account] = emulator_generator._Ctx(emulator_generator._FastRandom(
                f"allegro-desktop/bench/{window.seed}/{seller_id}/{window.index}"))
        made.append((account, _generator(window.seed, seller_id)._make_order(
            contexts[account], t0, window.now_ms, None)))
    happened = sorted((event.occurred_at, number, position)
                      for number, (_, generated) in enumerate(made)
                      for position, event in enumerate(generated.events))
    event_ids = {(number, position): _EVENT_ID_BASE + window.index * _EVENTS_PER_WINDOW + rank
                 for rank, (_, number, position) in enumerate(happened)}
    result = []
    for number, (account, generated) in enumerate(made):
        events = []
        for position, event in enumerate(generated.events):
            moment = to_ms(event.occurred_at)
            events.append(_Event(id=str(event_ids[number, position]), type=event.type,
                                 occurred_at=_iso_ms(moment), occurred_ms=moment,
                                 revision=event.revision))
        result.append(GeneratedOrder(account_key=ACCOUNTS[account][0],
                                     seller_id=ACCOUNTS[account][1], form=generated.form,
                                     events=tuple(events)))
    return result


def _window_rows(window: _Window) -> _Rows:
    """The rows `apply_batch` would write for the window's orders (run in a worker)."""
    gc.disable()  # millions of small acyclic objects: the collector finds nothing, slowly
    try:
        rows = _Rows([], [], [], [], [], {})
        for seq, generated in enumerate(window_orders(window), start=window.first + 1):
            account_key = generated.account_key
            order = parse_checkout_form(generated.form, account_key=account_key)
            row = _order_row(order, window.now_ms)
            row["seq"] = seq
            rows.orders.append(tuple(row[name] for name in _ORDER_COLUMNS))
            rows.forms.append((seq, dump_json(order.raw)))
            for position, item in enumerate(order.line_items):
                item_row = _item_row(order.id, position, item)
                rows.items.append(tuple(item_row[name] for name in _ITEM_COLUMNS))
            search = fts_values(order)
            rows.fts.append((seq, *(search[name] for name in FTS_COLUMNS)))
            # What `parse_event` gives and `_append_events` stores, without parsing each
            # event back: `verify` holds the two to the same rows.
            for event, text in zip(generated.events, generated.raw_event_texts(),
                                   strict=True):
                rows.events.append((account_key, event.id, int(event.id), event.type,
                                    event.occurred_ms, order.id, event.revision,
                                    window.now_ms, text))
            if generated.events:
                last = max(int(event.id) for event in generated.events)
                rows.last_event_ids[account_key] = max(
                    rows.last_event_ids.get(account_key, 0), last)
        return rows
    finally:
        gc.enable()


# -- writing ---------------------------------------------------------------------------------


def _pooled(windows: Sequence[_Window], workers: int) -> Iterator[_Rows]:
    """The windows' rows in order, computed by `workers` processes, at most a few windows
    ahead of the writer (a window's rows are tens of megabytes)."""
    if workers <= 1:
        yield from map(_window_rows, windows)
        return
    with multiprocessing.Pool(workers) as pool:
        pending: deque[AsyncResult[_Rows]] = deque()
        queued = iter(windows)
        for window in itertools.islice(queued, workers + 1):
            pending.append(pool.apply_async(_window_rows, (window,)))
        while pending:
            rows = pending.popleft().get()
            for window in itertools.islice(queued, 1):
                pending.append(pool.apply_async(_window_rows, (window,)))
            yield rows


def build_database(path: str | os.PathLike[str], orders: int = 1_000_000, seed: int = 1, *,
                   now: datetime | None = None, workers: int | None = None,
                   progress: Callable[[str], None] = print) -> BenchDatabase:
    """Write a new database of `orders` orders at `path` (replacing any file there).

    `now`: where the data ends (default: the current minute). `workers`: generating processes
    (default: the CPU count). Built in `<path>.part`, renamed when complete: a file at `path`
    is always a whole one.
    """
    target = Path(path)
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    now_ms = to_ms(moment)
    part = target.with_name(target.name + ".part")
    for leftover in (part, *_companions(part)):
        leftover.unlink(missing_ok=True)
    Database.open(part).close()  # the schema, by the migrations
    started = time.perf_counter()
    connection = sqlite3.connect(part, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # a half-built file is thrown away
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -400000")  # 400 MB: the unique indexes
        connection.execute("PRAGMA temp_store = MEMORY")
        indexes = _drop_indexes(connection)
        windows = list(_windows(orders, seed, now_ms))
        cursors: dict[str, int] = {}
        written = events = 0
        for rows in _pooled(windows, workers or os.cpu_count() or 1):
            connection.execute("BEGIN")
            connection.executemany(_INSERT_ORDER, rows.orders)
            connection.executemany(_INSERT_FORM, rows.forms)
            connection.executemany(_INSERT_ITEM, rows.items)
            connection.executemany(_INSERT_FTS, rows.fts)
            connection.executemany(_INSERT_EVENT, rows.events)
            connection.execute("COMMIT")
            for account_key, last in rows.last_event_ids.items():
                cursors[account_key] = max(cursors.get(account_key, 0), last)
            written += len(rows.orders)
            events += len(rows.events)
            if written % 50_000 < WINDOW or written == orders:
                elapsed = time.perf_counter() - started
                progress(f"  {written:>9,} / {orders:,} orders, {events:,} events"
                         f"  {elapsed:6.1f} s  ({written / elapsed:,.0f} orders/s)")
        phase = time.perf_counter()
        for sql in indexes:
            connection.execute(sql)
        progress(f"  indexes recreated in {time.perf_counter() - phase:.1f} s")
        _finish(connection, cursors, orders=orders, seed=seed, moment=moment)
        phase = time.perf_counter()
        connection.execute("ANALYZE")
        progress(f"  ANALYZE in {time.perf_counter() - phase:.1f} s")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    for leftover in _companions(part):
        leftover.unlink(missing_ok=True)
    os.replace(part, target)
    progress(f"  {target} ({target.stat().st_size / 1e9:.2f} GB) in "
             f"{time.perf_counter() - started:.0f} s")
    return BenchDatabase(path=target, orders=orders, seed=seed, now=moment,
                         accounts=tuple(account for account, *_ in ACCOUNTS))


def _companions(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _drop_indexes(connection: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes of the big tables (filling a table and then indexing it is
    several times faster than keeping 17 indexes up to date row by row); returns their SQL.
    The unique constraints' own indexes stay (they have no SQL of their own)."""
    found = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('orders', 'line_items', 'order_events')").fetchall()
    for name, _ in found:
        connection.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _finish(connection: sqlite3.Connection, cursors: dict[str, int], *, orders: int, seed: int,
            moment: datetime) -> None:
    """Each account's sync state (synced a minute ago, back-fill done, cursor at its last
    event) and the marker that says what the file holds."""
    now_ms = to_ms(moment)
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO sync_state (account_key, event_cursor, cursor_saved_at, backfill_done, "
        "last_rescan_at, last_success_at) VALUES (?, ?, ?, 1, ?, ?)",
        [(account, str(cursors.get(account, "")) or None, now_ms, now_ms, now_ms)
         for account, *_ in ACCOUNTS])
    connection.execute(
        "INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)",
        (MARKER_KEY, orjson.dumps({"format": FORMAT, "orders": orders, "seed": seed,
                                   "now": moment.isoformat()}).decode()))
    connection.execute("COMMIT")


# -- the cache -------------------------------------------------------------------------------


def read_info(path: str | os.PathLike[str], *,
              any_revision: bool = False) -> BenchDatabase | None:
    """What a file built here holds; None if it is missing, not at the current schema
    revision (`any_revision`: at a revision the migrations know, i.e. head or older), of
    another builder format, or its order count differs from its marker."""
    file = Path(path)
    if not file.exists():
        return None
    connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        known = ({script.revision for script in migrations.script_directory().walk_revisions()}
                 if any_revision else {migrations.script_directory().get_current_head()})
        if len(revision) != 1 or revision[0][0] not in known:
            return None
        row = connection.execute("SELECT value FROM app_meta WHERE key = ?",
                                 (MARKER_KEY,)).fetchone()
        marker = orjson.loads(row[0]) if row else {}
        if marker.get("format") != FORMAT:
            return None
        count = connection.execute("SELECT count(*) FROM orders").fetchone()[0]
        if count != marker.get("orders"):
            return None
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return BenchDatabase(path=file, orders=count, seed=int(marker["seed"]),
                         now=datetime.fromisoformat(marker["now"]),
                         accounts=tuple(account for account, *_ in ACCOUNTS))


def cached_database(orders: int = 1_000_000, seed: int = 1, *,
                    cache: Path = CACHE, rebuild: bool = False,
                    progress: Callable[[str], None] = print) -> BenchDatabase:
    """The database of `orders` orders in the cache folder: reused when it matches, else
    built (a few minutes for a million)."""
    path = cache / f"million-{orders}.sqlite3"
    info = None if rebuild else read_info(path)
    if not rebuild and info is None:
        info = _migrated(path, progress)
    if info is not None and info.seed == seed:
        progress(f"reusing {path} ({info.orders:,} orders up to {info.now:%Y-%m-%d %H:%M} UTC)")
        if not has_statistics(path):
            progress("  its statistics were dropped (by bench_workspace --without-stats): "
                     "ANALYZE")
            analyze(path)
        return info
    progress(f"building {path}: {orders:,} orders (seed {seed})")
    return build_database(path, orders, seed, progress=progress)


def _migrated(path: Path, progress: Callable[[str], None]) -> BenchDatabase | None:
    """A cached file at an older schema revision, brought to head by the app's own
    migrations (`Database.open`; minutes instead of the hour a rebuild takes), with ANALYZE's
    statistics made current again for the new tables and indexes. None if there is no such
    file."""
    if read_info(path, any_revision=True) is None:
        return None
    progress(f"migrating {path} to the current schema")
    started = time.perf_counter()
    Database.open(path).close()
    progress(f"  migrated in {time.perf_counter() - started:.1f} s")
    if has_statistics(path):
        phase = time.perf_counter()
        tables = _analyze_new(path)
        progress(f"  ANALYZE of {', '.join(tables) or 'nothing'} in "
                 f"{time.perf_counter() - phase:.1f} s")
    return read_info(path)


def _analyze_new(path: Path) -> list[str]:
    """ANALYZE the tables that have an index (or rows) without statistics yet — the ones the
    migrations added or changed; analyzing all of a 12 GB file would take minutes."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        known = {name for pair in connection.execute("SELECT tbl, idx FROM sqlite_stat1")
                 for name in pair if name}
        tables = sorted({table for table, name in connection.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
            if name not in known and not table.startswith("orders_fts")})
        for table in tables:
            connection.execute(f'ANALYZE "{table}"')
        return tables
    finally:
        connection.close()


def has_statistics(path: Path) -> bool:
    """Whether ANALYZE's statistics are in the file (the app itself never runs ANALYZE)."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
                                  ).fetchone() is not None
    finally:
        connection.close()


def analyze(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("ANALYZE")
    finally:
        connection.close()


def drop_statistics(path: Path) -> None:
    """Remove ANALYZE's statistics: the query planner then guesses, as in the app's own files."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("DROP TABLE IF EXISTS sqlite_stat1")
    finally:
        connection.close()


# -- verification ----------------------------------------------------------------------------


def verify(orders: int = 2000, seed: int = 1) -> bool:
    """Build `orders` orders here and through `apply_batch`, compare every table; print the
    differences. True when the two databases hold the same rows."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with tempfile.TemporaryDirectory() as folder:
        built = build_database(Path(folder) / "built.sqlite3", orders, seed, now=now,
                               workers=1, progress=lambda _: None)
        reference = Database.open(Path(folder) / "reference.sqlite3", clock=lambda: now)
        repository = OrderRepository(database=reference)
        for window in _windows(orders, seed, to_ms(now)):
            by_account: dict[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]] = {}
            for generated in window_orders(window):
                by_account.setdefault(generated.account_key, []).append(
                    (generated.form, generated.raw_events()))
            for account_key, pairs in by_account.items():
                repository.apply_batch(
                    account_key=account_key,
                    orders=[parse_checkout_form(form, account_key=account_key)
                            for form, _ in pairs],
                    events=[parse_event(raw) for _, events in pairs for raw in events],
                    cursor=None)
        reference.close()
        differences = 0
        for label, query in {"schema": _SCHEMA, **_COMPARED}.items():
            ours = _rows_of(built.path, query)
            theirs = _rows_of(Path(folder) / "reference.sqlite3", query)
            missing, extra = theirs - ours, ours - theirs
            differences += len(missing) + len(extra)
            print(f"  {label:<12} {len(ours):>7,} rows here, {len(theirs):>7,} by apply_batch, "
                  f"{len(missing)} missing, {len(extra)} different")
            for row in list(missing)[:2] + list(extra)[:2]:
                print(f"      {row}")
    return differences == 0


_SCHEMA: Final = ("SELECT type, name, tbl_name, sql FROM sqlite_master "
                  "WHERE name NOT LIKE 'sqlite_stat%'")
#: Each table as a set of comparable rows: orders and search rows by the order's id (not
#: `seq`, which depends on the order of insertion), events without their own `seq`.
_COMPARED: Final = {
    "orders": f"SELECT {', '.join(c for c in _ORDER_COLUMNS if c != 'seq')} FROM orders",
    "order_forms": "SELECT o.id, f.raw FROM order_forms f JOIN orders o USING (seq)",
    "line_items": f"SELECT {', '.join(_ITEM_COLUMNS)} FROM line_items",
    "orders_fts": f"SELECT o.id, {', '.join('s.' + c for c in FTS_COLUMNS)} "
                  f"FROM orders_fts s JOIN orders o ON o.seq = s.rowid",
    "order_events": f"SELECT {', '.join(_EVENT_COLUMNS)} FROM order_events",
}


def _rows_of(path: Path, query: str) -> set[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return set(connection.execute(query))
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build even if cached")
    parser.add_argument("--verify", action="store_true",
                        help="compare with apply_batch (a temporary database; no cache)")
    args = parser.parse_args()
    if args.verify:
        same = verify(args.orders, args.seed)
        print("same rows as apply_batch" if same else "DIFFERENT from apply_batch")
        sys.exit(0 if same else 1)
    info = cached_database(args.orders, args.seed, rebuild=args.rebuild)
    print(f"{info.path}: {info.orders:,} orders up to {info.now:%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
