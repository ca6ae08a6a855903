"""The seller's own tags (with colours) and private notes on orders, kept only locally.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25

- `tags`: a name unique per profile regardless of case (`name_key`, its case-folded form), a
  "#rrggbb" colour, when it was made.
- `order_tags`: which order carries which tag (the order by its checkout-form id, with its
  account). Deleting an order (retention, a disconnected account) takes its links along
  (foreign key, ON DELETE CASCADE); deleting a tag takes its links along; the tags themselves
  stay when orders go.
- `order_notes`: one private note per order, deleted with its order the same way.
- `order_notes_fts`: the notes' FTS5 index (folded text, as `orders_fts`; rowid =
  `order_notes.seq`), so the table's search finds an order by a word of its note. Written by the
  app with the note; a deleted note takes its row along (trigger), whoever deletes it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("colour", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.UniqueConstraint("name_key", name="uq_tags_name_key"),
    )
    op.create_table(
        "order_tags",
        sa.Column("order_id", sa.Text(), sa.ForeignKey("orders.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("tag_id", sa.Integer(), sa.ForeignKey("tags.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("tagged_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "tag_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_order_tags_tag", "order_tags", ["tag_id", "order_id"])
    op.create_table(
        "order_notes",
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Text(), sa.ForeignKey("orders.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.UniqueConstraint("order_id", name="uq_order_notes_order"),
    )
    op.execute(
        "CREATE VIRTUAL TABLE order_notes_fts USING fts5("
        "text, tokenize = 'unicode61 remove_diacritics 2')")
    op.execute(
        "CREATE TRIGGER order_notes_fts_after_delete AFTER DELETE ON order_notes BEGIN "
        "DELETE FROM order_notes_fts WHERE rowid = old.seq; END")


def downgrade() -> None:
    op.execute("DROP TRIGGER order_notes_fts_after_delete")
    op.execute("DROP TABLE order_notes_fts")
    op.drop_table("order_notes")
    op.drop_index("ix_order_tags_tag", table_name="order_tags")
    op.drop_table("order_tags")
    op.drop_table("tags")
