"""`allegro-desktop export` over a real data folder: the filters select what `OrderQueries`
selects, the defaults follow the locale, bad options and unwritable places are refused."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from allegro_desktop import headless_export
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.accounts import Account
from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.processes import app_env
from tests.helpers.stored_shop import ACCOUNT, LOGINS, OTHER_ACCOUNT, realistic_forms, store_shop

WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """A data folder with the realistic shop in its database and both accounts registered."""
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG", "TZ"):
        monkeypatch.delenv(variable, raising=False)
    paths = resolve_paths(tmp_path / "data")
    store_shop(paths.database, realistic_forms()).close()
    registry = AccountRegistry(paths.config_dir / "accounts.json")
    for key, login in LOGINS.items():
        environment, seller = key.split("|")
        registry.add_or_update(Account(seller_id=seller, login=login, environment=environment))
    return paths


def export(paths: AppPaths, out_file: Path, **options: Any) -> Result:
    out, err = io.StringIO(), io.StringIO()
    options.setdefault("fmt", "json")
    options.setdefault("time_zone", "Europe/Warsaw")
    code = headless_export.export(paths=paths, out_file=out_file, out=out, err=err, **options)
    return Result(code, out.getvalue(), err.getvalue())


def stored_ids(paths: AppPaths, order_filter: OrderFilter) -> list[str]:
    with Database.open(paths.database) as database:
        queries = OrderQueries(database=database)
        seqs = list(queries.seqs(order_filter, OrderSort()))
        rows = queries.rows(seqs)
    return [rows[seq].id for seq in seqs]


@pytest.mark.parametrize(("options", "order_filter"), [
    ({}, OrderFilter()),
    ({"status": "sent"}, OrderFilter(quick=QuickFilter.SENT)),
    ({"status": "cancelled", "account": "sklep_ania"},
     OrderFilter(quick=QuickFilter.CANCELLED, accounts=frozenset({ACCOUNT}))),
    ({"account": OTHER_ACCOUNT}, OrderFilter(accounts=frozenset({OTHER_ACCOUNT}))),
    ({"date_from": datetime(2026, 10, 1).date(), "date_to": datetime(2026, 10, 31).date()},
     OrderFilter(bought_from=datetime(2026, 10, 1, tzinfo=WARSAW),
                 bought_to=datetime(2026, 11, 1, tzinfo=WARSAW))),
    ({"date_to": datetime(2026, 11, 10).date(), "search": "etui", "status": "sent"},
     OrderFilter(bought_to=datetime(2026, 11, 11, tzinfo=WARSAW), search="etui",
                 quick=QuickFilter.SENT)),
    ({"date_from": datetime(2026, 11, 19).date(), "date_to": datetime(2026, 11, 19).date()},
     OrderFilter(bought_from=datetime(2026, 11, 19, tzinfo=WARSAW),
                 bought_to=datetime(2026, 11, 20, tzinfo=WARSAW))),
], ids=["all", "sent", "login-cancelled", "account-key", "october", "search-until",
        "one-day"])
def test_filters_select_what_the_queries_select(paths: AppPaths, tmp_path: Path,
                                                options: dict[str, Any],
                                                order_filter: OrderFilter) -> None:
    out_file = tmp_path / "orders.json"
    result = export(paths, out_file, columns="order_id,account", **options)
    assert result.code == 0, result.err
    records = json.loads(out_file.read_bytes())
    expected = stored_ids(paths, order_filter)
    assert expected, "the shop has such orders"
    assert [r["order_id"] for r in records] == expected
    assert {r["account"] for r in records} <= set(LOGINS.values())
    count = len(expected)
    assert result.out == f"Exported {count} order{'s' if count != 1 else ''} to {out_file}\n"


@pytest.mark.parametrize(("variables", "separator", "total"), [
    ({"LANG": "pl_PL.UTF-8"}, ";", "59,98"),
    ({"LANG": "en_GB.UTF-8"}, ",", "59.98"),
    ({"LANG": "en_GB.UTF-8", "LC_NUMERIC": "cs_CZ.UTF-8"}, ";", "59,98"),
    ({"LANG": "pl_PL.UTF-8", "LC_ALL": "C"}, ",", "59.98"),
])
def test_csv_follows_the_locale(paths: AppPaths, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, variables: dict[str, str],
                                separator: str, total: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    out_file = tmp_path / "orders.csv"
    result = export(paths, out_file, fmt="csv", columns="order_id,total,currency")
    assert result.code == 0, result.err
    lines = out_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == separator.join(["Order ID", "Total", "Currency"])
    first_id = realistic_forms()[0]["id"]
    assert separator.join([first_id, total, "PLN"]) in lines


def test_the_default_columns_name_the_order_and_its_currency(
        paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    out_file = tmp_path / "orders.csv"
    result = export(paths, out_file, fmt="csv")
    assert result.code == 0, result.err
    header, *lines = out_file.read_text(encoding="utf-8-sig").splitlines()
    titles = header.split(";")
    assert titles[:2] == ["Purchase date", "Order ID"]
    assert titles[titles.index("Total") + 1] == "Currency"
    first_id = realistic_forms()[0]["id"]
    [first] = [line.split(";") for line in lines if line.split(";")[1] == first_id]
    assert first[titles.index("Total"):titles.index("Total") + 2] == ["59,98", "PLN"]


def test_csv_options_override_the_locale(paths: AppPaths, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    out_file = tmp_path / "orders.csv"
    result = export(paths, out_file, fmt="csv", columns="order_id,total",
                    delimiter="tab", decimal="point")
    assert result.code == 0, result.err
    first_id = realistic_forms()[0]["id"]
    assert f"{first_id}\t59.98" in out_file.read_text(encoding="utf-8-sig").splitlines()


def test_line_items_to_xlsx(paths: AppPaths, tmp_path: Path) -> None:
    out_file = tmp_path / "items.xlsx"
    result = export(paths, out_file, fmt="xlsx", per="line-item",
                    columns="order_id, offer_title ,unit_price")
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(out_file, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Order ID", "Offer title", "Unit price")
    items = sum(len(form["lineItems"]) for form in realistic_forms())
    assert len(rows) == items + 1
    assert result.out == (f"Exported {items} line items of {len(realistic_forms())} orders to "
                          f"{out_file}\n")


def test_raw_forms_are_allegros(paths: AppPaths, tmp_path: Path) -> None:
    out_file = tmp_path / "raw.json"
    result = export(paths, out_file, raw=True, account="hurtownia_bolek")
    assert result.code == 0, result.err
    forms = json.loads(out_file.read_bytes())
    theirs = {f["id"]: f for n, f in enumerate(realistic_forms()) if not n % 3}
    assert {f["id"]: f for f in forms} == theirs
    assert result.out == f"Exported {len(theirs)} orders to {out_file}\n"


@pytest.mark.parametrize(("options", "message"), [
    ({"fmt": "csv", "raw": True}, "--raw"),
    ({"raw": True, "status": "sent"}, "--raw"),
    ({"columns": "order_id,price"}, "unknown column 'price'; the columns: bought_at"),
    ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
    ({"date_from": datetime(2026, 5, 2).date(), "date_to": datetime(2026, 5, 1).date()},
     "--from is after --to"),
    ({"fmt": "csv", "delimiter": '"'}, "separator"),
    ({"search": "k"}, "a search needs a word of at least 2 characters"),
    ({"fmt": "ods"}, "'ods' is not a valid ExportFormat"),
])
def test_options_that_do_not_fit(paths: AppPaths, tmp_path: Path, options: dict[str, Any],
                                 message: str) -> None:
    out_file = tmp_path / "x.out"
    result = export(paths, out_file, **options)
    assert result.code == 2
    assert message in result.err
    assert list(tmp_path.glob("*.out")) == []


def test_unknown_account_and_missing_folder(paths: AppPaths, tmp_path: Path) -> None:
    unknown = export(paths, tmp_path / "x.json", account="nobody")
    assert unknown.code == 1
    assert "no account 'nobody' (accounts: " in unknown.err
    assert all(login in unknown.err for login in LOGINS.values())
    missing = export(paths, tmp_path / "not-there" / "x.json")
    assert missing.code == 1
    assert "does not exist" in missing.err
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_the_command_line_passes_every_option(paths: AppPaths, tmp_path: Path) -> None:
    """`allegro-desktop export …` in a real process writes what the same options give
    in-process (so every option reaches the export)."""
    command_line = tmp_path / "cli.csv"
    process = subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(paths.data_dir), "export",
         "--format", "csv", "--out", str(command_line), "--status", "sent", "--from",
         "2026-06-01", "--to", "2026-11-30", "--search", "etui", "--account",
         "sklep_ania", "--per", "line-item", "--columns", "bought_at,order_id,offer_title,"
         "line_total,account", "--delimiter", "|", "--decimal", "comma", "--time-zone",
         "Europe/Warsaw"],
        capture_output=True, text=True, env=app_env(LANG="en_US.UTF-8"), timeout=120,
        check=False)
    assert process.returncode == 0, process.stderr
    in_process = tmp_path / "in-process.csv"
    result = export(paths, in_process, fmt="csv", status="sent",
                    date_from=datetime(2026, 6, 1).date(), date_to=datetime(2026, 11, 30).date(),
                    search="etui", account="sklep_ania", per="line-item",
                    columns="bought_at,order_id,offer_title,line_total,account",
                    delimiter="|", decimal="comma")
    assert result.code == 0, result.err
    assert command_line.read_bytes() == in_process.read_bytes()
    lines = command_line.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) > 10
    assert lines[0] == "Purchase date|Order ID|Offer title|Line total|Account"
    assert all(line.endswith("|sklep_ania") for line in lines[1:])
    assert process.stdout.startswith("Exported ")
    assert process.stdout.rstrip().endswith(f"orders to {command_line}")
