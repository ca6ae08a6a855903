"""The first schema: orders, line items, the event journal, sync state and runs, gone forms,
app facts, and the FTS5 search index.

Revision ID: 0001
Revises: -
Create Date: 2026-11-25

Written by hand and frozen: it must create the same schema on every machine, forever, so it
spells every table out instead of importing `storage.schema` (which follows the newest revision).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FALSE = sa.text("0")


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("fulfillment_status", sa.Text()),
        sa.Column("marketplace_id", sa.Text()),
        sa.Column("buyer_id", sa.Text()),
        sa.Column("buyer_login", sa.Text()),
        sa.Column("buyer_name", sa.Text()),
        sa.Column("buyer_email", sa.Text()),
        sa.Column("buyer_phone", sa.Text()),
        sa.Column("buyer_company", sa.Text()),
        sa.Column("buyer_guest", sa.Boolean(), nullable=False, server_default=_FALSE),
        sa.Column("delivery_method_id", sa.Text()),
        sa.Column("delivery_method_name", sa.Text()),
        sa.Column("delivery_cost_minor", sa.Integer()),
        sa.Column("city", sa.Text()),
        sa.Column("zip_code", sa.Text()),
        sa.Column("country_code", sa.Text()),
        sa.Column("pickup_point_id", sa.Text()),
        sa.Column("pickup_point_name", sa.Text()),
        sa.Column("payment_type", sa.Text()),
        sa.Column("payment_provider", sa.Text()),
        sa.Column("paid_at", sa.Integer()),
        sa.Column("bought_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer()),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("items_count", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Text()),
        sa.Column("invoice_required", sa.Boolean(), nullable=False, server_default=_FALSE),
        sa.Column("invoice_company", sa.Text()),
        sa.Column("invoice_nip", sa.Text()),
        sa.Column("message_to_seller", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("gone", sa.Boolean(), nullable=False, server_default=_FALSE),
        sa.Column("first_seen_at", sa.Integer(), nullable=False),
        sa.Column("last_synced_at", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    for name, columns in (
        ("ix_orders_account_bought_at", ["account_key", "bought_at"]),
        ("ix_orders_bought_at", ["bought_at"]),
        ("ix_orders_status", ["status"]),
        ("ix_orders_fulfillment_status", ["fulfillment_status"]),
        ("ix_orders_buyer_login", ["buyer_login"]),
        ("ix_orders_marketplace_id", ["marketplace_id"]),
        ("ix_orders_updated_at", ["updated_at"]),
    ):
        op.create_index(name, "orders", columns)

    op.create_table(
        "line_items",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Text(), nullable=False),
        sa.Column("offer_name", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text()),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("original_price_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("bought_at", sa.Integer()),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_id", "id"),
    )
    op.create_index("ix_line_items_offer_id", "line_items", ["offer_id"])

    op.create_table(
        "order_events",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.Integer(), nullable=False),
        sa.Column("checkout_form_id", sa.Text()),
        sa.Column("revision", sa.Text()),
        sa.Column("recorded_at", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("account_key", "event_id", name="uq_order_events_account_event"),
    )
    op.create_index("ix_order_events_checkout_form", "order_events",
                    ["checkout_form_id", "occurred_at"])

    op.create_table(
        "sync_state",
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("event_cursor", sa.Text()),
        sa.Column("cursor_saved_at", sa.Integer()),
        sa.Column("backfill_done", sa.Boolean(), nullable=False, server_default=_FALSE),
        sa.Column("backfill_oldest_window", sa.Integer()),
        sa.Column("last_rescan_at", sa.Integer()),
        sa.Column("last_success_at", sa.Integer()),
        sa.Column("last_error", sa.Text()),
        sa.PrimaryKeyConstraint("account_key"),
    )

    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("started_at", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.Integer()),
        sa.Column("duration_ms", sa.Integer()),
        sa.Column("new_orders", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("updated_orders", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("unchanged_orders", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("events", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("requests", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("retries", sa.Integer(), nullable=False, server_default=_FALSE),
        sa.Column("error", sa.Text()),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_runs_account_started", "sync_runs", ["account_key", "started_at"])

    op.create_table(
        "gone_forms",
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("checkout_form_id", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("account_key", "checkout_form_id"),
    )

    op.create_table(
        "app_meta",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )

    # The search index holds folded copies of the searched text (see storage/search.py); its
    # rowid is orders.seq. Rows are written with their order by the repository; a deleted
    # order takes its row along, whoever deletes it.
    op.execute(
        "CREATE VIRTUAL TABLE orders_fts USING fts5("
        "order_id, buyer_login, buyer_name, buyer_email, buyer_phone, city, offers, "
        "tokenize = 'unicode61 remove_diacritics 2')")
    op.execute(
        "CREATE TRIGGER orders_fts_after_delete AFTER DELETE ON orders BEGIN "
        "DELETE FROM orders_fts WHERE rowid = old.seq; END")


def downgrade() -> None:
    op.execute("DROP TRIGGER orders_fts_after_delete")
    op.execute("DROP TABLE orders_fts")
    for name in ("app_meta", "gone_forms", "sync_runs", "sync_state", "order_events",
                 "line_items", "orders"):
        op.drop_table(name)
