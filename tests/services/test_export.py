"""The spreadsheet export over a real SQLite file: read back with pandas/openpyxl/json and held
against the database; formula injection; cancel and errors leave nothing behind."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from allegro_desktop.domain.filters import (
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
    seller_status,
)
from allegro_desktop.domain.orders import Money
from allegro_desktop.services.export import (
    COLUMN_TITLES,
    VALUE_LABELS,
    CsvOptions,
    ExportCancelled,
    ExportColumn,
    ExportError,
    ExportFormat,
    ExportPer,
    ExportRequest,
    ItemColumn,
    column_of,
    csv_defaults_for,
    default_columns,
    export_orders,
    export_raw_forms,
    neutralise,
)
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import LineItemRow, OrderQueries, OrderRow
from tests.helpers.stored_shop import (
    ACCOUNT,
    AT_LOGIN,
    HYPERLINK,
    LOGINS,
    MINUS_MESSAGE,
    OTHER_ACCOUNT,
    PHONE_CITY,
    TAB_MESSAGE,
)

WARSAW = ZoneInfo("Europe/Warsaw")
ALL_ORDER_COLUMNS: tuple[ExportColumn, ...] = tuple(OrderColumn)
LABELLED = {OrderColumn.STAGE, OrderColumn.STATUS, OrderColumn.FULFILLMENT,
            OrderColumn.PAYMENT}

#: Each column's value in the database's terms (the test's own reading of an OrderRow).
VALUES: dict[ExportColumn, Callable[[OrderRow, LineItemRow | None], Any]] = {
    OrderColumn.BOUGHT_AT: lambda r, _i: r.bought_at,
    OrderColumn.ORDER_ID: lambda r, _i: r.id,
    OrderColumn.BUYER_LOGIN: lambda r, _i: r.buyer_login,
    OrderColumn.BUYER_NAME: lambda r, _i: r.buyer_name or r.buyer_company,
    OrderColumn.ITEMS: lambda r, _i: r.items_summary,
    OrderColumn.QUANTITY: lambda r, _i: r.quantity,
    OrderColumn.TOTAL: lambda r, _i: r.total,
    OrderColumn.PAYMENT: lambda r, _i: r.payment_type,
    OrderColumn.STAGE: lambda r, _i: seller_status(r.status, r.fulfillment_status),
    OrderColumn.STATUS: lambda r, _i: r.status,
    OrderColumn.FULFILLMENT: lambda r, _i: r.fulfillment_status,
    OrderColumn.DELIVERY: lambda r, _i: r.delivery_method,
    OrderColumn.CITY: lambda r, _i: r.city,
    OrderColumn.INVOICE: lambda r, _i: r.invoice_required,
    OrderColumn.MARKETPLACE: lambda r, _i: r.marketplace_id,
    OrderColumn.ACCOUNT: lambda r, _i: LOGINS[r.account_key],
    OrderColumn.CURRENCY: lambda r, _i: r.total.currency,
    OrderColumn.PAID: lambda r, _i: r.paid_at is not None,
    OrderColumn.PAID_AT: lambda r, _i: r.paid_at,
    OrderColumn.BUYER_EMAIL: lambda r, _i: r.buyer_email,
    OrderColumn.BUYER_PHONE: lambda r, _i: r.buyer_phone,
    OrderColumn.BUYER_COMPANY: lambda r, _i: r.buyer_company,
    OrderColumn.ZIP_CODE: lambda r, _i: r.zip_code,
    OrderColumn.COUNTRY: lambda r, _i: r.country_code,
    OrderColumn.PICKUP_POINT: lambda r, _i: r.pickup_point_name or r.pickup_point_id,
    OrderColumn.DELIVERY_COST: lambda r, _i: r.delivery_cost,
    OrderColumn.INVOICE_COMPANY: lambda r, _i: r.invoice_company,
    OrderColumn.INVOICE_NIP: lambda r, _i: r.invoice_nip,
    OrderColumn.MESSAGE: lambda r, _i: r.message_to_seller,
    OrderColumn.NOTE: lambda r, _i: r.note,
    OrderColumn.UPDATED_AT: lambda r, _i: r.updated_at,
    OrderColumn.TAGS: lambda r, _i: ", ".join(t.name for t in r.tags) or None,
    OrderColumn.PRIVATE_NOTE: lambda r, _i: r.private_note,
    ItemColumn.OFFER_ID: lambda _r, i: i and i.offer_id,
    ItemColumn.OFFER_TITLE: lambda _r, i: i and i.offer_name,
    ItemColumn.SKU: lambda _r, i: i and i.external_id,
    ItemColumn.ITEM_QUANTITY: lambda _r, i: i and i.quantity,
    ItemColumn.UNIT_PRICE: lambda _r, i: i and i.price,
    ItemColumn.LINE_TOTAL: lambda _r, i: i and Money(i.price.amount * i.quantity,
                                                     i.price.currency),
}


def _request(fmt: ExportFormat, **fields: Any) -> ExportRequest:
    fields.setdefault("columns", ALL_ORDER_COLUMNS)
    fields.setdefault("time_zone", WARSAW)
    fields.setdefault("account_names", LOGINS)
    return ExportRequest(fmt=fmt, **fields)


def _orders_in_order(queries: OrderQueries, order_filter: OrderFilter | None = None,
                     sort: OrderSort | None = None) -> list[OrderRow]:
    seqs = list(queries.seqs(order_filter or OrderFilter(), sort or OrderSort()))
    rows = queries.rows(seqs)
    return [rows[seq] for seq in seqs]


def _csv_text(column: ExportColumn, value: Any, *, comma: bool) -> str:
    """What the CSV cell must say for a database value (the test's own formatting)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Money):
        text = str(value.amount.quantize(Decimal("0.01")))
        return text.replace(".", ",") if comma else text
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    text = str(VALUE_LABELS.get(value, value) if column in LABELLED else value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _read_csv(path: Path, delimiter: str) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    assert b"\r\n" in raw
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""),
                           delimiter=delimiter))


# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "comma"), [(";", True), (",", False), ("\t", True)])
def test_csv_equals_the_database(queries: OrderQueries, tmp_path: Path, delimiter: str,
                                 comma: bool) -> None:
    path = tmp_path / "zamówienia.csv"
    report = export_orders(queries, _request(ExportFormat.CSV, delimiter=delimiter,
                                             decimal_comma=comma), path)
    orders = _orders_in_order(queries)
    assert (report.rows, report.orders, report.path) == (len(orders), len(orders), path)

    lines = _read_csv(path, delimiter)
    assert lines[0] == [COLUMN_TITLES[c] for c in ALL_ORDER_COLUMNS]
    assert len(lines) == len(orders) + 1
    for line, row in zip(lines[1:], orders, strict=True):
        assert line == [_csv_text(c, VALUES[c](row, None), comma=comma)
                        for c in ALL_ORDER_COLUMNS], row.id
    text = path.read_text(encoding="utf-8-sig")
    assert any(letter in text for letter in "ąćęłńóśźż"), "Polish letters round-trip"
    assert "Paid, ready to process" in text
    assert "Yes" in text


def test_pandas_reads_polish_csv_as_numbers_and_dates(queries: OrderQueries,
                                                      database: Database,
                                                      tmp_path: Path) -> None:
    """As a spreadsheet in Poland reads it: `;`, decimal comma, UTF-8 with BOM. Held against
    the orders table itself (minor units, epoch milliseconds)."""
    path = tmp_path / "orders.csv"
    columns = (OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.TOTAL,
               OrderColumn.CURRENCY, OrderColumn.BUYER_NAME, OrderColumn.QUANTITY)
    export_orders(queries, _request(ExportFormat.CSV, columns=columns, delimiter=";",
                                    decimal_comma=True), path)
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig",
                        parse_dates=["Purchase date"], keep_default_na=False)
    with database.read() as connection:
        stored = {order_id: (total, currency, bought, name) for order_id, total, currency,
                  bought, name in connection.exec_driver_sql(
                      "SELECT id, total_minor, currency, bought_at, "
                      "coalesce(buyer_name, buyer_company, '') FROM orders")}
    assert len(frame) == len(stored)
    currencies = set()
    for record in frame.itertuples(index=False):
        order_id, bought, total, currency, name, _quantity = record
        minor, stored_currency, bought_ms, stored_name = stored[order_id]
        assert round(total * 100) == minor
        assert currency == stored_currency
        expected = datetime.fromtimestamp(bought_ms / 1000, WARSAW).replace(
            tzinfo=None, microsecond=0)
        assert bought.to_pydatetime() == expected
        assert name.removeprefix("'") == stored_name
        currencies.add(currency)
    assert currencies == {"PLN", "CZK", "EUR", "HUF"}
    assert frame["Quantity"].dtype.kind == "i"


