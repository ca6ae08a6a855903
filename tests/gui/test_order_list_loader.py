"""`OrderListLoader`: the order list's queries on background threads, against a real SQLite file
filled with the emulator's Polish orders."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.list_loader import OrderListLoader
from tests.helpers.stored_shop import store_seller_shop


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = store_seller_shop(tmp_path_factory.mktemp("loader") / "orders.sqlite3")
    yield database
    database.close()


@pytest.fixture
def queries(database: Database) -> OrderQueries:
    return OrderQueries(database=database)


class Recorder:
    """Everything a loader emits, in order."""

    def __init__(self, loader: OrderListLoader) -> None:
        self.events: list[tuple[str, Any]] = []
        self.seqs: dict[int, array[int]] = {}
        self.finished: dict[int, int] = {}
        loader.seqs_started.connect(self._on_started)
        loader.seqs_extended.connect(self._on_extended)
        loader.seqs_finished.connect(self._on_finished)
        loader.counts_ready.connect(lambda g, c: self.events.append(("counts", (g, c))))
        loader.facets_ready.connect(lambda f: self.events.append(("facets", f)))
        loader.failed.connect(lambda g, m: self.events.append(("failed", (g, m))))

    def _on_started(self, generation: int, piece: array[int]) -> None:
        self.events.append(("started", generation))
        assert generation not in self.seqs, "a result started twice"
        self.seqs[generation] = array("q", piece)

    def _on_extended(self, generation: int, piece: array[int]) -> None:
        self.events.append(("extended", generation))
        self.seqs[generation].extend(piece)

    def _on_finished(self, generation: int, total: int) -> None:
        self.events.append(("finished", generation))
        self.finished[generation] = total

    def generations(self) -> set[int]:
        return {event[1] if isinstance(event[1], int) else event[1][0]
                for event in self.events if event[0] != "facets"}


@pytest.fixture
def make_loader(queries: OrderQueries) -> Iterator[Any]:
    made: list[OrderListLoader] = []

    def make(**options: Any) -> OrderListLoader:
        options.setdefault("queries", queries)
        loader = OrderListLoader(**options)
        made.append(loader)
        return loader

    yield make
    for loader in made:
        assert loader.stop()


def test_a_result_arrives_in_pieces_equal_to_the_query(qtbot: QtBot, queries: OrderQueries,
                                                       make_loader: Any) -> None:
    loader = make_loader(first_piece=10, chunk=100)
    recorder = Recorder(loader)
    order_filter = OrderFilter(quick=QuickFilter.SENT)
    sort = OrderSort(OrderColumn.TOTAL, descending=False)
    with qtbot.waitSignal(loader.seqs_finished):
        generation = loader.load(order_filter, sort)
    expected = queries.seqs(order_filter, sort)
    assert len(expected) > 300
    assert recorder.seqs[generation] == expected
    assert recorder.finished[generation] == len(expected)
    kinds = [kind for kind, _ in recorder.events if kind in ("started", "extended", "finished")]
    assert kinds[0] == "started"
    assert kinds[-1] == "finished"
    assert kinds.count("extended") == (len(expected) - 10 + 99) // 100
    assert not loader.is_loading()


def test_counts_and_facets_are_the_queries(qtbot: QtBot, queries: OrderQueries,
                                           make_loader: Any) -> None:
    loader = make_loader()
    order_filter = OrderFilter(quick=QuickFilter.SENT, invoice=True)
    with qtbot.waitSignal(loader.counts_ready) as counts:
        generation = loader.load(order_filter, OrderSort())
    assert counts.args == [generation, queries.quick_counts(order_filter)]
    assert counts.args[1][QuickFilter.ALL] > counts.args[1][QuickFilter.SENT] > 0
    with qtbot.waitSignal(loader.facets_ready) as facets:
        loader.load_facets()
    assert facets.args == [queries.facets()]


class OrderedQueries(OrderQueries):
    """The real queries, noting when the counts are asked for and when a query hands over
    a piece of its seqs."""

    def __init__(self, *, database: Database, events: list[str]) -> None:
        super().__init__(database=database)
        self.events = events

    def quick_counts(self, order_filter: OrderFilter) -> dict[QuickFilter, int]:
        self.events.append("counts")
        return super().quick_counts(order_filter)

    def iter_seqs(self, order_filter: OrderFilter, sort: OrderSort, *, first: int = 256,
                  chunk: int = 65536) -> Generator[array[int]]:
        pieces = super().iter_seqs(order_filter, sort, first=first, chunk=chunk)
        try:
            for index, piece in enumerate(pieces):
                self.events.append(f"piece {index}")
                yield piece
        finally:
            pieces.close()


def test_the_first_screen_comes_with_its_rows_and_before_the_counts(
        qtbot: QtBot, database: Database) -> None:
    """The rows of the first screen arrive just before it (the table paints them without
    reading the database itself), and the counts are computed only once it is out: on two
    cores they would slow it down."""
    events: list[str] = []
    queries = OrderedQueries(database=database, events=events)
    loader = OrderListLoader(queries=queries, first_piece=50, first_rows=20)
    received: list[tuple[str, Any]] = []
    loader.first_rows_ready.connect(lambda g, rows: received.append(("rows", rows)))
    loader.seqs_started.connect(lambda g, piece: received.append(("started", piece)))
    try:
        order_filter = OrderFilter(search="kubek")
        with qtbot.waitSignal(loader.counts_ready):
            loader.load(order_filter, OrderSort())
        qtbot.waitUntil(lambda: not loader.is_loading())
        assert events.index("piece 0") < events.index("counts")
        assert [kind for kind, _ in received] == ["rows", "started"]
        first = received[1][1]
        assert received[0][1] == queries.rows(first[:20])
        assert list(first) == list(queries.seqs(order_filter, OrderSort())[:50])
    finally:
        assert loader.stop()


def test_nothing_found_is_an_empty_result(qtbot: QtBot, make_loader: Any) -> None:
    loader = make_loader()
    recorder = Recorder(loader)
    with qtbot.waitSignal(loader.seqs_finished) as finished:
        generation = loader.load(OrderFilter(search="qqqzzzxxx"), OrderSort())
    assert finished.args == [generation, 0]
    assert recorder.seqs == {generation: array("q")}


class Gate(OrderQueries):
    """The real queries, holding a query's thread at every piece it hands over until the
    test opens the gate (so a test acts while a query is known to be running). Notes the
    filter of every piece handed over, before the loader and the GUI's filter see it."""

    def __init__(self, *, database: Database) -> None:
        super().__init__(database=database)
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.produced: list[OrderFilter] = []

    def iter_seqs(self, order_filter: OrderFilter, sort: OrderSort, *, first: int = 256,
                  chunk: int = 65536) -> Generator[array[int]]:
        pieces = super().iter_seqs(order_filter, sort, first=first, chunk=chunk)
        try:
            for piece in pieces:
                self.produced.append(order_filter)
                self.reached.set()
                assert self.opened.wait(20)
                yield piece
        finally:
            pieces.close()

    def wait(self) -> None:
        assert self.reached.wait(20)


