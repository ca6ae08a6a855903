"""One poisoned record never blocks an account: every hostile value of
`tests/helpers/hostile_values.py` injected by the hostile proxy into one checkout form of a list
page, into one form fetched on its own, and into one event of the journal, between the real app
and the emulator.

For each: the run ends and succeeds, every other order arrives exactly, the poisoned record is
kept aside (`unreadable`, with its raw JSON as received and the reason naming the field; its
form pending) or — a value merely unusual — stored exactly as sent; the cursor stands at the
journal's end; and once the proxy stops poisoning, the next sync equals the emulator exactly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest

from allegro_desktop.api.errors import ForbiddenError
from allegro_desktop.api.exact_json import decode_json
from allegro_desktop.storage import RunOutcome
from allegro_desktop.storage.order_repository import kept_text
from allegro_desktop.sync import SyncSettings
from tests.helpers.hostile_proxy import ProxiedRequest, Rule
from tests.helpers.hostile_values import EVENT_VALUES, FORM_VALUES, Hostile, poisoned
from tests.helpers.synced_shop import MakeShop, Shop

_MARK = "\u0002poisoned\u0002"
JOURNAL_ONLY = SyncSettings(rescan_interval=timedelta(days=100_000))

#: The values a form fetched on its own is poisoned with (its id stays a string: a form without
#: one is refused by the client as a broken answer, and becomes pending like a failed GET; one
#: whose id is not text is kept aside under the id it was asked for, and stays pending).
SINGLE_VALUES = tuple(h for h in FORM_VALUES if h.name in {
    "total-20-digits", "total-1e999999", "total-largest-storable", "quantity-23-digits",
    "bought-9999", "login-nul", "login-lone-surrogate", "login-not-utf8", "extra-nested-300",
    "extra-nested-3000", "extra-27-digits", "line-items-object", "id-lone-surrogate",
    "id-not-utf8", "line-item-id-lone-surrogate"})


class Poisoner:
    """Rewrites of answers that put `hostile` into one record; `sent` keeps each poisoned
    record's bytes as the app received them."""

    def __init__(self, hostile: Hostile) -> None:
        self.hostile = hostile
        self.sent: list[bytes] = []

    def _replace(self, body: dict[str, Any], records: list[Any], index: int) -> bytes:
        record = records[index]
        records[index] = _MARK
        bad = poisoned(record, self.hostile)
        self.sent.append(bad)
        return orjson.dumps(body).replace(orjson.dumps(_MARK), bad)

    def listed(self, form_id: str) -> Any:
        def rewrite(body: Any, _request: ProxiedRequest) -> Any:
            forms = body["checkoutForms"]
            for index, form in enumerate(forms):
                if form["id"] == form_id:
                    return self._replace(body, forms, index)
            return body
        return rewrite

    def single(self, body: Any, _request: ProxiedRequest) -> bytes:
        bad = poisoned(body, self.hostile)
        self.sent.append(bad)
        return bad

    def first_event_of(self, form_id: str) -> Any:
        """The first event of `form_id` on a page — never the page's last event (whose id the
        cursor takes: the cursor's own validation is the engine's business)."""
        def rewrite(body: Any, _request: ProxiedRequest) -> Any:
            events = body["events"]
            for index, event in enumerate(events[:-1]):
                if event["order"]["checkoutForm"]["id"] == form_id:
                    return self._replace(body, events, index)
            return body
        return rewrite


def _fresh_order(shop: Shop) -> str:
    """An order bought now: the periodic re-scan (every run here) lists it again."""
    created = shop.emu.control("POST", "/orders", {"count": 1})
    form_id: str = created["checkoutForms"][0]["id"]
    return form_id


def _unreadable(shop: Shop) -> list[dict[str, Any]]:
    return shop.orders.unreadable_records(shop.account.key)


