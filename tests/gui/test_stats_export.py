"""`services/table_export.py` (no Qt; kept beside the Statistics tab that uses it): typed cells
to CSV in the locale's style and to XLSX as real numbers and dates, no formulas from text, and
never half a file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.export import CsvOptions, ExportError
from allegro_desktop.services.table_export import (
    Percent,
    Table,
    TableFormat,
    sheet_name,
    write_table,
)

TABLE = Table(
    title="Top products: [by revenue]",
    headers=["Product", "Units", "Revenue (PLN)", "Share", "From", "Note"],
    rows=[
        ["=HYPERLINK(\"http://x\")", 3, Money(Decimal("1245.50"), "PLN"), Percent(0.125),
         date(2026, 11, 24), None],
        ["Żarówka LED; \"ciepła\"", 10, Money(Decimal("-5.00"), "PLN"), Percent(1.0),
         date(2026, 1, 1), "@home"],
    ])


def test_csv_in_polish_style(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(TABLE, path, TableFormat.CSV)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Polish letters
    text = raw.decode("utf-8-sig")
    assert text.splitlines() == [
        "Product;Units;Revenue (PLN);Share;From;Note",
        "\"'=HYPERLINK(\"\"http://x\"\")\";3;1245,50;12,5%;2026-11-24;",
        "\"Żarówka LED; \"\"ciepła\"\"\";10;-5,00;100,0%;2026-01-01;'@home",
    ]


def test_csv_with_a_decimal_point(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(TABLE, path, TableFormat.CSV, csv_options=CsvOptions(",", decimal_comma=False))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",3,1245.50,12.5%,2026-11-24,"


def test_xlsx_has_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_table(TABLE, path, TableFormat.XLSX)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "Top products_ _by revenue_"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(TABLE.headers)
    assert rows[1] == ("=HYPERLINK(\"http://x\")", 3, 1245.5, 0.125, datetime(2026, 11, 24),
                       None)
    assert sheet.cell(2, 1).data_type == "s"  # a string, never a formula
    assert sheet.cell(2, 3).number_format == '#,##0.00 "zł"'
    assert sheet.cell(2, 4).number_format == "0.0%"


def test_never_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("older export")
    with pytest.raises(ValueError, match="cells under"):
        write_table(Table("x", ["a", "b"], [[1]]), path, TableFormat.CSV)
    missing = tmp_path / "gone" / "t.csv"
    with pytest.raises(ExportError) as error:
        write_table(TABLE, missing, TableFormat.XLSX)
    assert "does not exist" in error.value.user_message
    assert path.read_text() == "older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_sheet_names() -> None:
    assert sheet_name("a/b:c") == "a_b_c"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("") == "Sheet1"
