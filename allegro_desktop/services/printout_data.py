"""What a packing slip and a pick list print, read from the stored orders (no Qt, no PDF).

`load_slips` reads the chosen orders the way the export does (`OrderQueries.rows`,
`line_items`) plus their stored checkout forms, where the address lines and the pickup point
live; each order becomes a `Slip` on its own, so an order whose form cannot be read gets a
`PrintProblem` and the others are printed. `pick_lines` sums the slips' items by SKU (the
seller's own code, Allegro's `external.id`), else by offer, with the orders each goes to.
`services/printouts.py` lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import orjson

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.orders import Money
from allegro_desktop.domain.phones import phone_text
from allegro_desktop.storage.order_query import LineItemRow, OrderQueries, OrderRow

__all__ = [
    "PickLine",
    "PickOrder",
    "PrintProblem",
    "Slip",
    "SlipBatch",
    "SlipItem",
    "load_slips",
    "pick_lines",
    "slip_of",
]

_NO_OBJECT: Final[Mapping[str, Any]] = {}


@dataclass(frozen=True, slots=True)
class SlipItem:
    offer_id: str
    sku: str | None
    name: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Slip:
    """One order as its packing slip shows it. Texts are as Allegro sent them (the layout
    cleans and cuts them), phones in the one form the window shows them
    (`domain.phones.phone_text`); `delivery_lines` is the recipient and address, or the pickup
    point's name, id and address (`pickup_point` says which)."""

    order_id: str
    bought_at: datetime
    total: Money
    payment_type: str | None
    buyer_name: str | None
    buyer_company: str | None
    buyer_login: str | None
    buyer_phone: str | None
    buyer_email: str | None
    delivery_method: str | None
    pickup_point: bool
    delivery_lines: tuple[str, ...]
    items: tuple[SlipItem, ...]
    message: str | None
    #: The seller's private note on the order (domain/labels.py), None for none.
    seller_note: str | None = None


@dataclass(frozen=True, slots=True)
class PrintProblem:
    """An order left out of a printout, and why (`reason` for the seller, in "Errors")."""

    order_id: str
    reason: Text

    def __str__(self) -> str:
        return f"{self.order_id}: {self.reason}"


@dataclass(frozen=True, slots=True)
class SlipBatch:
    """The slips of the orders asked for, in the order asked, and the orders left out."""

    slips: tuple[Slip, ...]
    problems: tuple[PrintProblem, ...]


@dataclass(frozen=True, slots=True)
class PickOrder:
    order_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class PickLine:
    """One product to pick: its SKU (if the seller set one), an offer id, the name, how many
    in all, and how many for each order."""

    sku: str | None
    offer_id: str
    name: str
    quantity: int
    orders: tuple[PickOrder, ...]


