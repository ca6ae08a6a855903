"""`allegro-desktop export`: the stored orders to a CSV, XLSX or JSON file
(`services/export.py`), or their checkout forms exactly as Allegro sent them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.headless import (
    ExitCode,
    FilterOptionError,
    account_key_of,
    export_filter,
    filter_time_zone,
    signal_of,
    stopped,
)

if TYPE_CHECKING:
    from datetime import date


def export(*, paths: AppPaths, fmt: str, out_file: Path, account: str | None = None,
           status: str = "all", date_from: date | None = None, date_to: date | None = None,
           search: str = "", per: str = "order", columns: str | None = None,
           delimiter: str | None = None, decimal: str | None = None, raw: bool = False,
           time_zone: str | None = None, out: TextIO = sys.stdout,
           err: TextIO = sys.stderr) -> ExitCode:
    """Export the stored orders to `out_file` (`fmt` "csv", "xlsx" or "json"), as
    `services/export.py` writes them: the orders the filters select (`status` a quick filter
    such as "to-process"; `date_from`/`date_to` purchase days, inclusive, in `time_zone` —
    default the computer's; `search` as the search box; `account` a login or key), newest
    first, one row per order or per line item (`per` "line-item"), `columns` a comma-separated
    list of column ids. CSV's separator and decimal mark default to what the user's locale
    (`LC_ALL`/`LC_NUMERIC`/`LANG`) expects. `raw`: JSON only, the checkout forms exactly as
    Allegro sent them (every stored order, or `account`'s; merged-away forms left out).

    The file appears whole or not at all. Prints "Exported N orders to FILE". 0 on success,
    1 when the export fails (the reason on `err`), 2 for options that do not fit, 130 on
    Ctrl+C, 143 on SIGTERM, 129 on SIGHUP (nothing written).
    """
    from allegro_desktop import __version__
    from allegro_desktop.auth.account_registry import AccountRegistry
    from allegro_desktop.domain.filters import OrderColumn, OrderSort, QuickFilter
    from allegro_desktop.services.export import (
        ExportColumn,
        ExportFormat,
        ExportPer,
        ExportRequest,
        ItemColumn,
        column_of,
        csv_defaults_for,
        default_columns,
        export_orders,
        export_raw_forms,
        system_locale_name,
    )
    from allegro_desktop.storage import Database, OrderRepository
    from allegro_desktop.storage.order_query import OrderQueries

    def usage(message: str) -> ExitCode:
        print(f"allegro-desktop export: {message}", file=err)
        return ExitCode.USAGE

    try:
        export_format = ExportFormat(fmt)
        rows_per = ExportPer(per.replace("-", "_"))
        quick = QuickFilter(status.replace("-", "_"))
    except ValueError as exc:
        return usage(str(exc))
    if raw and (export_format is not ExportFormat.JSON or status != "all" or search
                or date_from or date_to or per != "order" or columns):
        return usage("--raw writes the checkout forms as Allegro sent them, as JSON, of every "
                     "stored order (or one --account's); it takes no other option")
    try:
        zone = filter_time_zone(time_zone, date_from, date_to, search)
    except FilterOptionError as exc:
        return usage(str(exc))
    chosen: tuple[ExportColumn, ...] = default_columns(rows_per)
    if columns:
        try:
            chosen = tuple(column_of(name.strip()) for name in columns.split(",")
                           if name.strip())
        except ValueError as exc:
            known_columns = ", ".join(c.value for c in (*OrderColumn, *ItemColumn))
            return usage(f"{exc}; the columns: {known_columns}")
    csv_defaults = csv_defaults_for(system_locale_name())
    separator = delimiter or csv_defaults.delimiter
    if separator.lower() in ("tab", "\\t"):
        separator = "\t"
    comma = csv_defaults.decimal_comma if decimal is None else decimal == "comma"
    try:  # what the options alone decide, checked before anything is opened
        ExportRequest(fmt=export_format, per=rows_per, columns=chosen, delimiter=separator)
    except ValueError as exc:  # a separator CSV cannot use, no column left
        return usage(str(exc))

    try:
        known = AccountRegistry(paths.config_dir / "accounts.json").all()
        with Database.open(paths.database, app_version=__version__) as database:
            queries = OrderQueries(database=database)
            key = None
            if account is not None:
                key = account_key_of(account, known, queries, err)
                if key is None:
                    return ExitCode.FAILED
            if raw:
                forms = OrderRepository(database=database).raw_forms(key, include_gone=False)
                count = export_raw_forms(forms, out_file)
                print(f"Exported {count} order{'s' if count != 1 else ''} to {out_file}",
                      file=out)
                return ExitCode.OK
            request = ExportRequest(
                fmt=export_format, per=rows_per, columns=chosen,
                order_filter=export_filter(quick=quick, search=search, key=key,
                                           date_from=date_from, date_to=date_to, zone=zone),
                sort=OrderSort(), delimiter=separator, decimal_comma=comma, time_zone=zone,
                account_names={a.key: a.login for a in known})
            report = export_orders(queries, request, out_file)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except KeyboardInterrupt as interrupt:
        return stopped(signal_of(interrupt), err, "nothing was written")
    orders = f"{report.orders} order{'s' if report.orders != 1 else ''}"
    if rows_per is ExportPer.LINE_ITEM:
        orders = f"{report.rows} line item{'s' if report.rows != 1 else ''} of {orders}"
    print(f"Exported {orders} to {out_file}", file=out)
    return ExitCode.OK
