"""A seller's orders and event journal exactly as the emulator serves them (`Shop`), parsed the
way the sync parses them (`store_forms` stores them as a sync's batch), and a clock storage
tests move by hand."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from allegro_desktop.api.parsing import parse_checkout_form, parse_event
from allegro_desktop.domain.orders import Order, OrderEvent
from allegro_desktop.storage import OrderRepository

ACCOUNT = "production|48213377"
OTHER_ACCOUNT = "sandbox|60324418"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand (storage stamps first_seen_at, runs, cursors with it)."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Shop:
    """A seller's orders and event journal exactly as the emulator serves them."""

    bodies: tuple[bytes, ...]  # GET /order/checkout-forms/{id} bodies, newest first
    forms: tuple[dict[str, Any], ...]  # the same, parsed
    events: tuple[dict[str, Any], ...]  # oldest first

    def form_copies(self, count: int | None = None) -> list[dict[str, Any]]:
        return [copy.deepcopy(f) for f in self.forms[:count]]


def parse_all(forms: list[dict[str, Any]], account: str = ACCOUNT) -> list[Order]:
    return [parse_checkout_form(form, account_key=account) for form in forms]


def parse_events(events: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[OrderEvent]:
    return [parse_event(event) for event in events]


def store_forms(repo: OrderRepository, forms: list[dict[str, Any]], account: str = ACCOUNT,
                gone: tuple[str, ...] = ()) -> None:
    """`forms` (copies) stored as one batch of a sync of `account`, `gone` ids with them."""
    repo.apply_batch(account_key=account,
                     orders=[parse_checkout_form(copy.deepcopy(f), account_key=account)
                             for f in forms],
                     events=[], cursor=None, gone_ids=gone)
