"""`OrderListLoader`: the order list's queries, run off the GUI thread (ARCHITECTURE.md
"Threads and event loops", "The orders workspace").

The table shows the result of one query — the ordered seqs of the orders a filter selects —
and the quick-filter buttons show counts. On a million orders either can take longer than a
frame, so both run on a small private `QThreadPool` and come back as queued signals; the GUI
thread never waits for them.

Every `load()` gets a new generation number. A query whose generation is no longer the newest
stops at its next piece (its generator is closed, which ends the SQLite statement), and any of
its results still queued for the GUI thread are dropped there, so a receiver only ever sees
results of the newest request. The pool has more than one thread so a new query starts at once,
instead of waiting for the piece an outdated one is still reading (the seller typed another
letter).

The seqs arrive in pieces (`OrderQueries.iter_seqs`): a small first piece — the first screen —
as soon as SQLite has it, then big chunks, all from one statement (one snapshot). The rows of
the first screen are read here too and arrive just before the first piece (`first_rows_ready`),
so the table paints them without reading the database on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.storage.order_query import Facets, OrderQueries
from allegro_desktop.ui.i18n import translated

__all__ = ["OrderListLoader"]

log = logging.getLogger("allegro_desktop.ui")

#: How long the counts of a request wait for its first screen of seqs before they run anyway.
_COUNTS_WAIT_S = 1.0


class _Relay(QObject):
    """Carries results from pool threads to the loader (queued: the loader lives on the GUI
    thread). A separate object so a pool thread never touches the loader itself."""

    seqs_piece = Signal(int, int, object)  # generation, index of the piece, array('q')
    first_rows = Signal(int, object)  # generation, dict[int, OrderRow]
    seqs_done = Signal(int, int)  # generation, total
    counts = Signal(int, object)  # generation, dict[QuickFilter, int]
    facets = Signal(int, object)  # request number, Facets
    error = Signal(int, str)  # generation, message


class OrderListLoader(QObject):
    """Runs `OrderQueries.iter_seqs`, `quick_counts` and `facets` in the background.

    Only results of the newest request reach the signals (see the module's docstring). Call
    `stop()` before the loader or its database goes away: it stops the running queries and
    waits for their threads.

    Signals:
        first_rows_ready(int, object): generation, the rows (`dict[int, OrderRow]` by seq)
            of the first `first_rows` seqs of a new result, just before `seqs_started`.
        seqs_started(int, object): generation, the first piece (`array('q')` of seqs, maybe
            empty) of a new result.
        seqs_extended(int, object): generation, the next piece of the same result.
        seqs_finished(int, int): generation, the total number of seqs of the result.
        counts_ready(int, object): generation, `dict[QuickFilter, int]` for that request's
            filter (every quick filter, the others' conditions applied).
        facets_ready(object): the `Facets` (the values the filters offer).
        failed(int, str): generation, what went wrong in words for the seller; the request
            produced nothing more.
    """

    first_rows_ready = Signal(int, object)
    seqs_started = Signal(int, object)
    seqs_extended = Signal(int, object)
    seqs_finished = Signal(int, int)
    counts_ready = Signal(int, object)
    facets_ready = Signal(object)
    failed = Signal(int, str)

    def __init__(self, *, queries: OrderQueries, first_piece: int = 256,
                 first_rows: int = 100, chunk: int = 65536, threads: int = 3,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._first_piece = first_piece
        self._first_rows = first_rows
        self._chunk = chunk
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        # Written on the GUI thread, read by pool threads between pieces: plain ints under the
        # GIL are enough, a stale read only delays the stop by one piece.
        self._generation = 0
        self._counts_generation = 0
        self._facets_request = 0
        self._stopped = False
        self._running_seqs: int | None = None  # generation still delivering seqs
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.first_rows.connect(self._on_relay_first_rows, queued)
        self._relay.seqs_piece.connect(self._on_relay_seqs_piece, queued)
        self._relay.seqs_done.connect(self._on_relay_seqs_done, queued)
        self._relay.counts.connect(self._on_relay_counts, queued)
        self._relay.facets.connect(self._on_relay_facets, queued)
        self._relay.error.connect(self._on_relay_error, queued)

    # -- requests (GUI thread) ------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The newest request's generation (0 before the first)."""
        return self._generation

    def is_loading(self) -> bool:
        """Whether the newest request's seqs are still arriving."""
        return self._running_seqs is not None

    def load(self, order_filter: OrderFilter, sort: OrderSort, *,
             counts: bool = True) -> int:
        """Start the query for `order_filter` in `sort` order (and, if `counts`, the
        quick-filter counts for it); older requests are abandoned. Returns its generation."""
        if self._stopped:
            raise RuntimeError("the order list loader is stopped")
        self._generation += 1
        generation = self._generation
        self._running_seqs = generation
        first_out = threading.Event()
        self._submit(lambda: self._run_seqs(generation, order_filter, sort, first_out))
        if counts:
            self._counts_generation = generation
            self._submit(lambda: self._run_counts(generation, order_filter, first_out))
        return generation

    def load_counts(self, order_filter: OrderFilter) -> int:
        """Only the counts (for the current generation: they replace older counts)."""
        if self._stopped:
            raise RuntimeError("the order list loader is stopped")
        generation = self._generation
        self._counts_generation = generation
        self._submit(lambda: self._run_counts(generation, order_filter))
        return generation

    def load_facets(self) -> None:
        if self._stopped:
            raise RuntimeError("the order list loader is stopped")
        self._facets_request += 1
        request = self._facets_request
        self._submit(lambda: self._run_facets(request))

    def cancel(self) -> None:
        """Abandon every running request (their results are dropped)."""
        self._generation += 1
        self._counts_generation = self._generation
        self._facets_request += 1
        self._running_seqs = None

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Abandon everything and wait for the pool's threads; False if they did not end in
        time. The loader takes no request afterwards."""
        self._stopped = True
        self.cancel()
        return bool(self._pool.waitForDone(timeout_ms))

    def _submit(self, job: Callable[[], None]) -> None:
        self._pool.start(job)

    # -- pool threads -------------------------------------------------------------------------

    def _run_seqs(self, generation: int, order_filter: OrderFilter, sort: OrderSort,
                  first_out: threading.Event) -> None:
        """`first_out` is set once the first piece is out, or the query ended without one
        (the counts wait for it)."""
        try:
            if generation != self._generation:
                return
            self._read_seqs(generation, order_filter, sort, first_out)
        finally:
            first_out.set()

    def _read_seqs(self, generation: int, order_filter: OrderFilter, sort: OrderSort,
                   first_out: threading.Event) -> None:
        total = 0
        pieces = self._queries.iter_seqs(order_filter, sort, first=self._first_piece,
                                         chunk=self._chunk)
        try:
            index = 0
            for piece in pieces:
                if generation != self._generation:
                    return  # closing the generator ends the statement
                total += len(piece)
                if index == 0 and self._first_rows > 0:
                    self._relay.first_rows.emit(
                        generation, self._queries.rows(piece[:self._first_rows]))
                self._relay.seqs_piece.emit(generation, index, piece)
                if index == 0:
                    first_out.set()
                index += 1
            if generation != self._generation:
                return
            if index == 0:  # nothing matched: still a result, an empty one
                self._relay.seqs_piece.emit(generation, 0, array("q"))
            self._relay.seqs_done.emit(generation, total)
        except AppError as exc:
            self._relay.error.emit(generation, translated(exc))
        except Exception as exc:  # a bug: logged with its traceback and shown as one
            log.exception("order list query failed")
            self._relay.error.emit(generation, f"{type(exc).__name__}: {exc}")
        finally:
            pieces.close()

    def _run_counts(self, generation: int, order_filter: OrderFilter,
                    first_out: threading.Event | None = None) -> None:
        # The first screen of the list comes first: on two cores the counts, run at the same
        # time, delayed it by a third.
        # (A stale request stops waiting at once, so waiting never holds up the pool.)
        deadline = time.monotonic() + _COUNTS_WAIT_S
        while first_out is not None and not first_out.wait(0.02):
            if generation != self._counts_generation or time.monotonic() > deadline:
                break
        if generation != self._counts_generation:
            return
        self._run(generation, lambda: self._relay.counts.emit(
            generation, self._queries.quick_counts(order_filter)))

    def _run_facets(self, request: int) -> None:
        if request != self._facets_request:
            return
        self._run(self._generation, lambda: self._relay.facets.emit(
            request, self._queries.facets()))

    def _run(self, generation: int, job: Callable[[], Any]) -> None:
        try:
            job()
        except AppError as exc:
            self._relay.error.emit(generation, translated(exc))
        except Exception as exc:  # a bug: logged with its traceback and shown as one
            log.exception("order list query failed")
            self._relay.error.emit(generation, f"{type(exc).__name__}: {exc}")

    # -- results (GUI thread) -------------------------------------------------------------

    @Slot(int, object)
    def _on_relay_first_rows(self, generation: int, rows: Any) -> None:
        if generation != self._generation or self._stopped:
            return
        self.first_rows_ready.emit(generation, rows)

    @Slot(int, int, object)
    def _on_relay_seqs_piece(self, generation: int, index: int, piece: Any) -> None:
        if generation != self._generation or self._stopped:
            return
        if index == 0:
            self.seqs_started.emit(generation, piece)
        else:
            self.seqs_extended.emit(generation, piece)

    @Slot(int, int)
    def _on_relay_seqs_done(self, generation: int, total: int) -> None:
        if generation != self._generation or self._stopped:
            return
        self._running_seqs = None
        self.seqs_finished.emit(generation, total)

    @Slot(int, object)
    def _on_relay_counts(self, generation: int, counts: Any) -> None:
        if generation != self._counts_generation or self._stopped:
            return
        self.counts_ready.emit(generation, dict[QuickFilter, int](counts))

    @Slot(int, object)
    def _on_relay_facets(self, request: int, facets: Any) -> None:
        if request != self._facets_request or self._stopped:
            return
        assert isinstance(facets, Facets)
        self.facets_ready.emit(facets)

    @Slot(int, str)
    def _on_relay_error(self, generation: int, message: str) -> None:
        if self._stopped or generation not in (self._generation, self._counts_generation):
            return
        if generation == self._running_seqs:
            self._running_seqs = None
        self.failed.emit(generation, message)
