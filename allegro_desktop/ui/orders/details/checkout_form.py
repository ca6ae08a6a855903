"""Tolerant readers of the checkout form as Allegro sent it (`OrderDetails.form`), for the
details panel's sections.

Allegro may send `null` for any part of the form, and a hostile or broken answer anything
else: each reader gives an empty or absent value for what is not of the expected kind, so a
section just leaves that line out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from allegro_desktop.api.parsing import parse_amount
from allegro_desktop.domain.orders import Money

__all__ = ["as_mapping", "as_money", "as_sequence", "as_text"]

_NO_OBJECT: Final[Mapping[str, Any]] = {}


def as_mapping(value: object) -> Mapping[str, Any]:
    """A nested object of the form, or an empty one for `null` or anything else."""
    return value if isinstance(value, Mapping) else _NO_OBJECT


def as_text(value: object) -> str | None:
    """A text field of the form, stripped; None when absent, empty or not text."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def as_sequence(value: object) -> Sequence[Any]:
    """A list of the form, or an empty one for `null`, a text or anything else."""
    return value if isinstance(value, Sequence) and not isinstance(value, str) else ()


def as_money(value: object) -> Money | None:
    """An `{"amount", "currency"}` object of the form; None unless both are readable."""
    data = as_mapping(value)
    amount: Decimal | None = parse_amount(data.get("amount"))
    currency = as_text(data.get("currency"))
    if amount is None or currency is None:
        return None
    return Money(amount, currency)
