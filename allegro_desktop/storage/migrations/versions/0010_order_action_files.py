"""The bytes of an order action's file: an invoice's PDF, kept until it is sent.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

`order_action_files`: one row per action that carries a file (today an invoice to attach,
`order_actions.kind` = "invoice"), its bytes as copied when the seller queued it (at most
3 MiB, Allegro's limit). Kept in the database rather than beside it so that the action is
written with its file in one transaction, never points to a file that was moved or deleted,
and travels with backups: a restored `sending` invoice still has its PDF to send. Deleted with
its action (foreign key, ON DELETE CASCADE — and so with its order), and by the app once the
action is sent or discarded.

Frozen like the others: it spells its table out instead of importing `storage.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_action_files",
        sa.Column("action_id", sa.Integer(),
                  sa.ForeignKey("order_actions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("order_action_files")
