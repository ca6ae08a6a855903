"""`allegro-desktop print packing-slips|pick-list` as a user runs it (real processes): the
export's filters or --ids choose the orders, the PDF holds every chosen order and item, it is
written like an export (never over the database, a link or a folder), an order that cannot be
printed is one line and exit 1 while the others are written."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.headless import ExitCode
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.processes import run_app
from tests.helpers.stored_shop import realistic_forms, store_shop

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (scripts/bootstrap installs it)")
TRACES = ("Traceback", "Logging error", "Exception ignored")


@pytest.fixture
def profile(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "profile")
    store_shop(paths.database, realistic_forms()).close()
    return paths


def _text(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())


def _orders(paths: AppPaths, quick: QuickFilter = QuickFilter.ALL) -> list[tuple[str, list[str]]]:
    with Database.open(paths.database) as database:
        queries = OrderQueries(database=database)
        seqs = list(queries.seqs(OrderFilter(quick=quick), OrderSort()))
        rows, items = queries.rows(seqs), queries.line_items(seqs)
        return [(rows[seq].id, [item.offer_id for item in items.get(seq, [])]) for seq in seqs]


def test_packing_slips_of_the_filtered_orders_in_polish(profile: AppPaths,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "slips.pdf"
    result = run_app(profile.data_dir, "--language", "pl", "print", "packing-slips",
                     "--status", "cancelled", "--size", "label", "--time-zone",
                     "Europe/Warsaw", "--out", str(out))
    chosen = _orders(profile, QuickFilter.CANCELLED)
    assert result.returncode == ExitCode.OK, result.stderr
    assert len(chosen) > 5
    assert result.stdout.startswith(f"Printed packing slips of {len(chosen)} orders to {out}")
    text = _text(out)
    assert "Lista zawartości paczki" in text
    assert "Kupujący" in text
    for order_id, offers in chosen:
        assert order_id in text
        assert all(f"Oferta {offer}" in text for offer in offers)
    others = {order_id for order_id, _ in _orders(profile)} - {o for o, _ in chosen}
    assert not any(order_id in text for order_id in others)


def test_a_pick_list_of_orders_by_id(profile: AppPaths, tmp_path: Path) -> None:
    chosen = _orders(profile)[:5]
    out = tmp_path / "pick.pdf"
    result = run_app(profile.data_dir, "--language", "en", "print", "pick-list", "--ids",
                     ",".join(order_id for order_id, _ in chosen), "--out", str(out))
    assert result.returncode == ExitCode.OK, result.stderr
    text = _text(out)
    assert "Pick list" in text
    assert all(order_id in text for order_id, _ in chosen)
    assert all(f"Offer {offer}" in text for _, offers in chosen for offer in offers)


def test_print_refuses_what_an_export_refuses(profile: AppPaths, tmp_path: Path) -> None:
    before = _orders(profile)
    link = tmp_path / "link.pdf"
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"older")
    link.symlink_to(kept)
    for target in (profile.database, link, tmp_path):
        result = run_app(profile.data_dir, "print", "packing-slips", "--out", str(target))
        assert result.returncode == ExitCode.FAILED, result
        assert not any(trace in result.stderr for trace in TRACES)
        assert len(result.stderr.strip().splitlines()) == 1
    assert _orders(profile) == before  # the database is still itself
    assert kept.read_bytes() == b"older"
    assert link.is_symlink()
    assert not list(tmp_path.glob(".*.part"))


def test_bad_options_and_unknown_ids(profile: AppPaths, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    assert run_app(profile.data_dir, "print", "pick-list", "--size", "label", "--out",
                   str(out)).returncode == ExitCode.USAGE
    assert run_app(profile.data_dir, "print", "packing-slips", "--ids", "a",
                   "--status", "sent", "--out", str(out)).returncode == ExitCode.USAGE
    missing = run_app(profile.data_dir, "print", "packing-slips", "--ids", "nope",
                      "--out", str(out))
    assert missing.returncode == ExitCode.FAILED
    assert missing.stderr.strip() == "allegro-desktop print: no stored order nope"
    assert not out.exists()


def test_a_damaged_order_is_one_line_and_the_others_are_printed(profile: AppPaths,
                                                                tmp_path: Path) -> None:
    chosen = _orders(profile)[:4]
    with sqlite3.connect(profile.database) as connection:
        connection.execute("UPDATE order_forms SET raw = '{broken' WHERE seq = "
                           "(SELECT seq FROM orders WHERE id = ?)", (chosen[1][0],))
    connection.close()
    out = tmp_path / "slips.pdf"
    result = run_app(profile.data_dir, "print", "packing-slips", "--ids",
                     ",".join(order_id for order_id, _ in chosen), "--out", str(out))
    assert result.returncode == ExitCode.FAILED
    assert result.stderr.strip().splitlines() == [
        f"allegro-desktop print: left out {chosen[1][0]}: The stored order cannot be read "
        "(its data is damaged). Sync again to download it anew."]
    text = _text(out)
    assert chosen[1][0] not in text
    assert all(order_id in text for order_id, _ in chosen[::2])
