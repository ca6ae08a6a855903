"""A partial index of the gone orders.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Every list of orders leaves out the gone ones. With `gone` only in the row, walking a sort
index to list a million orders read each order's row as well (2.6 s instead of 0.3 s for
"all orders by buyer"); with the gone orders in their own tiny index, "not gone" is answered
from it (storage/order_query.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_gone", "orders", ["seq"], sqlite_where=sa.text("gone IS 1"))


def downgrade() -> None:
    op.drop_index("ix_orders_gone", table_name="orders")
