"""Small tables to CSV or XLSX: what the Statistics tab's "Export" buttons write (no Qt).

The order export (`services/export.py`) streams a million orders through typed columns; these
tables are a few dozen rows the window already holds (top products, the split by delivery
method, the time series…), so they are handed over whole as typed cells and written in one go.
The promises are the order export's, and so are the helpers that keep them:

- **Excel opens it right in Poland**: CSV is UTF-8 with a BOM, with the separator and decimal
  mark of `CsvOptions` (`csv_defaults_for` the user's locale); XLSX has real numbers (money
  with its currency's format, shares as percentages) and dates, so sums work at once;
- **no live formulas** from offer titles: CSV text cells are `neutralise`d, XLSX text is always
  a string cell;
- **never half a file, never the wrong one**: written through `services/safe_write.py` — a
  temporary file renamed over the target at the end, the target checked first (never the
  app's database, a folder, a link or a pipe); an error the user can act on (no permission,
  disk full, the file open in Excel) is an `ExportError` saying what to do, and leaves an
  older file as it was.
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeAlias

import xlsxwriter  # type: ignore[import-untyped]  # ships no type information

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.export import CURRENCY_FORMATS, CsvOptions, neutralise
from allegro_desktop.services.safe_write import (  # one "never half a file, never the wrong one"
    DiscardableFile,
    replacing_atomically,
)

__all__ = ["Cell", "Percent", "Table", "TableFormat", "write_table"]

_XLSX_MAX_TEXT: Final = 32_767
_SHEET_FORBIDDEN: Final = frozenset("[]:*?/\\")


class TableFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True, slots=True)
class Percent:
    """A share (0.25 = 25 %): written as a percentage, not as a bare fraction."""

    value: float


#: What a cell may hold; None is an empty cell.
Cell: TypeAlias = str | int | float | Decimal | Money | Percent | date | None


@dataclass(frozen=True)
class Table:
    """`title` names the XLSX sheet (cut to Excel's 31 characters); `headers` are the
    translated column titles; every row has one cell per header."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"a row of {len(row)} cells under {len(self.headers)} headers")


def write_table(table: Table, path: Path, fmt: TableFormat, *,
                csv_options: CsvOptions | None = None) -> None:
    """Write `table` to `path` (replacing a file there only once the new one is complete).

    `csv_options`: the separator and decimal mark of a CSV (default `;` and a decimal comma,
    what Polish Excel expects). Raises `ExportError` with a message for the user."""
    target = Path(path).absolute()
    with replacing_atomically(target) as temporary:
        if fmt is TableFormat.CSV:
            _write_csv(table, temporary, csv_options or CsvOptions(";", decimal_comma=True))
        else:
            _write_xlsx(table, temporary)


# -- CSV -----------------------------------------------------------------------------------------

def _number(value: Decimal | float | int, decimal_comma: bool, places: int | None = None) -> str:
    text = f"{value:.{places}f}" if places is not None else str(value)
    return text.replace(".", ",") if decimal_comma else text


def _csv_cell(cell: Cell, decimal_comma: bool) -> str | int | None:
    if cell is None or isinstance(cell, bool):
        return None if cell is None else str(cell)
    if isinstance(cell, str):
        return neutralise(cell)
    if isinstance(cell, int):
        return cell
    if isinstance(cell, Money):
        return _number(cell.amount, decimal_comma, 2)
    if isinstance(cell, Percent):
        return _number(cell.value * 100, decimal_comma, 1) + "%"
    if isinstance(cell, Decimal | float):
        return _number(cell, decimal_comma)
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="seconds")[:19]
    return cell.isoformat()


def _write_csv(table: Table, path: Path, options: CsvOptions) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=options.delimiter, quotechar='"',
                            quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([neutralise(header) for header in table.headers])
        for row in table.rows:
            writer.writerow([_csv_cell(cell, options.decimal_comma) for cell in row])


# -- XLSX ----------------------------------------------------------------------------------------

def sheet_name(title: str) -> str:
    """`title` as Excel allows a sheet name: no `[]:*?/\\`, at most 31 characters."""
    cleaned = "".join("_" if char in _SHEET_FORBIDDEN else char for char in title).strip("'")
    return cleaned[:31] or "Sheet1"


def _write_xlsx(table: Table, path: Path) -> None:
    file = DiscardableFile(path)  # inert once writing failed: see DiscardableFile
    book = xlsxwriter.Workbook(file, {
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    try:
        sheet = book.add_worksheet(sheet_name(table.title))
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        percent = book.add_format({"num_format": "0.0%"})
        money: dict[str, Any] = {}
        widths = [len(header) + 2 for header in table.headers]
        for column, header in enumerate(table.headers):
            sheet.write_string(0, column, header, bold)
        for at, row in enumerate(table.rows, start=1):
            for column, cell in enumerate(row):
                if cell is None:
                    continue
                width = len(str(cell.amount if isinstance(cell, Money) else cell)) + 2
                widths[column] = max(widths[column], min(width, 60))
                if isinstance(cell, str):
                    sheet.write_string(at, column, cell[:_XLSX_MAX_TEXT])
                elif isinstance(cell, Money):
                    style = money.get(cell.currency)
                    if style is None:
                        pattern = CURRENCY_FORMATS.get(cell.currency,
                                                       f'#,##0.00 "{cell.currency}"')
                        style = money[cell.currency] = book.add_format({"num_format": pattern})
                    sheet.write_number(at, column, float(cell.amount), style)
                elif isinstance(cell, Percent):
                    sheet.write_number(at, column, cell.value, percent)
                elif isinstance(cell, bool):
                    sheet.write_boolean(at, column, cell)
                elif isinstance(cell, int | float | Decimal):
                    sheet.write_number(at, column, float(cell))
                elif isinstance(cell, datetime):
                    sheet.write_datetime(at, column, cell.replace(tzinfo=None), moment)
                else:
                    sheet.write_datetime(at, column, datetime(cell.year, cell.month, cell.day),
                                         day)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, max(width, 10))
        sheet.freeze_panes(1, 0)
    finally:
        try:
            book.close()
            file.close()
        except xlsxwriter.exceptions.FileCreateError as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError):
                raise cause from exc
            raise
        finally:
            file.discard()