def _obj(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _NO_OBJECT


def _phone(raw: str | None) -> str | None:
    return phone_text(raw) if raw else None


def _str(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _join(parts: Iterable[str | None], separator: str = " ") -> str | None:
    kept = [part for part in parts if part]
    return separator.join(kept) if kept else None


def _address_lines(address: Mapping[str, Any]) -> list[str]:
    """Street, "zip city", country code of an address object of the form."""
    lines = [_str(address.get("street")),
             _join([_str(address.get("zipCode")), _str(address.get("city"))]),
             _str(address.get("countryCode"))]
    return [line for line in lines if line]


def _delivery(row: OrderRow, form: Mapping[str, Any]) -> tuple[bool, list[str]]:
    delivery = _obj(form.get("delivery"))
    address = _obj(delivery.get("address"))
    point = _obj(delivery.get("pickupPoint"))
    recipient = _join([_str(address.get("firstName")), _str(address.get("lastName"))])
    lines: list[str] = []
    if point or row.pickup_point_id or row.pickup_point_name:
        name = _str(point.get("name")) or row.pickup_point_name
        point_id = _str(point.get("id")) or row.pickup_point_id
        lines.append(name or point_id or "")
        if point_id and point_id != name and (name is None or point_id not in name):
            lines.append(point_id)
        lines.extend(_address_lines(_obj(point.get("address"))))
        if recipient:
            lines.append(recipient)
        if phone := _str(address.get("phoneNumber")):
            lines.append(phone_text(phone))
        return True, [line for line in lines if line]
    if address:
        lines.extend(line for line in (recipient, _str(address.get("companyName"))) if line)
        lines.extend(_address_lines(address))
        if phone := _str(address.get("phoneNumber")):
            lines.append(phone_text(phone))
    else:  # no address in the form: what the table knows
        lines.extend(line for line in (_join([row.zip_code, row.city]), row.country_code)
                     if line)
    return False, lines


def slip_of(row: OrderRow, items: Sequence[LineItemRow], form: Mapping[str, Any]) -> Slip:
    """The slip of one order: its table row, its line items and its checkout form (any of
    the form's fields may be missing or of the wrong type: what is unusable is left out)."""
    buyer = _obj(form.get("buyer"))
    pickup_point, lines = _delivery(row, form)
    return Slip(
        order_id=row.id,
        bought_at=row.bought_at,
        total=row.total,
        payment_type=row.payment_type,
        buyer_name=row.buyer_name or _join([_str(buyer.get("firstName")),
                                            _str(buyer.get("lastName"))]),
        buyer_company=row.buyer_company or _str(buyer.get("companyName")),
        buyer_login=None if row.buyer_guest else row.buyer_login,
        buyer_phone=_phone(row.buyer_phone or _str(buyer.get("phoneNumber"))),
        buyer_email=row.buyer_email or _str(buyer.get("email")),
        delivery_method=row.delivery_method
        or _str(_obj(_obj(form.get("delivery")).get("method")).get("name")),
        pickup_point=pickup_point,
        delivery_lines=tuple(lines),
        items=tuple(SlipItem(offer_id=item.offer_id, sku=item.external_id,
                             name=item.offer_name, quantity=item.quantity)
                    for item in items),
        message=row.message_to_seller,
        seller_note=row.private_note,
    )


def load_slips(queries: OrderQueries, seqs: Sequence[int], *, chunk: int = 500) -> SlipBatch:
    """The slips of the orders `seqs` (in that order; one no longer stored is left out
    silently, as the export does), read a chunk at a time. An order whose stored form is not
    readable JSON is a `PrintProblem`; the others are read."""
    slips: list[Slip] = []
    problems: list[PrintProblem] = []
    for start in range(0, len(seqs), chunk):
        piece = seqs[start:start + chunk]
        rows = queries.rows(piece)
        items = queries.line_items(piece)
        forms = queries.forms(piece)
        for seq in piece:
            row = rows.get(seq)
            if row is None:
                continue
            try:
                form = orjson.loads(forms.get(seq) or "{}")
            except orjson.JSONDecodeError:
                problems.append(PrintProblem(row.id, Text(QT_TRANSLATE_NOOP(
                    "Errors", "The stored order cannot be read (its data is damaged). Sync "
                              "again to download it anew."))))
                continue
            slips.append(slip_of(row, items.get(seq, ()), _obj(form)))
    return SlipBatch(slips=tuple(slips), problems=tuple(problems))


def pick_lines(slips: Iterable[Slip]) -> list[PickLine]:
    """The items of `slips` summed by SKU, else by offer id; sorted by SKU (items without one
    last), then name, the way shelves are usually labelled. Each line names the orders it
    goes to (in the slips' order) and how many each needs."""
    totals: dict[tuple[str, str], list[Any]] = {}
    for slip in slips:
        for item in slip.items:
            key = ("sku", item.sku) if item.sku else ("offer", item.offer_id)
            found = totals.get(key)
            if found is None:
                found = totals[key] = [item.sku, item.offer_id, item.name, 0, {}]
            found[3] += item.quantity
            per_order: dict[str, int] = found[4]
            per_order[slip.order_id] = per_order.get(slip.order_id, 0) + item.quantity
    lines = [PickLine(sku=sku, offer_id=offer_id, name=name, quantity=quantity,
                      orders=tuple(PickOrder(order_id, count)
                                   for order_id, count in per_order.items()))
             for sku, offer_id, name, quantity, per_order in totals.values()]
    lines.sort(key=lambda line: (line.sku is None, (line.sku or "").casefold(),
                                 line.name.casefold(), line.offer_id))
    return lines
