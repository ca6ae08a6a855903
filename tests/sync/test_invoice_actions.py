"""Attaching an invoice (PDF) through the durable action queue against a real emulator over
HTTP, with a real SQLite file (docs/ORDER-ACTIONS.md): the PDF reaches Allegro byte for byte
(the control API's size and SHA-256); an answer lost between creating the invoice and uploading
its file, or after the upload, never makes a second invoice nor a second upload; what Allegro
would refuse for sure is refused locally; the file's bytes are kept with the action (the seller
may delete the file) and dropped once it is sent."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select

from allegro_desktop.api.order_writes import MAX_INVOICE_FILE_BYTES
from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.services.order_actions import OrderActions
from allegro_desktop.storage.schema import order_action_files
from allegro_desktop.sync.actions import ActionOutcome, send_account_actions
from tests.helpers.hostile_proxy import Rule
from tests.helpers.invoices import PDF, new_paid_order
from tests.helpers.synced_shop import FAST_RETRY, MakeShop, Shop


async def _send(shop: Shop) -> list[ActionOutcome]:
    return await send_account_actions(shop.services, shop.database, shop.account,
                                      retry=FAST_RETRY)


async def _order(shop: Shop, *, invoice: bool = True) -> str:
    """A new paid order (whose buyer asked for an invoice, or not), synced."""
    order_id = new_paid_order(shop.emu, invoice=invoice)
    assert (await shop.sync()).succeeded
    return order_id


def _held(shop: Shop, order_id: str) -> list[dict[str, Any]]:
    """The order's invoices as Allegro holds them, with each file's size and SHA-256."""
    invoices: list[dict[str, Any]] = shop.emu.control(
        "GET", f"/orders/{order_id}/invoices")["invoices"]
    return invoices


def _pdf(tmp_path: Path, data: bytes = PDF, name: str = "FV 7-2026.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _files_kept(shop: Shop) -> int:
    with shop.database.read() as connection:
        return int(connection.scalar(select(func.count()).select_from(order_action_files))
                   or 0)


async def test_an_invoice_reaches_allegro_with_the_exact_bytes(make_shop: MakeShop,
                                                               tmp_path: Path) -> None:
    shop = make_shop(orders=20)
    order_id = await _order(shop)
    actions = OrderActions(shop.database)
    path = _pdf(tmp_path)

    (queued,) = actions.queue_invoice(order_id, path, invoice_number=" FV 7/2026 ")
    assert queued.refusal is None
    assert queued.action is not None
    assert queued.action.describe() == "invoice FV 7/2026 (FV 7-2026.pdf)"
    path.unlink()  # the bytes were kept with the action: the file may go
    assert _files_kept(shop) == 1

    (outcome,) = await _send(shop)
    assert outcome.sent, outcome
    (held,) = _held(shop, order_id)
    assert held["invoiceNumber"] == "FV 7/2026"
    assert held["file"]["name"] == "FV 7-2026.pdf"
    assert held["file"]["size"] == len(PDF)
    assert held["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert _files_kept(shop) == 0  # sent: the copy is dropped
    sent = actions.get(queued.action.id)
    assert sent is not None
    assert sent.state is ActionState.SENT
    assert sent.invoice is not None
    assert sent.invoice.invoice_id == held["id"]

    # The same file attached again is that action, not a second invoice.
    (again,) = actions.queue_invoice(order_id, _pdf(tmp_path), invoice_number="FV 7/2026")
    assert again.action is not None
    assert again.action.id == queued.action.id
    assert await _send(shop) == []
    assert len(_held(shop, order_id)) == 1


async def test_an_answer_lost_after_creating_the_invoice_never_creates_a_second(
        make_shop: MakeShop, tmp_path: Path) -> None:
    shop = make_shop(orders=20, proxy=True)
    assert shop.proxy is not None
    order_id = await _order(shop)
    actions = OrderActions(shop.database)
    (queued,) = actions.queue_invoice(order_id, _pdf(tmp_path))
    assert queued.action is not None
    # Allegro creates the invoice; its answer is lost on the way back (a 503 instead).
    lost = Rule(path=r"/invoices$", method="POST", status=503, times=1)
    shop.proxy.add(lost)

    (first,) = await _send(shop)
    assert first.state is ActionState.SENDING  # not known whether Allegro took it
    (created,) = _held(shop, order_id)
    assert created["file"]["uploadedAt"] is None

    shop.emu.advance(3600)
    (second,) = await _send(shop)
    assert second.sent, second
    (held,) = _held(shop, order_id)  # looked up, found: only its file was sent
    assert held["id"] == created["id"]
    assert held["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert shop.proxy.count(r"POST .*/invoices$") == 1
    assert shop.proxy.count(r"PUT .*/file$") == 1


async def test_an_answer_lost_after_the_upload_never_uploads_again(make_shop: MakeShop,
                                                                   tmp_path: Path) -> None:
    shop = make_shop(orders=20, proxy=True)
    assert shop.proxy is not None
    order_id = await _order(shop)
    actions = OrderActions(shop.database)
    (queued,) = actions.queue_invoice(order_id, _pdf(tmp_path), invoice_number="FV 8/2026")
    assert queued.action is not None
    shop.proxy.add(Rule(path=r"/file$", method="PUT", status=503, times=1))

    (first,) = await _send(shop)
    assert first.state is ActionState.SENDING
    shop.emu.advance(3600)
    (second,) = await _send(shop)
    assert second.sent, second
    (held,) = _held(shop, order_id)
    assert held["file"]["size"] == len(PDF)
    assert shop.proxy.count(r"POST .*/invoices$") == 1
    assert shop.proxy.count(r"PUT .*/file$") == 1  # looked up: the file was there


async def test_a_refused_upload_fails_with_allegros_reason_and_retry_never_creates_again(
        make_shop: MakeShop, tmp_path: Path) -> None:
    """The upload is answered with a 4xx and Allegro's userMessage: the action fails with that
    reason. Retry looks at the order's invoices first (its invoice id was noted when it was
    created): never a second invoice — and here, as the emulator had taken the file after
    all, no second upload either."""
    shop = make_shop(orders=20, proxy=True)
    assert shop.proxy is not None
    order_id = await _order(shop)
    actions = OrderActions(shop.database)
    (queued,) = actions.queue_invoice(order_id, _pdf(tmp_path))
    assert queued.action is not None
    refusal = orjson.dumps({"errors": [{
        "code": "PAYMENT_REJECTED", "message": "payment rejected",
        "userMessage": "Płatność za zamówienie została odrzucona."}]})
    shop.proxy.add(Rule(path=r"/file$", method="PUT", status=422,
                        raw=lambda _body, _request: refusal, times=1))

    (failed,) = await _send(shop)
    assert failed.state is ActionState.FAILED
    assert str(failed.message) == "Płatność za zamówienie została odrzucona."
    assert actions.retry(queued.action.id)
    (sent,) = await _send(shop)
    assert sent.sent, sent
    (held,) = _held(shop, order_id)
    assert held["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert shop.proxy.count(r"POST .*/invoices$") == 1
    assert shop.proxy.count(r"PUT .*/file$") == 1


async def test_what_allegro_would_refuse_is_refused_locally(make_shop: MakeShop,
                                                           tmp_path: Path) -> None:
    shop = make_shop(orders=20)
    wanted = await _order(shop)
    unwanted = await _order(shop, invoice=False)
    actions = OrderActions(shop.database)

    def refusal(order_id: str, path: Path) -> str:
        (queued,) = actions.queue_invoice(order_id, path)
        assert queued.action is None
        return str(queued.refusal)

    assert refusal(unwanted, _pdf(tmp_path)) == (
        "The buyer did not ask for an invoice for this order.")
    assert refusal(wanted, _pdf(tmp_path, b"", "empty.pdf")) == "The file empty.pdf is empty."
    assert refusal(wanted, _pdf(tmp_path, b"PK\x03\x04 a zip", "faktura.pdf")) == (
        "faktura.pdf is not a PDF file: Allegro takes invoices only as PDF.")
    big = _pdf(tmp_path, b"%PDF-1.7\n" + b"0" * MAX_INVOICE_FILE_BYTES, "big.pdf")
    assert refusal(wanted, big) == "The invoice file is larger than the 3.0 MB Allegro takes."
    assert refusal(wanted, tmp_path / "gone.pdf").startswith(
        f"The file {tmp_path / 'gone.pdf'} could not be read: ")
    assert refusal("no-such-order", _pdf(tmp_path)) == (
        "Order no-such-order is not in the local database: sync first.")
    assert actions.pending(wanted) == actions.pending(unwanted) == []
    assert _files_kept(shop) == 0
    assert await _send(shop) == []
    assert _held(shop, wanted) == []


async def test_a_discarded_invoice_drops_its_file(make_shop: MakeShop, tmp_path: Path) -> None:
    shop = make_shop(orders=20)
    order_id = await _order(shop)
    actions = OrderActions(shop.database)
    (queued,) = actions.queue_invoice(order_id, _pdf(tmp_path))
    assert queued.action is not None
    assert _files_kept(shop) == 1
    assert actions.discard(queued.action.id)
    assert _files_kept(shop) == 0
    assert await _send(shop) == []
    assert _held(shop, order_id) == []
