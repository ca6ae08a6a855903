"""A sync that receives forms exactly as it stored them (a re-scan, a listed span, pending forms
asked for again) does not parse them (`SyncRun.parse_forms`): they count as unchanged, a pending
one is no longer pending, and the database ends exactly as one clean sync leaves it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from allegro_desktop.storage import PendingForm, RunOutcome
from allegro_desktop.sync import SyncSettings
from allegro_desktop.sync import run as sync_run
from tests.helpers.synced_shop import MakeShop

EVERY_RUN_RESCANS = SyncSettings(rescan_interval=timedelta(0), history_days=200)


async def test_a_rescan_parses_only_what_changed(make_shop: MakeShop,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shop = make_shop(orders=400, seed=41, settings=EVERY_RUN_RESCANS)
    assert (await shop.sync()).succeeded
    stored = shop.stored_forms()
    kept = sorted(stored)[0]
    # as if its last fetch had failed: the next run asks for it again
    shop.orders.apply_batch(account_key=shop.account.key, orders=[], events=[], cursor=None,
                            pending=[PendingForm(kept, "failed")])
    changed = next(form for form in stored.values() if form["status"] == "READY_FOR_PROCESSING"
                   and form["fulfillment"]["status"] == "NEW")
    shop.emu.control("POST", f"/orders/{changed['id']}/fulfillment",
                     {"status": "PROCESSING"})
    shop.emu.advance(60)

    parsed: list[str] = []
    real_parse = sync_run.parse_checkout_form

    def counted(data: Any, **kwargs: Any) -> Any:
        parsed.append(data.get("id"))
        return real_parse(data, **kwargs)

    monkeypatch.setattr(sync_run, "parse_checkout_form", counted)
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.updated == 1
    assert report.unchanged > 0  # the re-scan's span and the pending form, as stored
    assert report.new == 0
    assert set(parsed) == {changed["id"]}, parsed
    assert shop.orders.pending_form_ids(shop.account.key) == []
    shop.assert_exact()