def test_a_newer_request_stops_the_older_and_drops_its_results(
        qtbot: QtBot, database: Database, queries: OrderQueries, make_loader: Any) -> None:
    """The first query (one seq a piece) is overtaken while it runs: it hands over nothing
    more (its thread sees the new generation at the next piece and closes the query), and
    nothing of it reaches the signals."""
    gate = Gate(database=database)
    loader = make_loader(queries=gate, first_piece=1, chunk=1)
    recorder = Recorder(loader)
    old_filter = OrderFilter()
    loader.load(old_filter, OrderSort(), counts=False)
    gate.wait()
    newer_filter = OrderFilter(quick=QuickFilter.CANCELLED)
    with qtbot.waitSignal(loader.seqs_finished):
        new = loader.load(newer_filter, OrderSort(), counts=False)
        gate.opened.set()
    expected = queries.seqs(newer_filter, OrderSort())
    assert recorder.seqs == {new: expected}
    assert recorder.generations() == {new}
    assert gate.produced.count(old_filter) == 1, "the old query ran on"
    assert gate.produced.count(newer_filter) == len(expected)


def test_queued_results_of_an_abandoned_request_are_dropped(
        qtbot: QtBot, queries: OrderQueries, make_loader: Any) -> None:
    """Requests faster than the threads answer: only the last one's results are seen."""
    loader = make_loader(first_piece=5, chunk=7)
    recorder = Recorder(loader)
    searches = ["k", "ku", "kub", "kube", "kubek"]
    generations = []
    with qtbot.waitSignal(loader.seqs_finished):
        for text in searches:
            generations.append(loader.load(OrderFilter(search=text), OrderSort()))
    qtbot.waitUntil(lambda: any(kind == "counts" for kind, _ in recorder.events))
    assert recorder.generations() == {generations[-1]}
    assert recorder.seqs[generations[-1]] == queries.seqs(OrderFilter(search="kubek"),
                                                          OrderSort())


def test_a_failing_query_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    database = store_seller_shop(tmp_path / "orders.sqlite3", orders=20)
    loader = OrderListLoader(queries=OrderQueries(database=database))
    database.close()  # every query now raises
    try:
        with qtbot.waitSignal(loader.failed) as failed:
            generation = loader.load(OrderFilter(), OrderSort(), counts=False)
        assert failed.args[0] == generation
        assert "closed" in failed.args[1]
        assert not loader.is_loading()
    finally:
        assert loader.stop()


def test_stop_ends_the_running_query_and_refuses_more(database: Database,
                                                     make_loader: Any) -> None:
    gate = Gate(database=database)
    loader = make_loader(queries=gate, first_piece=1, chunk=1)
    recorder = Recorder(loader)
    loader.load(OrderFilter(), OrderSort(), counts=False)
    gate.wait()
    loader.cancel()
    gate.opened.set()
    assert loader.stop()
    QCoreApplication.processEvents()  # what the thread queued before it stopped
    assert recorder.events == []
    assert gate.produced == [OrderFilter()]
    with pytest.raises(RuntimeError):
        loader.load(OrderFilter(), OrderSort())
