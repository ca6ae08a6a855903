"""How many answers of a sync run were 429 (rate limited).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

The Sync log and the diagnostics report show, per run, how often Allegro answered "too many
requests" — the one figure that tells a seller (and support) that the shared per-client-id
budget, not the network, slowed a sync down. Older runs read as 0: nothing was counted then.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_runs") as batch:
        batch.add_column(sa.Column("rate_limited", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))


def downgrade() -> None:
    with op.batch_alter_table("sync_runs") as batch:
        batch.drop_column("rate_limited")
