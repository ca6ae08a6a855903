"""Packing slips and pick lists as PDF (`services/printouts.py`), read back with poppler's
`pdftotext` and rendered with `pdftoppm`: Polish letters, every ordered item, hostile values
that never break a page or the run, the pick list's sums."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from allegro_desktop.domain.errors import Text
from allegro_desktop.domain.filters import OrderFilter, OrderSort
from allegro_desktop.domain.orders import Money
from allegro_desktop.services.printout_data import (
    PrintProblem,
    Slip,
    SlipItem,
    load_slips,
    pick_lines,
)
from allegro_desktop.services.printouts import (
    SlipSize,
    Wording,
    render_packing_slips,
    render_pick_list,
)
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.stored_shop import realistic_forms, store_shop

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None
                                or shutil.which("pdftoppm") is None,
                                reason="poppler-utils (scripts/bootstrap installs it)")

WARSAW = ZoneInfo("Europe/Warsaw")
ENGLISH = Wording(language="en", time_zone=WARSAW)


def _text(pdf: bytes, tmp_path: Path, *, first: int | None = None) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(first), "-l", str(first)] if first else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines()
                     if line.startswith("Pages:")))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderQueries]:
    database = store_shop(tmp_path_factory.mktemp("shop") / "orders.sqlite3",
                          realistic_forms())
    yield OrderQueries(database=database)
    database.close()


def _slip(**changes: Any) -> Slip:
    values: dict[str, Any] = {
        "order_id": "8c774370-e457-11f1-b865-a90c2439b017",
        "bought_at": datetime(2026, 11, 19, 20, 26, tzinfo=UTC),
        "total": Money(Decimal("1245.50"), "PLN"), "payment_type": "CASH_ON_DELIVERY",
        "buyer_name": "Zażółć Gęślą-Jaźń", "buyer_company": None, "buyer_login": "jazn",
        "buyer_phone": "600100200", "buyer_email": "j@example.pl",
        "delivery_method": "Kurier DPD", "pickup_point": False,
        "delivery_lines": ("Łucja Świątek", "ul. Źródlana 5", "00-950 Łódź", "PL"),
        "items": (SlipItem(offer_id="17007655587", sku="ŻAR-E27", name="Żarówka LED E27",
                           quantity=2),),
        "message": "Proszę o szybką wysyłkę"}
    return Slip(**(values | changes))


def test_every_slip_shows_its_order_and_every_item_with_polish_letters(
        shop: OrderQueries, tmp_path: Path) -> None:
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    batch = load_slips(shop, seqs)
    assert len(batch.slips) == 300
    assert batch.problems == ()
    printout = render_packing_slips(batch.slips, wording=ENGLISH)
    assert printout.orders == 300
    assert printout.problems == ()
    text = _flat(_text(printout.pdf, tmp_path))
    for slip in batch.slips:
        assert slip.order_id in text
        for item in slip.items:
            assert f"{item.quantity} × " in text
            assert f"Offer {item.offer_id}" in text
            assert _flat(item.name)[:30] in text  # a long name wraps; its start is there
    assert any(letter in text for letter in "ąęśćźżółń")
    assert "Message from the buyer" in text


def test_a_slip_in_polish_with_money_and_time_as_the_app_writes_them(tmp_path: Path) -> None:
    def polish(text: Text) -> str:
        words = {"Packing slip": "Lista zawartości paczki", "Bought %1": "Kupiono %1",
                 "Total %1": "Razem %1"}
        return text.format(words.get(text.template, text.template))

    wording = Wording(language="pl", translated=polish, time_zone=WARSAW)
    printout = render_packing_slips([_slip()], size=SlipSize.LABEL, wording=wording,
                                    note_of=lambda order_id: "Zapakować w folię bąbelkową")
    text = _flat(_text(printout.pdf, tmp_path))
    assert "Lista zawartości paczki" in text
    assert "Kupiono 19.11.2026 21:26" in text  # 20:26 UTC is 21:26 in Warsaw
    assert "Razem 1 245,50 zł" in text
    assert "Zażółć Gęślą-Jaźń" in text
    assert "00-950 Łódź" in text
    assert "Zapakować w folię bąbelkową" in text
    assert "Seller's note" in text
    assert "SKU ŻAR-E27" in text


def test_hostile_values_never_break_a_page_nor_the_run(tmp_path: Path) -> None:
    """A 5 000-character name, 300 items, emoji, right-to-left text, control and bidi
    characters, no address at all, a pickup point: every slip printed, every item on it, no
    line wider than its page."""
    long_name = "Bardzo długa nazwa " * 250
    many = tuple(SlipItem(offer_id=f"1{n:010d}", sku=f"SKU-{n}", name=f"Przedmiot {n} żółty",
                          quantity=n % 4 + 1) for n in range(300))
    slips = [
        _slip(order_id="a-long", items=(SlipItem("1", "S" * 400, long_name, 10**9),),
              buyer_name="X" * 3000, message="Wiadomość " * 2000),
        _slip(order_id="b-many", items=many),
        _slip(order_id="c-odd", buyer_name="Ana 😀🎁 \u202eevil\u202c שלום עולם مرحبا",
              message="line1\x00\x1b[31m\r\nline2\u200b\ud800", delivery_lines=()),
        _slip(order_id="d-point", pickup_point=True,
              delivery_lines=("Paczkomat WAW01M", "Marszałkowska 1", "00-001 Warszawa")),
    ]
    printout = render_packing_slips(slips, wording=ENGLISH)
    assert printout.problems == ()
    assert printout.orders == 4
    text = _flat(_text(printout.pdf, tmp_path))
    for n in range(300):
        assert f"Przedmiot {n} żółty" in text
    assert "…" in text  # the long name and message were cut
    assert "1000000000 ×" in text
    assert "The order has no delivery address." in text
    assert "Pickup point" in text
    assert "Paczkomat WAW01M" in text
    assert "😀" in text
    assert "evil" in text
    assert "\u202e" not in text
    assert "שלום" in text or "םולש" in text
    assert _pages(printout.pdf, tmp_path) == printout.pages > 4  # 300 items continue
    assert "Order b-many (continued)" in text
    label = render_packing_slips(slips, size=SlipSize.LABEL, wording=ENGLISH)
    assert label.problems == ()
    assert label.pages > printout.pages
    on_labels = _flat(_text(label.pdf, tmp_path))
    assert all(f"Przedmiot {n} żółty" in on_labels for n in range(300))


def test_text_stays_inside_the_page(tmp_path: Path) -> None:
    """pdftotext's bounding boxes: no word of a hostile slip crosses the page's right edge."""
    slip = _slip(buyer_name="W" * 500, items=(SlipItem("1", "Q" * 200, "M" * 900, 3),),
                 delivery_lines=("Z" * 700,))
    for size, width_mm in ((SlipSize.A4, 210), (SlipSize.LABEL, 100)):
        printout = render_packing_slips([slip], size=size, wording=ENGLISH)
        path = tmp_path / f"{size}.pdf"
        path.write_bytes(printout.pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        right_edges = [float(part.split('"')[1]) for part in html.split("xMax=")[1:]]
        assert right_edges
        assert max(right_edges) <= width_mm / 25.4 * 72


def test_a_damaged_stored_form_leaves_out_that_order_only(tmp_path: Path) -> None:
    database = store_shop(tmp_path / "orders.sqlite3", realistic_forms()[:6])
    queries = OrderQueries(database=database)
    seqs = list(queries.seqs(OrderFilter(), OrderSort()))
    with database.write() as connection:
        connection.exec_driver_sql("UPDATE order_forms SET raw = '{not json' WHERE seq = ?",
                                   (seqs[2],))
    batch = load_slips(queries, seqs)
    damaged = queries.rows([seqs[2]])[seqs[2]].id
    assert [problem.order_id for problem in batch.problems] == [damaged]
    printout = render_packing_slips(batch.slips, wording=ENGLISH, problems=batch.problems)
    assert printout.orders == 5
    assert printout.problems == batch.problems
    assert damaged not in _text(printout.pdf, tmp_path)
    database.close()


def test_the_pick_list_sums_items_by_sku_with_their_orders(shop: OrderQueries,
                                                           tmp_path: Path) -> None:
    slips = [
        _slip(order_id="order-1", items=(SlipItem("111", "KUB-1", "Kubek żółty", 2),
                                         SlipItem("222", None, "Talerz", 1))),
        _slip(order_id="order-2", items=(SlipItem("333", "KUB-1", "Kubek żółty (nowa oferta)",
                                                  3),)),
        _slip(order_id="order-3", items=(SlipItem("222", None, "Talerz", 4),)),
    ]
    lines = pick_lines(slips)
    assert [(line.sku, line.offer_id, line.quantity) for line in lines] == [
        ("KUB-1", "111", 5), (None, "222", 5)]
    assert [(o.order_id, o.quantity) for o in lines[0].orders] == [("order-1", 2),
                                                                     ("order-2", 3)]
    printout = render_pick_list(slips, wording=ENGLISH)
    text = _flat(_text(printout.pdf, tmp_path))
    assert "Orders: 3 · products: 2 · pieces: 10" in text
    assert "5 × KUB-1" in text
    assert "2 × order-1" in text
    assert "3 × order-2" in text
    assert "4 × order-3" in text
    assert "Kubek żółty" in text

    everything = load_slips(shop, list(shop.seqs(OrderFilter(), OrderSort()))).slips
    whole = render_pick_list(everything, wording=ENGLISH)
    read = _flat(_text(whole.pdf, tmp_path))
    for slip in everything:
        assert slip.order_id in read
    assert f"pieces: {sum(i.quantity for s in everything for i in s.items)}" in read


def test_a_pick_line_for_hundreds_of_orders_continues_over_pages(tmp_path: Path) -> None:
    slips = [_slip(order_id=f"order-{n:04d}", items=(SlipItem("9", "HOT", "Hit", 1),))
             for n in range(400)]
    printout = render_pick_list(slips, wording=ENGLISH)
    text = _flat(_text(printout.pdf, tmp_path))
    assert printout.pages > 2
    assert "Pick list (continued)" in text
    assert all(f"1 × order-{n:04d}" in text for n in range(400))


def test_no_slips_is_one_page_saying_so(tmp_path: Path) -> None:
    printout = render_packing_slips([], wording=ENGLISH)
    assert printout.orders == 0
    assert printout.pages == 1
    assert "No orders to print." in _text(printout.pdf, tmp_path)


def test_one_page_of_each_kind_renders(shop: OrderQueries, tmp_path: Path) -> None:
    """pdftoppm renders a slip (A4 and label) and a pick list; the PNGs are kept in
    tmp_path for a look (the report of the change says what they showed)."""
    batch = load_slips(shop, list(shop.seqs(OrderFilter(), OrderSort()))[:20])
    for name, printout in (
            ("slip-a4", render_packing_slips(batch.slips, wording=ENGLISH)),
            ("slip-label", render_packing_slips(batch.slips, size=SlipSize.LABEL,
                                                wording=ENGLISH)),
            ("pick-list", render_pick_list(batch.slips, wording=ENGLISH))):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(printout.pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile",
                        str(pdf), str(tmp_path / name)], check=True)
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG")
        assert len(png) > 2000


def test_problems_read_as_one_line() -> None:
    problem = PrintProblem("abc", Text("Broken %1.", "here"))
    assert str(problem) == "abc: Broken here."


def test_a_slip_prints_the_sellers_private_note(tmp_path: Path) -> None:
    """The note the seller keeps on an order (OrderLabels) is read with the order and printed
    on its slip; `note_of` may still give another."""
    from allegro_desktop.services.order_labels import OrderLabels

    database = store_shop(tmp_path / "orders.sqlite3", realistic_forms()[:3])
    try:
        queries = OrderQueries(database=database)
        seqs = list(queries.seqs(OrderFilter(), OrderSort()))
        first = queries.rows(seqs[:1])[seqs[0]].id
        OrderLabels(database=database).set_note(first, "Zapakować w folię bąbelkową")
        batch = load_slips(queries, seqs)
        assert [slip.seller_note for slip in batch.slips].count(
            "Zapakować w folię bąbelkową") == 1
        text = _flat(_text(render_packing_slips(batch.slips, wording=ENGLISH).pdf, tmp_path))
        assert "Zapakować w folię bąbelkową" in text
        other = render_packing_slips(batch.slips, wording=ENGLISH,
                                     note_of=lambda _order_id: "Inna notatka")
        assert "Inna notatka" in _flat(_text(other.pdf, tmp_path))
    finally:
        database.close()