def _assert_outcome(shop: Shop, poisoner: Poisoner, target: str, *, kind: str = "form") -> None:
    """The poisoned record kept aside (raw as received, reason naming the field, form pending)
    or stored exactly as sent; every other order exactly as the emulator has it."""
    hostile = poisoner.hostile
    assert poisoner.sent, "the proxy never met the record it was to poison"
    expected = shop.emulator_forms()
    stored = shop.stored_forms()
    for form_id, form in expected.items():
        if form_id != target or kind == "event":
            assert stored.get(form_id) == form, form_id
    rows = _unreadable(shop)
    if hostile.refused is None:
        assert rows == []
        if kind == "form":
            assert stored[target] == orjson.loads(kept_text(decode_json(poisoner.sent[-1])))
        return
    (row,) = rows
    assert row["kind"] == kind
    assert hostile.refused in row["error"], row["error"]
    sent = poisoner.sent[-1]
    assert row["raw"] == sent.decode("utf-8", "backslashreplace") or orjson.loads(
        row["raw"]) == orjson.loads(sent)
    if kind == "form":
        pending = shop.orders.pending_form_ids(shop.account.key)
        assert pending == ([target] if row["checkout_form_id"] == target else [])
        assert target not in stored or stored[target] != expected[target]


async def _heals(shop: Shop) -> None:
    """Once the proxy is transparent again, the next sync equals the emulator exactly."""
    assert shop.proxy is not None
    shop.proxy.clear()
    report = await shop.sync()
    assert report.succeeded, report.error
    shop.assert_in_sync()
    assert shop.orders.pending_form_ids(shop.account.key) == []
    assert report.cursor == shop.journal_ids()[-1]


@pytest.mark.parametrize("hostile", FORM_VALUES, ids=str)
async def test_a_hostile_value_in_one_form_of_a_list_page(make_shop: MakeShop,
                                                         hostile: Hostile) -> None:
    shop = make_shop(orders=40, seed=21, proxy=True)
    assert shop.proxy is not None
    target = _fresh_order(shop)
    poisoner = Poisoner(hostile)
    shop.proxy.add(Rule(path=r"^/order/checkout-forms$", json=poisoner.listed(target)))
    # Poisoned when asked for again on its own too (else the run's own retry of the pending
    # form would already heal it).
    shop.proxy.add(Rule(path=rf"^/order/checkout-forms/{target}$", json=poisoner.single))
    report = await shop.sync()
    assert report.succeeded, report.error
    assert (report.malformed > 0) == (hostile.refused is not None)
    _assert_outcome(shop, poisoner, target)
    assert report.cursor == shop.journal_ids()[-1]
    await _heals(shop)


@pytest.mark.parametrize("hostile", SINGLE_VALUES, ids=str)
async def test_a_hostile_value_in_a_form_fetched_on_its_own(make_shop: MakeShop,
                                                           hostile: Hostile) -> None:
    shop = make_shop(orders=40, seed=22, proxy=True)
    assert shop.proxy is not None
    first = await shop.sync()
    assert first.succeeded, first.error
    target = _fresh_order(shop)  # its events make the next run GET it
    others = shop.emu.control("POST", "/orders", {"count": 3})["checkoutForms"]
    poisoner = Poisoner(hostile)
    shop.proxy.add(Rule(path=rf"^/order/checkout-forms/{target}$", json=poisoner.single))
    report = await shop.sync(JOURNAL_ONLY)  # no re-scan: it would list the form unpoisoned
    assert report.succeeded, report.error
    _assert_outcome(shop, poisoner, target)
    if hostile.refused is not None:  # known by the id it was asked for, whatever its own
        assert shop.orders.pending_form_ids(shop.account.key) == [target]
    assert {form["id"] for form in others} <= set(shop.stored_forms())
    assert report.cursor == shop.journal_ids()[-1]
    await _heals(shop)


@pytest.mark.parametrize("hostile", EVENT_VALUES, ids=str)
async def test_a_hostile_value_in_one_event_of_the_journal(make_shop: MakeShop,
                                                          hostile: Hostile) -> None:
    shop = make_shop(orders=40, seed=23, proxy=True)
    assert shop.proxy is not None
    first = await shop.sync()
    assert first.succeeded, first.error
    target = _fresh_order(shop)
    shop.emu.control("POST", f"/orders/{target}/cancel", {"by": "buyer"})  # a second event
    shop.emu.control("POST", "/orders", {"count": 3})
    poisoner = Poisoner(hostile)
    shop.proxy.add(Rule(path=r"^/order/events$", json=poisoner.first_event_of(target)))
    report = await shop.sync()
    assert report.succeeded, report.error
    _assert_outcome(shop, poisoner, target, kind="event")
    assert report.cursor == shop.journal_ids()[-1]
    await _heals(shop)


