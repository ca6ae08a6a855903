"""The amount sorts within each currency: an index on (currency, total_minor).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

The order table's amount column sorts by currency, then amount (6,98 EUR is not less than
14,98 PLN; storage/order_query.py). Like every other sort of the table, the first screen of
that order comes from walking an index instead of sorting every order.
`ix_orders_total_minor` stays: the amount filter (a range in any currency) uses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_currency_total", "orders", ["currency", "total_minor"])


def downgrade() -> None:
    op.drop_index("ix_orders_currency_total", table_name="orders")
