"""The hostile proxy itself: transparent without rules, and each of its actions does what the
reliability tests rely on."""

from __future__ import annotations

import httpx
import orjson

from tests.helpers.hostile_proxy import Rule, nested
from tests.helpers.synced_shop import MakeShop


async def test_without_rules_a_sync_through_the_proxy_equals_the_emulator(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=120, seed=3, proxy=True)
    assert shop.proxy is not None
    report = await shop.sync()
    assert report.succeeded, report.error
    shop.assert_in_sync()
    assert shop.proxy.count(r"^GET /order/checkout-forms\?") >= 2


async def test_a_rule_applies_its_times_then_lets_answers_pass(make_shop: MakeShop) -> None:
    shop = make_shop(orders=10, seed=3, proxy=True)
    assert shop.proxy is not None
    rule = shop.proxy.add(Rule(path=r"^/order/event-stats$", times=1,
                               json=lambda body, request: b'{"latestEvent": {"id": 1e999999}}'))
    token = shop.emu.login()["access_token"]
    headers = {"Authorization": f"Bearer {token}",
               "Accept": "application/vnd.allegro.public.v1+json"}
    with httpx.Client(base_url=shop.proxy.base_url, timeout=10) as http:
        first = http.get("/order/event-stats", headers=headers)
        second = http.get("/order/event-stats", headers=headers)
    assert first.content == b'{"latestEvent": {"id": 1e999999}}'
    assert orjson.loads(second.content) == shop.emu.api(token, "/order/event-stats").json()
    assert shop.proxy.hits(rule) == 1


def test_nested_builds_the_depth_asked_for() -> None:
    value = nested(5)
    depth = 0
    while not isinstance(value, str):
        value = value["n"] if isinstance(value, dict) else value[0]
        depth += 1
    assert depth == 5
