"""Checkout forms waiting to be fetched again, unreadable data kept aside, and a resumable
back-fill.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

- `pending_forms`: forms the sync could not store yet (Allegro kept failing on that one form,
  or sent something the app cannot read). They are asked for again at every sync until they
  are stored or answer 404, so one bad form never blocks the event cursor and is never lost.
- `unreadable`: the raw JSON of events and forms the app could not read, with the reason —
  kept for the diagnostics report instead of being dropped.
- `ix_order_events_occurred_at`: retention prunes the journal by age (`storage/retention.py`).
- `sync_state.backfill_progress` replaces the never-used `backfill_oldest_window`: the starting
  cursor and the windows already listed, so a back-fill killed half way resumes where it was.

Frozen like 0001: it spells its tables out instead of importing `storage.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_forms",
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("checkout_form_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("first_seen_at", sa.Integer(), nullable=False),
        sa.Column("last_tried_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("account_key", "checkout_form_id"),
    )
    op.create_table(
        "unreadable",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("checkout_form_id", sa.Text()),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_unreadable_account_recorded", "unreadable",
                    ["account_key", "recorded_at"])
    op.create_index("ix_order_events_occurred_at", "order_events", ["occurred_at"])
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("backfill_oldest_window")
        batch.add_column(sa.Column("backfill_progress", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("backfill_progress")
        batch.add_column(sa.Column("backfill_oldest_window", sa.Integer()))
    op.drop_index("ix_order_events_occurred_at", "order_events")
    op.drop_index("ix_unreadable_account_recorded", "unreadable")
    op.drop_table("unreadable")
    op.drop_table("pending_forms")
