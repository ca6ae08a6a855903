"""The outgoing webhook's outbox.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

`webhook_outbox`: one row per new order to POST to the seller's webhook, written in the same
transaction as the order itself (`OrderRepository.apply_batch`), so a crash can neither lose a
delivery nor queue one twice; the deliverer (`services/webhook.py`) marks it delivered or
failed. Delivered and failed rows stay a while for diagnostics. UNIQUE (account, order, event):
an order is announced once, whatever the sync does later.

Frozen like the others: it spells its table out instead of importing `storage.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_outbox",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Text(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_attempt_at", sa.Integer()),
        sa.Column("last_status", sa.Integer()),
        sa.Column("last_error", sa.Text()),
        sa.Column("finished_at", sa.Integer()),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("delivery_id", name="uq_webhook_outbox_delivery"),
        sa.UniqueConstraint("account_key", "order_id", "event",
                            name="uq_webhook_outbox_order_event"),
    )
    op.create_index("ix_webhook_outbox_due", "webhook_outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_outbox_due", "webhook_outbox")
    op.drop_table("webhook_outbox")