async def test_a_poisoned_form_met_at_every_sync_is_kept_once(make_shop: MakeShop) -> None:
    """The same bad form fetched again and again (pending, asked for at every sync): one row
    in `unreadable`, the latest copy; the other orders keep arriving."""
    shop = make_shop(orders=30, seed=24, proxy=True)
    assert shop.proxy is not None
    target = _fresh_order(shop)
    hostile = next(h for h in FORM_VALUES if h.name == "total-1e999999")
    poisoner = Poisoner(hostile)
    shop.proxy.add(Rule(path=r"^/order/checkout-forms$", json=poisoner.listed(target)))
    shop.proxy.add(Rule(path=rf"^/order/checkout-forms/{target}$", json=poisoner.single))
    for _ in range(3):
        report = await shop.sync()
        assert report.succeeded, report.error
        shop.emu.control("POST", "/orders", {"count": 2})
    assert len(poisoner.sent) >= 3
    assert len(_unreadable(shop)) == 1
    assert shop.orders.pending_form_ids(shop.account.key) == [target]
    await _heals(shop)


@pytest.mark.parametrize("words", [b'"Brak \\ud800 \\u001b[31mdost\\u0119pu\\nx"', b'"Brak \xff"'],
                         ids=["lone-surrogate", "not-utf8"])
async def test_an_error_answer_quoting_what_is_not_text_fails_the_run_calmly(
        make_shop: MakeShop, words: bytes) -> None:
    """Allegro's refusal (a 4xx) whose `message` and `userMessage` hold a lone surrogate, a
    byte that was not UTF-8 or a terminal's control codes: the run ends FAILED like for any
    refusal — not as an internal error — its reason one line of text with escapes, in the
    report, the run history and the sync state; the next sync goes on."""
    shop = make_shop(orders=10, seed=25, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    body = (b'{"errors": [{"code": "AccessDenied", "message": ' + words
            + b', "userMessage": ' + words + b'}]}')
    shop.proxy.add(Rule(path=r"^/order/events$", status=403, json=lambda _body, _r: body))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, ForbiddenError)
    assert report.error is not None
    assert "Brak \\" in report.error, report.error
    assert report.error.isprintable()
    assert shop.state.runs(shop.account.key)[0].error == report.error
    assert shop.state.get_sync_state(shop.account.key).last_error == report.error
    shop.proxy.clear()
    report = await shop.sync()
    assert report.succeeded, report.error
    shop.assert_in_sync()


@pytest.mark.parametrize(("status", "code"), [
    (400, "VALIDATION_ERROR"), (403, "AccessDenied"), (404, "NotFound"), (414, None),
    (422, "VALIDATION_ERROR")])
async def test_a_form_allegro_refuses_alone_never_holds_the_account_back(
        make_shop: MakeShop, status: int, code: str | None) -> None:
    """The only changed form of a journal page answers a 4xx of its own (an id Allegro finds
    invalid, another seller's order, a gateway's 404 without Allegro's code): it is asked for
    again at every sync, and the run, the cursor and later syncs go on."""
    shop = make_shop(orders=40, seed=24, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    target = _fresh_order(shop)
    body = orjson.dumps({"errors": [{"code": code, "message": "refused"}]} if code else {})
    rule = shop.proxy.add(Rule(path=rf"^/order/checkout-forms/{target}$", status=status,
                               local_body=body))
    for _ in range(2):  # the same at the next sync: never stuck
        report = await shop.sync(JOURNAL_ONLY)
        assert report.succeeded, report.error
        assert shop.orders.pending_form_ids(shop.account.key) == [target]
        assert report.cursor == shop.journal_ids()[-1]
    assert shop.proxy.hits(rule) == 2
    await _heals(shop)