def test_csv_per_line_item(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    columns = default_columns(ExportPer.LINE_ITEM)
    report = export_orders(queries, _request(ExportFormat.CSV, per=ExportPer.LINE_ITEM,
                                             columns=columns, delimiter=";",
                                             decimal_comma=True), path)
    orders = _orders_in_order(queries)
    items = queries.line_items(row.seq for row in orders)
    expected = [[_csv_text(c, VALUES[c](row, item), comma=True) for c in columns]
                for row in orders for item in items[row.seq]]
    lines = _read_csv(path, ";")
    assert lines[0] == [COLUMN_TITLES[c] for c in columns]
    assert lines[1:] == expected
    assert (report.rows, report.orders) == (len(expected), len(orders))
    assert report.rows > report.orders, "some orders have several line items"
    assert ItemColumn.OFFER_TITLE in columns
    assert OrderColumn.ITEMS not in columns


def test_item_columns_are_left_out_per_order(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    export_orders(queries, _request(ExportFormat.CSV, columns=(
        OrderColumn.ORDER_ID, ItemColumn.OFFER_TITLE, OrderColumn.TOTAL)), path)
    assert _read_csv(path, ",")[0] == ["Order ID", "Total"]


def test_selection_in_its_order_with_chosen_columns(queries: OrderQueries,
                                                    tmp_path: Path) -> None:
    orders = _orders_in_order(queries)
    chosen = [orders[n] for n in (40, 3, 17, 250, 0)]
    columns = (OrderColumn.TOTAL, OrderColumn.ORDER_ID, OrderColumn.CITY)
    path = tmp_path / "selected.csv"
    report = export_orders(queries, _request(
        ExportFormat.CSV, columns=columns, selection=tuple(r.seq for r in chosen),
        headers={OrderColumn.TOTAL: "Razem", OrderColumn.ORDER_ID: "Nr zamówienia"}), path)
    lines = _read_csv(path, ",")
    assert lines[0] == ["Razem", "Nr zamówienia", "City"]
    assert [line[1] for line in lines[1:]] == [r.id for r in chosen]
    assert report.orders == 5


def test_labels_are_the_callers(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "pl.csv"
    export_orders(queries, _request(
        ExportFormat.CSV, columns=(OrderColumn.STATUS, OrderColumn.INVOICE),
        labels={"READY_FOR_PROCESSING": "Do wysłania", "YES": "Tak", "NO": "Nie",
                "CANCELLED": "-anulowane-"}), path)
    cells = {cell for line in _read_csv(path, ",")[1:] for cell in line}
    assert {"Do wysłania", "Tak", "Nie", "'-anulowane-"} <= cells
    assert "Paid, ready to process" not in cells


# -- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("order_filter", [
    OrderFilter(quick=QuickFilter.SENT),
    OrderFilter(accounts=frozenset({OTHER_ACCOUNT}), quick=QuickFilter.TO_PROCESS),
    OrderFilter(search="lodz"),
    OrderFilter(marketplaces=frozenset({"allegro-cz", "allegro-hu"}), invoice=False),
], ids=["sent", "account-to-process", "search", "marketplaces"])
def test_the_filter_scope_is_the_querys(queries: OrderQueries, tmp_path: Path,
                                        order_filter: OrderFilter) -> None:
    sort = OrderSort(OrderColumn.TOTAL, descending=False)
    path = tmp_path / "f.json"
    export_orders(queries, _request(ExportFormat.JSON, order_filter=order_filter, sort=sort),
                  path)
    expected = [row.id for row in _orders_in_order(queries, order_filter, sort)]
    assert expected, "the shop has such orders"
    assert [record["order_id"] for record in json.loads(path.read_bytes())] == expected


# -- XLSX --------------------------------------------------------------------------------------


def test_xlsx_has_typed_cells(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    export_orders(queries, _request(ExportFormat.XLSX, sheet_name="Zamówienia"), path)
    book = openpyxl.load_workbook(path)
    sheet = book["Zamówienia"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    assert sheet.auto_filter.ref.startswith("A1:")
    header = [cell.value for cell in sheet[1]]
    assert header == [COLUMN_TITLES[c] for c in ALL_ORDER_COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    orders = _orders_in_order(queries)
    assert sheet.max_row == len(orders) + 1
    formats: dict[str, set[str]] = {}
    for cells, row in zip(sheet.iter_rows(min_row=2), orders, strict=True):
        for cell, column in zip(cells, ALL_ORDER_COLUMNS, strict=True):
            value = VALUES[column](row, None)
            if value is None or value == "":
                assert cell.value is None, (row.id, column)
            elif isinstance(value, datetime):
                assert cell.is_date
                assert cell.number_format == "yyyy-mm-dd hh:mm:ss"
                assert cell.value == value.astimezone(WARSAW).replace(tzinfo=None,
                                                                      microsecond=0)
            elif isinstance(value, Money):
                assert cell.data_type == "n"
                assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == value.amount
                formats.setdefault(value.currency, set()).add(cell.number_format)
            elif isinstance(value, bool):
                assert cell.data_type == "b"
                assert cell.value is value
            elif isinstance(value, int):
                assert cell.data_type == "n"
                assert cell.value == value
            else:
                assert cell.data_type == "s", (row.id, column, cell.value)
                label = VALUE_LABELS.get(value, value) if column in LABELLED else value
                assert cell.value == label
    assert formats == {"PLN": {'#,##0.00 "zł"'}, "CZK": {'#,##0.00 "Kč"'},
                       "EUR": {'#,##0.00 "€"'}, "HUF": {'#,##0.00 "Ft"'}}


def test_xlsx_per_line_item(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "items.xlsx"
    columns = (OrderColumn.ORDER_ID, ItemColumn.OFFER_ID, ItemColumn.OFFER_TITLE,
               ItemColumn.SKU, ItemColumn.ITEM_QUANTITY, ItemColumn.UNIT_PRICE,
               ItemColumn.LINE_TOTAL)
    report = export_orders(queries, _request(ExportFormat.XLSX, per=ExportPer.LINE_ITEM,
                                             columns=columns), path)
    orders = _orders_in_order(queries)
    items = queries.line_items(row.seq for row in orders)
    expected = [(row.id, item.offer_id, item.offer_name, item.external_id, item.quantity,
                 float(item.price.amount), float(item.price.amount * item.quantity))
                for row in orders for item in items[row.seq]]
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    found = [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert found == expected
    assert report.rows == len(expected)


# -- JSON --------------------------------------------------------------------------------------


def test_json_is_exact(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    export_orders(queries, _request(ExportFormat.JSON), path)
    records = json.loads(path.read_bytes())
    orders = _orders_in_order(queries)
    assert len(records) == len(orders)
    for record, row in zip(records, orders, strict=True):
        assert list(record) == [c.value for c in ALL_ORDER_COLUMNS]
        for column in ALL_ORDER_COLUMNS:
            value, got = VALUES[column](row, None), record[column.value]
            if isinstance(value, datetime):
                moment = datetime.fromisoformat(got)
                assert moment == value
                assert moment.utcoffset() == value.astimezone(
                    WARSAW).utcoffset()
            elif isinstance(value, Money):
                assert got == {"amount": str(value.amount), "currency": value.currency}
            else:
                assert got == value, (row.id, column)  # codes, not labels; text untouched
    assert any(r["buyer_name"] == HYPERLINK for r in records)


def test_empty_export(queries: OrderQueries, tmp_path: Path) -> None:
    nothing = OrderFilter(search="zzzzqqqq")
    for fmt in ExportFormat:
        path = tmp_path / f"empty.{fmt.value}"
        report = export_orders(queries, _request(fmt, order_filter=nothing), path)
        assert (report.rows, report.orders) == (0, 0)
    assert json.loads((tmp_path / "empty.json").read_bytes()) == []
    assert len(_read_csv(tmp_path / "empty.csv", ",")) == 1
    sheet = openpyxl.load_workbook(tmp_path / "empty.xlsx").active
    assert sheet is not None
    assert sheet.max_row == 1


# -- formula injection -------------------------------------------------------------------------


def _injected(queries: OrderQueries) -> dict[str, OrderRow]:
    """The orders whose buyers typed formulas (see conftest), by what they typed."""
    rows = _orders_in_order(queries)

    def one(test: Callable[[OrderRow], bool]) -> OrderRow:
        [found] = [row for row in rows if test(row)]
        return found

    return {"name": one(lambda r: r.buyer_name == HYPERLINK),
            "city": one(lambda r: r.city == PHONE_CITY),
            "login": one(lambda r: r.buyer_login == AT_LOGIN),
            "minus": one(lambda r: r.message_to_seller == MINUS_MESSAGE),
            "tab": one(lambda r: r.message_to_seller == TAB_MESSAGE)}


INJECTION_COLUMNS = (OrderColumn.ORDER_ID, OrderColumn.BUYER_NAME, OrderColumn.CITY,
                     OrderColumn.BUYER_LOGIN, OrderColumn.MESSAGE, OrderColumn.TOTAL)


def test_csv_neutralises_formulas(queries: OrderQueries, tmp_path: Path) -> None:
    injected = _injected(queries)
    path = tmp_path / "x.csv"
    export_orders(queries, _request(ExportFormat.CSV, columns=INJECTION_COLUMNS,
                                    delimiter=";", decimal_comma=True), path)
    lines = {line[0]: line for line in _read_csv(path, ";")[1:]}
    assert lines[injected["name"].id][1] == "'" + HYPERLINK
    assert lines[injected["city"].id][2] == "'" + PHONE_CITY
    assert lines[injected["login"].id][3] == "'" + AT_LOGIN
    assert lines[injected["minus"].id][4] == "'" + MINUS_MESSAGE
    assert lines[injected["tab"].id][4] == "'" + TAB_MESSAGE
    dangerous = [cell for line in lines.values() for cell in line
                 if cell[:1] in ("=", "+", "@", "\t", "\r")
                 or (cell[:1] == "-" and not cell[1:].replace(",", "").isdigit())]
    assert dangerous == []


def test_xlsx_text_is_never_a_formula(queries: OrderQueries, tmp_path: Path) -> None:
    injected = _injected(queries)
    path = tmp_path / "x.xlsx"
    export_orders(queries, _request(ExportFormat.XLSX, columns=INJECTION_COLUMNS), path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for key, index, text in (("name", 1, HYPERLINK), ("city", 2, PHONE_CITY),
                             ("login", 3, AT_LOGIN), ("minus", 4, MINUS_MESSAGE),
                             ("tab", 4, TAB_MESSAGE)):
        cell = cells[injected[key].id][index]
        assert (cell.data_type, cell.value) == ("s", text)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+2", "'=1+2"), ("+48 600", "'+48 600"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("＝1+2", "'＝1+2"), ("Łódź", "Łódź"), ("", ""),
    ("a=b", "a=b"),
])
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


# -- never half a file -------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def scratch_dirs(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Callable[[], set[str]]:
    """xlsxwriter's scratch folders left behind by the test: the test's own temp dir (the
    machine's is shared with the tests other workers run meanwhile)."""
    temp = tmp_path_factory.mktemp("temp")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return lambda: {p.name for p in temp.glob("allegro-export-*")}


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_cancel_leaves_no_file(queries: OrderQueries, tmp_path: Path, fmt: ExportFormat,
                               scratch_dirs: Callable[[], set[str]]) -> None:
    path = tmp_path / f"orders.{fmt.value}"
    progress: list[tuple[int, int]] = []
    with pytest.raises(ExportCancelled):
        export_orders(queries, _request(fmt), path, progress=lambda d, t: progress.append(
            (d, t)), cancelled=lambda: bool(progress), chunk=50)
    assert progress == [(50, len(queries.seqs(OrderFilter(), OrderSort())))]
    assert list(tmp_path.iterdir()) == []
    assert scratch_dirs() == set()


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_cancel_at_the_last_moment_keeps_the_old_file(queries: OrderQueries, tmp_path: Path,
                                                      fmt: ExportFormat) -> None:
    """Cancelled after the last chunk was written, before the rename: the old file stays."""
    path = tmp_path / f"orders.{fmt.value}"
    path.write_bytes(b"the previous export")
    total = len(queries.seqs(OrderFilter(), OrderSort()))
    progress: list[int] = []
    with pytest.raises(ExportCancelled):
        export_orders(queries, _request(fmt), path, progress=lambda d, _t: progress.append(d),
                      cancelled=lambda: bool(progress) and progress[-1] == total, chunk=100)
    assert progress[-1] == total
    assert path.read_bytes() == b"the previous export"
    assert _leftovers(tmp_path) == []


def test_an_error_mid_export_keeps_the_old_file(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"old")

    def fail(done: int, _total: int) -> None:
        raise RuntimeError("a bug half-way")

    with pytest.raises(RuntimeError):
        export_orders(queries, _request(ExportFormat.CSV), path, progress=fail, chunk=10)
    assert path.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_an_export_replaces_the_old_file_with_normal_permissions(queries: OrderQueries,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"old")
    export_orders(queries, _request(ExportFormat.CSV), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfPurchase date")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody here may create files in: a read-only one, or sysfs for root (root
    ignores permissions)."""
    if os.geteuid() == 0:
        if not Path("/sys/kernel").is_dir():
            pytest.skip("running as root without sysfs: no unwritable folder")
        yield Path("/sys/kernel")
        return
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_an_unwritable_folder_says_so(queries: OrderQueries, unwritable_folder: Path) -> None:
    path = unwritable_folder / "orders.csv"
    with pytest.raises(ExportError) as caught:
        export_orders(queries, _request(ExportFormat.CSV), path)
    assert str(unwritable_folder) in caught.value.user_message
    assert "choose another folder" in caught.value.user_message
    assert not path.exists()


def test_a_missing_folder_says_so(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "gone" / "orders.xlsx"
    with pytest.raises(ExportError) as caught:
        export_orders(queries, _request(ExportFormat.XLSX), path)
    assert "does not exist" in caught.value.user_message
    assert str(tmp_path / "gone") in caught.value.user_message


def test_raw_forms(tmp_path: Path) -> None:
    forms: list[dict[str, Any]] = [{"id": "a", "buyer": {"login": "=x"}}, {"id": "b"}]
    path = tmp_path / "raw.json"
    assert export_raw_forms(forms, path) == 2
    assert json.loads(path.read_bytes()) == forms
    with pytest.raises(ExportError):
        export_raw_forms(forms, tmp_path / "nope" / "raw.json")


# -- requests and defaults ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("pl_PL.UTF-8", CsvOptions(";", True)), ("pl-PL", CsvOptions(";", True)),
    ("pl", CsvOptions(";", True)), ("Polish_Poland.1250", CsvOptions(";", True)),
    ("cs_CZ", CsvOptions(";", True)), ("de_DE@euro", CsvOptions(";", True)),
    ("en_US.UTF-8", CsvOptions(",", False)), ("C.UTF-8", CsvOptions(",", False)),
    ("", CsvOptions(",", False)), ("POSIX", CsvOptions(",", False)),
])
def test_csv_defaults_for(name: str, expected: CsvOptions) -> None:
    assert csv_defaults_for(name) == expected


def test_requests_refuse_what_cannot_work() -> None:
    for bad in ("", ";;", '"', "\n", "a"):
        with pytest.raises(ValueError, match="separator"):
            ExportRequest(fmt=ExportFormat.CSV, delimiter=bad)
    with pytest.raises(ValueError, match="column"):
        ExportRequest(fmt=ExportFormat.CSV, columns=(ItemColumn.SKU,))
    assert column_of("offer_title") is ItemColumn.OFFER_TITLE
    assert column_of("bought_at") is OrderColumn.BOUGHT_AT
    with pytest.raises(ValueError, match="unknown column"):
        column_of("price")


def test_every_column_has_a_title() -> None:
    assert set(COLUMN_TITLES) == {*OrderColumn, *ItemColumn}
    total = TABLE_COLUMNS.index(OrderColumn.TOTAL) + 1
    assert default_columns(ExportPer.ORDER) == (
        *TABLE_COLUMNS[:total], OrderColumn.CURRENCY, *TABLE_COLUMNS[total:])
    per_item = default_columns(ExportPer.LINE_ITEM, (OrderColumn.ORDER_ID,))
    assert per_item == (OrderColumn.ORDER_ID, *ItemColumn, OrderColumn.CURRENCY)


def test_the_default_columns_always_name_the_order_and_its_currency() -> None:
    """Whatever the table shows, an export names the order (after its date) and puts the
    currency next to the amount, once."""
    assert default_columns(ExportPer.ORDER, (OrderColumn.BOUGHT_AT, OrderColumn.TOTAL)) == (
        OrderColumn.BOUGHT_AT, OrderColumn.ORDER_ID, OrderColumn.TOTAL, OrderColumn.CURRENCY)
    assert default_columns(ExportPer.ORDER, (OrderColumn.BUYER_NAME,)) == (
        OrderColumn.ORDER_ID, OrderColumn.BUYER_NAME)
    chosen = (OrderColumn.CURRENCY, OrderColumn.ORDER_ID, OrderColumn.TOTAL)
    assert default_columns(ExportPer.ORDER, chosen) == chosen
    assert default_columns(ExportPer.LINE_ITEM, (OrderColumn.TOTAL, OrderColumn.ITEMS)) == (
        OrderColumn.ORDER_ID, OrderColumn.TOTAL, OrderColumn.CURRENCY, *ItemColumn)


def test_accounts_fall_back_to_their_keys(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    export_orders(queries, _request(ExportFormat.CSV, columns=(OrderColumn.ACCOUNT,),
                                    account_names={ACCOUNT: "sklep_ania"}), path)
    assert {line[0] for line in _read_csv(path, ",")[1:]} == {"sklep_ania", OTHER_ACCOUNT}
