"""Every stored record renders: orders of the years 0001 and 9999, the largest storable amounts
and counts, NUL characters — exported to CSV, XLSX and JSON and counted by the statistics, in
the farthest time zones (+14:00, -12:00), where such a moment's local time may not even be a
`datetime`. Nothing crashes; a date is shown as a date (in UTC, marked so, when it has no local
one); money stays exact."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import text

from allegro_desktop.api.exact_json import decode_json
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.filters import OrderColumn, OrderFilter
from allegro_desktop.services.export import (
    ExportFormat,
    ExportPer,
    ExportRequest,
    ItemColumn,
    export_orders,
    json_record,
)
from allegro_desktop.services.stats import (
    Granularity,
    StatsOverflowError,
    StatsRequest,
    StatsService,
)
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.times import to_ms
from tests.helpers.hostile_values import FORM_VALUES, poisoned
from tests.helpers.stored_shop import ACCOUNT, NOW, realistic_forms

FAR_ZONES: dict[str, tzinfo] = {
    "kiritimati": ZoneInfo("Pacific/Kiritimati"), "gmt-12": ZoneInfo("Etc/GMT+12"),
    "plus14": timezone(timedelta(hours=14)), "minus12": timezone(timedelta(hours=-12)),
    "warsaw": ZoneInfo("Europe/Warsaw"),
}
LAST = datetime(9999, 12, 31, 23, 0, 0, tzinfo=UTC)
FIRST = datetime(1, 1, 1, 5, 0, 0, tzinfo=UTC)
LARGEST = "9999999999999.99"
COLUMNS = (OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.PAID_AT, OrderColumn.TOTAL,
           OrderColumn.QUANTITY, OrderColumn.BUYER_LOGIN, ItemColumn.ITEM_QUANTITY,
           ItemColumn.UNIT_PRICE, ItemColumn.LINE_TOTAL)


def _form(base: dict[str, Any], form_id: str, *, bought: datetime, total: str,
          login: str = "kupujacy", quantity: int = 1) -> dict[str, Any]:
    form = json.loads(json.dumps(base))
    form["id"] = form_id
    form["lineItems"] = form["lineItems"][:1]
    item = form["lineItems"][0]
    item["boughtAt"] = bought.isoformat().replace("+00:00", "Z")
    item["quantity"] = quantity
    item["price"]["amount"] = total
    form["summary"]["totalToPay"]["amount"] = total
    form["delivery"]["cost"] = None
    form["payment"]["finishedAt"] = item["boughtAt"]
    form["buyer"]["login"] = login
    form["status"] = "READY_FOR_PROCESSING"
    return form


@pytest.fixture(scope="module")
def far_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A few ordinary orders and the far ones: bought at 0001-01-01 05:00 and 9999-12-31
    23:00 UTC, for the largest storable amount, a NUL in the login, and every value of
    `tests/helpers/hostile_values.py` that is stored rather than refused."""
    base = next(f for f in realistic_forms() if f["summary"]["totalToPay"]["currency"] == "PLN")
    forms = [
        _form(base, "far-last", bought=LAST, total=LARGEST, login="nul\x00here"),
        _form(base, "far-first", bought=FIRST, total=LARGEST),
        _form(base, "far-many", bought=NOW, total="0.01", quantity=99_999_999_999_999),
        *[json.loads(json.dumps(f)) for f in realistic_forms()[:20]],
    ]
    stored = [decode_json(poisoned({**base, "id": f"hostile-{h.name}"}, h))
              for h in FORM_VALUES if h.refused is None]
    database = Database.open(tmp_path_factory.mktemp("far") / "orders.sqlite3",
                             clock=lambda: NOW)
    result = OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, orders=[parse_checkout_form(f, account_key=ACCOUNT)
                                     for f in [*forms, *stored]],
        events=[], cursor=None)
    assert (result.new, result.set_aside) == (len(forms) + len(stored), 0)
    yield database
    database.close()


@pytest.fixture
def queries(far_database: Database) -> OrderQueries:
    return OrderQueries(database=far_database)


def _export(queries: OrderQueries, path: Path, fmt: ExportFormat, zone: tzinfo,
            per: ExportPer = ExportPer.ORDER) -> Path:
    export_orders(queries, ExportRequest(fmt=fmt, columns=COLUMNS, per=per, time_zone=zone),
                  path)
    return path


