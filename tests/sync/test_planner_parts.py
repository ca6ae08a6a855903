"""The incremental planner's list windows are cut into parts of about the same number of stored
orders (`planner._in_parts`), one chain of pages a worker: the parts cover exactly the windows,
no stored order falls on a cut (none is read twice), and no part is smaller than the planner's
least — whatever the orders' times."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from allegro_desktop.sync.planner import _PART_MIN, _in_parts
from allegro_desktop.sync.windows import BOUGHT_AT, Window, ms

START = datetime(2026, 1, 1, tzinfo=UTC)


def _window(first: int, last: int) -> Window:
    return Window(BOUGHT_AT, START + timedelta(milliseconds=first),
                  START + timedelta(milliseconds=last))


@settings(max_examples=200, deadline=None)
@given(count=st.integers(min_value=1, max_value=4_000),
       gaps=st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=50),
       concurrency=st.integers(min_value=1, max_value=8))
def test_parts_cover_the_window_and_cut_between_orders(count: int, gaps: list[int],
                                                        concurrency: int) -> None:
    times, at = [], ms(START)
    for gap in itertools.islice(itertools.cycle(gaps), count):  # the gaps, over and over
        at += gap
        times.append(at)
    window = _window(0, times[-1] - ms(START) + 1)  # as the planner: its end a ms past
    parts = _in_parts([window], times, concurrency)
    assert parts[0].start == window.start
    assert parts[-1].end == window.end
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    assert all(part.start < part.end for part in parts)
    assert len(parts) <= max(concurrency, 1) + 1
    for part in parts:
        inside = [t for t in times if ms(part.start) <= t <= ms(part.end)]
        if len(parts) > 1:
            assert len(inside) >= _PART_MIN, (len(inside), len(parts))
    for cut in (part.start for part in parts[1:]):
        assert ms(cut) not in times


def test_the_recent_weeks_holding_most_orders_are_cut_by_orders_not_by_time() -> None:
    """A window of a year whose last month holds 4 000 of its 5 000 orders: four parts of
    about 1 250 orders, three of them inside the last month."""
    day = 86_400_000
    times = sorted([i * (335 * day // 1000) for i in range(1000)]
                   + [335 * day + i * (30 * day // 4000) for i in range(4000)])
    times = [ms(START) + t for t in times]
    parts = _in_parts([_window(0, 365 * day)], times, 4)
    counts = [sum(1 for t in times if ms(p.start) <= t <= ms(p.end)) for p in parts]
    assert len(parts) == 4
    assert all(1200 <= count <= 1300 for count in counts), counts
    assert sum(1 for p in parts if p.start >= START + timedelta(days=335)) == 3
