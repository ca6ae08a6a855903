"""How far back the first sync reads: by default everything Allegro still has — the 12 months it
guarantees and whatever older it still answers (`SyncSettings.older_history`, found with one
request for the oldest order) —, or the depth the seller's setting limits it to."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allegro_desktop.api.parsing import parse_time
from allegro_desktop.sync import SyncSettings
from tests.helpers.synced_shop import MakeShop, Shop

#: The app's default (config/settings.py `Settings.sync_settings`): everything Allegro has.
EVERYTHING = SyncSettings(older_history=True, rescan_interval=timedelta(0))


def _bought(form: dict[str, Any]) -> datetime:
    moment = max(parse_time(item["boughtAt"]) for item in form["lineItems"])
    assert moment is not None
    return moment


def _add_order_bought(shop: Shop, days_ago: int) -> str:
    """A new order in the emulator, bought `days_ago` days before the emulator's now."""
    bought = (shop.now() - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")
    form = {"lineItems": [{"boughtAt": bought, "offer": {"id": f"old-{days_ago}",
                                                         "name": "Sanki drewniane"},
                           "price": {"amount": "129.00", "currency": "PLN"}}]}
    created = shop.emu.control("POST", "/orders", {"checkoutForm": form})["checkoutForms"][0]
    return str(created["id"])


async def test_first_sync_takes_all_the_history_allegro_still_has(make_shop: MakeShop) -> None:
    shop = make_shop(EVERYTHING, orders=600, history_days=700, seed=171)
    forms = shop.emulator_forms()
    assert min(_bought(f) for f in forms.values()) < shop.now() - timedelta(days=650)

    report = await shop.sync()

    assert report.outcome.value == "succeeded", report.error
    shop.assert_in_sync()  # every order of the 700 days, not only the last 365
    assert report.new == len(forms)


async def test_a_quiet_year_does_not_cut_the_history_short(make_shop: MakeShop) -> None:
    """A seasonal shop: orders 500 and 900 days ago, nothing for a year and more between them
    and the last 200 days. The probe asks for the oldest order, not window after window, so
    no quiet stretch, however long, stops it."""
    shop = make_shop(EVERYTHING, orders=150, history_days=200, seed=172)
    old = {_add_order_bought(shop, 500), _add_order_bought(shop, 900)}

    await shop.sync()

    shop.assert_in_sync()
    assert old <= set(shop.stored_forms())


async def test_the_setting_still_limits_the_depth(make_shop: MakeShop) -> None:
    shop = make_shop(SyncSettings(history_days=400, rescan_interval=timedelta(0)),
                     orders=600, history_days=700, seed=173)

    await shop.sync()

    reach = shop.now() - timedelta(days=400)
    expected = {i for i, f in shop.emulator_forms().items() if _bought(f) >= reach}
    stored = shop.stored_forms()
    assert set(stored) == expected
    assert len(expected) < len(shop.emulator_forms())  # older orders were there, not read


async def test_no_older_order_costs_one_request(make_shop: MakeShop) -> None:
    """Looking past the 12 months is one list request (one order asked for) when Allegro has
    nothing older."""
    limited = make_shop(SyncSettings(rescan_interval=timedelta(0)), orders=200,
                        history_days=300, seed=174)
    everything = make_shop(EVERYTHING, orders=200, history_days=300, seed=174)

    plain, probed = await limited.sync(), await everything.sync()

    assert probed.requests == plain.requests + 1
    everything.assert_in_sync()
    limited.assert_in_sync()


async def test_the_oldest_order_bounds_the_listing(make_shop: MakeShop) -> None:
    """What lies before the oldest order is not listed: with history 2 years deep, the
    back-fill lists 2 years of windows, not the ten years the probe may reach."""
    deep = make_shop(EVERYTHING, orders=300, history_days=730, seed=175)
    report = await deep.sync()
    windows = (730 + 1) // EVERYTHING.window_days + 2  # each window listed in one page or two
    assert report.requests < 2 * windows + 20
    deep.assert_in_sync()
