"""`OrderListLoader`: the order list's queries, run off the GUI thread (ARCHITECTURE.md
"Threads and event loops", "The orders workspace").

The table shows the result of one query — the ordered seqs of the orders a filter selects —
and the quick-filter buttons show counts. On a million orders either can take longer than a
frame, so both run on a `TaskQueue` (`ui/tasks.py`) and come back as signals; the GUI thread
never waits for them.

Every `load()` is a new generation of the queue's "seqs" lane (the counts and the filter
choices have lanes of their own). A query whose generation is no longer the newest stops at
its next piece (its generator is closed, which ends the SQLite statement), and any of its
results still on their way to the GUI thread are dropped, so a receiver only ever sees results
of the newest request. The queue has more than one thread so a new query starts at once,
instead of waiting for the piece an outdated one is still reading (the seller typed another
letter).

The seqs arrive in pieces (`OrderQueries.iter_seqs`): a small first piece — the first screen —
as soon as SQLite has it, then big chunks, all from one statement (one snapshot). The rows of
the first screen are read here too and arrive just before the first piece (`first_rows_ready`),
so the table paints them without reading the database on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from array import array
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, Signal

from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.ui.tasks import Task, TaskQueue, failure_text

__all__ = ["OrderListLoader"]

#: How long the counts of a request wait for its first screen of seqs before they run anyway.
_COUNTS_WAIT_S = 1.0

#: The queue's lanes: a new request supersedes only the earlier ones of its lane.
_SEQS: Final = "seqs"
_COUNTS: Final = "counts"
_FACETS: Final = "facets"


@dataclass(frozen=True, slots=True)
class _Piece:
    """What a seqs query hands over: the `number`-th piece of its result (from 0), and with
    the first piece the rows of its first screen (else None)."""

    number: int
    seqs: array[int]
    first_rows: dict[int, OrderRow] | None


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
        self._tasks = TaskQueue("order list", threads=threads, parent=self)
        self._running_seqs: int | None = None  # generation still delivering seqs

    # -- requests (GUI thread) ------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The newest request's generation (0 before the first)."""
        return self._tasks.generation(_SEQS)

    def is_loading(self) -> bool:
        """Whether the newest request's seqs are still arriving."""
        return self._running_seqs is not None

    def load(self, order_filter: OrderFilter, sort: OrderSort, *,
             counts: bool = True) -> int:
        """Start the query for `order_filter` in `sort` order (and, if `counts`, the
        quick-filter counts for it); older requests are abandoned. Returns its generation."""
        self._check_running()
        first_out = threading.Event()
        generation = self._tasks.submit(
            lambda task: self._read_seqs(task, order_filter, sort, first_out), lane=_SEQS,
            progress=self._on_seqs_piece, done=self._on_seqs_done,
            failed=self._on_seqs_failed).generation
        self._running_seqs = generation
        if counts:
            self._submit_counts(generation, order_filter, first_out)
        return generation

    def load_counts(self, order_filter: OrderFilter) -> int:
        """Only the counts (for the current generation: they replace older counts)."""
        self._check_running()
        generation = self.generation
        self._submit_counts(generation, order_filter, None)
        return generation

    def load_facets(self) -> None:
        self._check_running()
        generation = self.generation
        self._tasks.submit(lambda _task: self._queries.facets(), lane=_FACETS,
                           done=self.facets_ready.emit,
                           failed=lambda error: self._on_failed(generation, error))

    def cancel(self) -> None:
        """Abandon every running request (their results are dropped)."""
        self._tasks.cancel_all()
        self._running_seqs = None

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Abandon everything and wait for the queue's threads; False if they did not end in
        time. The loader takes no request afterwards."""
        self.cancel()
        return self._tasks.shutdown(timeout_ms)

    def _check_running(self) -> None:
        if self._tasks.is_shut_down:
            raise RuntimeError("the order list loader is stopped")

    def _submit_counts(self, generation: int, order_filter: OrderFilter,
                       first_out: threading.Event | None) -> None:
        self._tasks.submit(
            lambda task: self._read_counts(task, order_filter, first_out), lane=_COUNTS,
            done=lambda counts: self.counts_ready.emit(generation, counts),
            failed=lambda error: self._on_failed(generation, error))

    # -- the queue's threads ----------------------------------------------------------------

    def _read_seqs(self, task: Task[_Piece], order_filter: OrderFilter, sort: OrderSort,
                   first_out: threading.Event) -> int:
        """The seqs, reported piece by piece; returns their number. `first_out` is set once
        the first piece is out, or the query ended without one (the counts wait for it)."""
        try:
            task.raise_if_cancelled()
            total = 0
            pieces = self._queries.iter_seqs(order_filter, sort, first=self._first_piece,
                                             chunk=self._chunk)
            try:
                index = 0
                for piece in pieces:
                    task.raise_if_cancelled()  # closing the generator ends the statement
                    total += len(piece)
                    rows = None
                    if index == 0 and self._first_rows > 0:
                        rows = self._queries.rows(piece[:self._first_rows])
                    task.report(_Piece(index, piece, rows))
                    if index == 0:
                        first_out.set()
                    index += 1
                if index == 0:  # nothing matched: still a result, an empty one
                    task.report(_Piece(0, array("q"), None))
                return total
            finally:
                pieces.close()
        finally:
            first_out.set()

    def _read_counts(self, task: Task[None], order_filter: OrderFilter,
                     first_out: threading.Event | None) -> dict[QuickFilter, int]:
        # The first screen of the list comes first: on two cores the counts, run at the same
        # time, delayed it by a third.
        # (A stale request stops waiting at once, so waiting never holds up the queue.)
        deadline = time.monotonic() + _COUNTS_WAIT_S
        while first_out is not None and not first_out.wait(0.02):
            if task.is_cancelled() or time.monotonic() > deadline:
                break
        task.raise_if_cancelled()
        return self._queries.quick_counts(order_filter)

    # -- results (GUI thread) -------------------------------------------------------------

    # Only the newest request's seqs arrive: its generation is the lane's.

    def _on_seqs_piece(self, piece: _Piece) -> None:
        generation = self.generation
        if piece.first_rows is not None:
            self.first_rows_ready.emit(generation, piece.first_rows)
        if piece.number == 0:
            self.seqs_started.emit(generation, piece.seqs)
        else:
            self.seqs_extended.emit(generation, piece.seqs)

    def _on_seqs_done(self, total: int) -> None:
        self._running_seqs = None
        self.seqs_finished.emit(self.generation, total)

    def _on_seqs_failed(self, error: Exception) -> None:
        self._on_failed(self.generation, error)

    def _on_failed(self, generation: int, error: Exception) -> None:
        if generation == self._running_seqs:
            self._running_seqs = None
        self.failed.emit(generation, failure_text(error))