@pytest.mark.parametrize("zone", FAR_ZONES.values(), ids=FAR_ZONES.keys())
@pytest.mark.parametrize("per", list(ExportPer))
def test_every_format_exports_every_stored_order_in_any_time_zone(
        queries: OrderQueries, tmp_path: Path, zone: tzinfo, per: ExportPer) -> None:
    total = queries.count(OrderFilter())
    for fmt in ExportFormat:
        path = _export(queries, tmp_path / f"orders.{fmt.value}", fmt, zone, per)
        assert path.stat().st_size > 0
    rows = {row[0]: row for row in _csv_rows(tmp_path / "orders.csv")}
    assert len(rows) == total
    records = {r["order_id"]: r for r in json.loads((tmp_path / "orders.json").read_bytes())}
    assert len(records) == total
    last, first = rows["far-last"], rows["far-first"]
    assert last[3] == first[3] == LARGEST  # exact, to the grosz
    assert records["far-last"]["total"] == {"amount": LARGEST, "currency": "PLN"}
    assert last[5] == "nul\x00here"
    for row, moment in ((last, LAST), (first, FIRST)):
        local = _local(moment, zone)
        if local is None:  # no local date: shown in UTC, saying so
            assert row[1] == moment.isoformat(" ")[:19] + " UTC"
            assert datetime.fromisoformat(records[row[0]]["bought_at"]) == moment
        else:
            assert row[1] == local.isoformat(" ")[:19]
            assert datetime.fromisoformat(records[row[0]]["bought_at"]) == moment
    many = rows["far-many"]
    assert many[4] == "99999999999999"
    sheet = openpyxl.load_workbook(tmp_path / "orders.xlsx", read_only=True).active
    assert sheet is not None
    cells = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(cells["far-last"][3])) == Decimal(LARGEST)
    assert cells["far-many"][4] == 99_999_999_999_999
    for order_id, moment in (("far-last", LAST), ("far-first", FIRST)):
        local = _local(moment, zone)
        shown = cells[order_id][1]
        if local is not None and local.year >= 1900:
            assert shown == local.replace(tzinfo=None)  # a real date cell
        else:  # before Excel's calendar, or no local date: the text the CSV has
            assert shown == rows[order_id][1]


def _local(moment: datetime, zone: tzinfo) -> datetime | None:
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return None


def _csv_rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(2**24)  # the one-megabyte login of `hostile_values`
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))[1:]


@pytest.mark.parametrize("zone", FAR_ZONES.values(), ids=FAR_ZONES.keys())
def test_the_webhooks_record_of_a_far_order(queries: OrderQueries, zone: tzinfo) -> None:
    rows = queries.rows(queries.seqs_of(["far-last", "far-first"]).values())
    for row in rows.values():
        record = json_record(row, time_zone=zone)
        assert datetime.fromisoformat(record["bought_at"]) == row.bought_at


@pytest.mark.parametrize("zone", FAR_ZONES.values(), ids=FAR_ZONES.keys())
@pytest.mark.parametrize("use_rollups", [True, False], ids=["fast", "exact"])
def test_statistics_count_every_stored_order_from_year_1_to_9999(
        far_database: Database, zone: tzinfo, use_rollups: bool) -> None:
    """All time, from the first day to the last a `datetime` has: every order counted once,
    revenue exact; the previous period (before year 1) is empty, not an overflow."""
    service = StatsService(database=far_database, use_rollups=use_rollups)
    start = datetime.min.replace(tzinfo=UTC)
    end = datetime.max.replace(tzinfo=UTC)  # [start, end): all but its very last millisecond
    result = service.compute(StatsRequest(start=start, end=end, time_zone=zone,
                                          granularity=Granularity.MONTH))
    with far_database.read() as connection:
        expected = connection.execute(text(
            "SELECT count(*) FROM orders WHERE bought_at >= :a AND bought_at < :b"),
            {"a": to_ms(start), "b": to_ms(end)}).scalar()
    assert expected == OrderQueries(database=far_database).count(OrderFilter()) - 1
    assert result.totals.orders == expected
    assert result.previous.orders == 0
    largest = Decimal(LARGEST)
    assert result.totals.revenue["PLN"] >= 2 * largest
    assert sum(point.orders for point in result.series) == result.totals.orders
    assert sum(map(sum, result.heatmap)) == result.totals.orders


def test_a_sum_past_64_bits_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    """Only rows the app never writes (its amounts are below EXACT_LIMIT) can sum past
    SQLite's integers; a database holding them anyway gets a message, not a traceback."""
    database = Database.open(tmp_path / "orders.sqlite3", clock=lambda: NOW)
    base = realistic_forms()[0]
    OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, events=[], cursor=None,
        orders=[parse_checkout_form(_form(base, f"o{n}", bought=NOW, total="1.00"),
                                    account_key=ACCOUNT) for n in range(3)])
    with database.write() as connection:
        connection.execute(text("UPDATE orders SET total_minor = 4611686018427387904"))
    try:
        service = StatsService(database=database, use_rollups=False)
        with pytest.raises(StatsOverflowError) as caught:
            service.compute(StatsRequest(start=NOW - timedelta(days=1),
                                         end=NOW + timedelta(days=1), time_zone=UTC))
        assert "Choose a shorter period" in str(caught.value.user_message)
    finally:
        database.close()
