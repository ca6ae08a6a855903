"""The seller's actions on orders, queued to be sent to Allegro.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

`order_actions`: one row per action (a fulfillment status, a tracking number; more kinds may
follow), written before anything is sent, so that it survives a restart or a kill and is sent
once (docs/ORDER-ACTIONS.md). `sequence` numbers an order's actions (sent in that order);
`state` is waiting, sending, sent, failed or discarded; `last_error` a stored `Text` (JSON);
`sent_event_seq` the journal's last `order_events.seq` when it was recorded sent (a later
FULFILLMENT_STATUS_CHANGED of the order confirms it). Deleted with its order.

Frozen like the others: it spells its table out instead of importing `storage.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text()),
        sa.Column("revision_seen", sa.Text()),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Integer(), nullable=False),
        sa.Column("sent_event_seq", sa.Integer()),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "sequence", name="uq_order_actions_order_sequence"),
    )
    op.create_index("ix_order_actions_state", "order_actions",
                    ["state", "account_key", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_order_actions_state", "order_actions")
    op.drop_table("order_actions")
