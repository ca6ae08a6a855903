"""The order table of the workspace: a narrow `orders`, derived display and sort columns, and an
index behind every sortable column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

- `order_forms` takes the raw checkout forms out of `orders` (1-3 kB each): with them a row
  filled most of a page, so counting or filtering a million orders read gigabytes; without them
  `orders` is about a tenth of the size.
- `items_summary` (the items as one line), `items_key`, `buyer_key`, `city_key` (folded sort
  keys: "Łódź" sorts with the L's, not after "Żory"), filled here from the stored data.
- `ix_orders_stage` (status, fulfillment status, purchase time) replaces `ix_orders_status`: the
  quick filters are conditions on both statuses, listed newest first.
- One index per sortable column, so the first rows of any sort come from walking an index
  instead of sorting every order.

Frozen like the others: tables are spelled out. The fold of the sort keys is
`storage.search.fold`, imported rather than copied: it must stay the same function the app
uses when it stores an order (a change to it needs a migration that refills the keys anyway).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from allegro_desktop.storage.search import fold

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 2000
_SORT_INDEXES = {
    "ix_orders_buyer_key": ["buyer_key"],
    "ix_orders_items_key": ["items_key"],
    "ix_orders_city_key": ["city_key"],
    "ix_orders_total_minor": ["total_minor"],
    "ix_orders_quantity": ["quantity"],
    "ix_orders_delivery_method_name": ["delivery_method_name"],
    "ix_orders_payment_type": ["payment_type"],
    "ix_orders_invoice_required": ["invoice_required", "bought_at"],
}


def items_summary(items: Sequence[tuple[str, int]]) -> str:
    """The items of an order as one line: "2 × Kubek, Talerz" (the same as
    `storage.order_repository.items_summary`, which a test holds it to)."""
    return ", ".join(name if quantity == 1 else f"{quantity} × {name}"
                     for name, quantity in items)


def upgrade() -> None:
    connection = op.get_bind()
    op.create_table(
        "order_forms",
        sa.Column("seq", sa.Integer(), sa.ForeignKey("orders.seq", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("raw", sa.Text(), nullable=False),
    )
    op.execute("INSERT INTO order_forms (seq, raw) SELECT seq, raw FROM orders")
    op.execute("ALTER TABLE orders DROP COLUMN raw")
    for name in ("items_summary", "items_key", "buyer_key", "city_key"):
        op.add_column("orders", sa.Column(name, sa.Text()))
    _fill_derived(connection)
    op.drop_index("ix_orders_status", table_name="orders")
    op.create_index("ix_orders_stage", "orders", ["status", "fulfillment_status", "bought_at"])
    for name, columns in _SORT_INDEXES.items():
        op.create_index(name, "orders", columns)


def _fill_derived(connection: sa.Connection) -> None:
    last = -1
    while True:
        chunk = connection.execute(sa.text(
            "SELECT seq, id, buyer_name, buyer_company, city FROM orders WHERE seq > :last "
            "ORDER BY seq LIMIT :limit"), {"last": last, "limit": _CHUNK}).all()
        if not chunk:
            return
        last = chunk[-1].seq
        items: dict[str, list[tuple[str, int]]] = {}
        rows = connection.execute(sa.text(
            "SELECT order_id, offer_name, quantity FROM line_items "
            "WHERE order_id IN (SELECT id FROM orders WHERE seq BETWEEN :first AND :last) "
            "ORDER BY order_id, position"), {"first": chunk[0].seq, "last": last})
        for order_id, name, quantity in rows:
            items.setdefault(order_id, []).append((name, quantity))
        updates = []
        for row in chunk:
            order_items = items.get(row.id, [])
            updates.append({
                "seq": row.seq,
                "items_summary": items_summary(order_items),
                "items_key": fold(order_items[0][0]) if order_items else "",
                "buyer_key": fold(row.buyer_name or row.buyer_company or ""),
                "city_key": fold(row.city or ""),
            })
        connection.execute(sa.text(
            "UPDATE orders SET items_summary = :items_summary, items_key = :items_key, "
            "buyer_key = :buyer_key, city_key = :city_key WHERE seq = :seq"), updates)


def downgrade() -> None:
    for name in _SORT_INDEXES:
        op.drop_index(name, table_name="orders")
    op.drop_index("ix_orders_stage", table_name="orders")
    op.create_index("ix_orders_status", "orders", ["status"])
    for name in ("items_summary", "items_key", "buyer_key", "city_key"):
        op.execute(f"ALTER TABLE orders DROP COLUMN {name}")
    op.add_column("orders", sa.Column("raw", sa.Text(), nullable=False, server_default="{}"))
    op.execute("UPDATE orders SET raw = (SELECT raw FROM order_forms "
               "WHERE order_forms.seq = orders.seq)")
    op.drop_table("order_forms")
