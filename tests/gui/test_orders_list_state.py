"""The Orders tab's list state on its own (no widgets, no loader): when a query runs, when its
counts run too, what a loader's answers mean for the query on screen and for abandoned ones,
and how refreshes arriving during a query merge into one more."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.ui.orders.list_state import ListState, LoadMode

SOME = OrderFilter(search="kubek")


def test_the_setters_say_whether_the_list_must_be_read_again() -> None:
    state = ListState()
    assert not state.set_quick(QuickFilter.ALL)
    assert state.set_quick(QuickFilter.SENT)
    assert not state.set_search("  ")
    assert state.set_search(" kubek ")
    assert state.search == "kubek"
    assert not state.set_search("kubek  ")
    assert state.set_account("production|1")
    assert state.accounts() == frozenset({"production|1"})
    assert state.set_account(None)
    assert state.accounts() == frozenset()
    assert not state.set_sort(OrderSort())
    assert state.set_sort(OrderSort(OrderColumn.TOTAL, descending=False))


def test_counts_run_only_when_more_than_the_quick_filter_changed() -> None:
    state = ListState()
    assert state.begin(LoadMode.REPLACE, SOME, counts=None)
    assert state.counts_pending
    assert state.is_loading()
    assert not state.begin(LoadMode.REPLACE, SOME.with_quick(QuickFilter.SENT), counts=None)
    assert state.begin(LoadMode.REPLACE, OrderFilter(min_total=Decimal(10)), counts=None)
    assert not state.begin(LoadMode.REPLACE, SOME, counts=False)
    assert state.begin(LoadMode.UPDATE, SOME, counts=True)


def test_a_replace_shows_its_pieces_as_they_come_and_drops_abandoned_ones() -> None:
    state = ListState()
    state.begin(LoadMode.REPLACE, SOME, counts=False)
    state.started(1)
    state.begin(LoadMode.REPLACE, SOME.with_quick(QuickFilter.SENT), counts=False)
    state.started(2)
    state.first_rows_ready(1, {})  # the first query's answers: abandoned
    assert state.first_piece(1, [5, 6]) is None
    assert not state.next_piece(1, [7])
    assert state.finish(1, 3) is None
    assert not state.failed(1, "gone")
    assert state.loading
    assert state.shown_total(SOME) is None

    assert state.first_piece(2, [8, 9]) == ([8, 9], {})
    assert state.next_piece(2, [10])
    finished = state.finish(2, 3)
    assert finished is not None
    assert finished.update is None
    assert finished.select is None
    assert not finished.refresh_again
    assert (state.result_total, state.is_loading()) == (3, False)


def test_an_update_collects_its_pieces_and_gives_them_at_the_end() -> None:
    state = ListState(result_total=2)
    state.begin(LoadMode.UPDATE, SOME, counts=False)
    state.started(4)
    assert state.result_total == 2  # the old result stays on screen meanwhile
    assert state.first_piece(4, [1, 2]) is None
    assert not state.next_piece(4, [3])
    finished = state.finish(4, 3)
    assert finished is not None
    assert finished.update is not None
    seqs, rows = finished.update
    assert list(seqs) == [1, 2, 3]
    assert rows == {}
    assert state.result_total == 3


def test_refreshes_during_a_query_merge_into_one_more() -> None:
    state = ListState()
    assert state.wants_refresh()
    state.begin(LoadMode.UPDATE, SOME, counts=True)
    state.started(1)
    assert not state.wants_refresh()
    assert not state.wants_refresh()
    finished = state.finish(1, 0)
    assert finished is not None
    assert finished.refresh_again
    assert not state.refresh_again

    state.begin(LoadMode.UPDATE, SOME, counts=True)
    state.started(2)
    assert not state.wants_refresh()
    assert state.wants_reload()  # a new query reads it all: the refresh is moot
    state.begin(LoadMode.REPLACE, SOME, counts=None)
    state.started(3)
    finished = state.finish(3, 0)
    assert finished is not None
    assert not finished.refresh_again


def test_nothing_runs_while_a_view_is_applied_or_once_stopped() -> None:
    state = ListState(applying=True)
    assert not state.wants_reload()
    state.applying = False
    assert state.wants_reload()
    state.stopped = True
    assert not state.wants_refresh()


def test_a_failure_ends_the_query_and_says_why() -> None:
    state = ListState()
    state.begin(LoadMode.REPLACE, SOME, counts=True)
    state.started(1)
    state.wants_refresh()
    assert state.failed(1, "disk I/O error")
    assert state.error == "disk I/O error"
    assert not state.is_loading()
    assert not state.refresh_again
    state.begin(LoadMode.REPLACE, SOME, counts=False)
    assert state.error is None


def test_orders_to_show_are_selected_when_their_list_is_read() -> None:
    state = ListState(select_when_listed=[4, 2])
    state.begin(LoadMode.REPLACE, SOME, counts=False)
    state.started(1)
    finished = state.finish(1, 9)
    assert finished is not None
    assert finished.select == [4, 2]
    assert state.select_when_listed is None


def test_the_total_shown_comes_from_the_counts_until_the_list_is_read() -> None:
    state = ListState(quick=QuickFilter.SENT)
    dated = SOME.with_quick(QuickFilter.SENT)
    state.begin(LoadMode.REPLACE, dated, counts=True)
    state.started(1)
    assert state.shown_total(dated) is None
    state.counts_ready({QuickFilter.SENT: 7, QuickFilter.ALL: 20})
    assert state.shown_total(dated) == 7
    other = OrderFilter(bought_from=datetime(2026, 1, 1, tzinfo=UTC))
    assert state.shown_total(other) is None  # the counts are of another filter
    state.finish(1, 6)
    assert state.shown_total(other) == 6
