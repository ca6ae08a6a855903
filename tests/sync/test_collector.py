"""`fewer_collections`: the youngest generation's threshold raised while any sync runs in the
process, and Python's thresholds back as they were after the last one, however it ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from allegro_desktop.sync.collector import YOUNGEST_THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_a_run_raises_the_youngest_threshold_only_while_it_runs() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (YOUNGEST_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_runs_that_overlap_keep_it_raised_until_the_last_ends() -> None:
    first, second = ExitStack(), ExitStack()
    first.enter_context(fewer_collections())
    second.enter_context(fewer_collections())
    first.close()  # the first run ends while the second still runs
    assert gc.get_threshold()[0] == YOUNGEST_THRESHOLD
    second.close()
    assert gc.get_threshold() == (700, 10, 10)


def test_a_run_that_fails_puts_the_thresholds_back() -> None:
    def failing_run() -> None:
        with fewer_collections():
            raise RuntimeError("offline")

    with pytest.raises(RuntimeError, match="offline"):
        failing_run()
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_set_by_the_process_is_kept() -> None:
    gc.set_threshold(50_000, 5, 5)
    with fewer_collections():
        assert gc.get_threshold() == (50_000, 5, 5)
    assert gc.get_threshold() == (50_000, 5, 5)
