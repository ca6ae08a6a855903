"""The tables of the order database, as SQLAlchemy Core `Table`s (the schema at Alembic head).

This module describes the *current* schema for queries; the migrations in `migrations/versions`
create it and never import it (a migration is frozen history, this file moves on). A test
compares the two, so they cannot drift apart.

Conventions (ARCHITECTURE.md "The order database"):

- times are INTEGER milliseconds since the Unix epoch, UTC (`times.py`): exact, cheap to index,
  to sort and to compare in ranges;
- money is INTEGER minor units plus a currency code: exact, and `SUM()` in SQL stays exact;
- every order keeps its checkout form as received (`order_forms.raw`), so no field is ever lost
  and a later migration can fill a new column from it without syncing again.

`orders.seq` is an INTEGER PRIMARY KEY (SQLite's rowid) so the full-text index can point at
orders by a rowid that `VACUUM` never renumbers; `orders.id`, Allegro's checkout-form id, is the
natural key (UNIQUE, the upsert target and what line items reference).

`orders_fts`, the FTS5 index, is a virtual table Core cannot declare: it is created by the
migration and queried through `orders_fts` below (a lightweight `table()` for SQL building).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    column,
    table,
    text,
)

__all__ = [
    "FTS_COLUMNS",
    "FTS_TOKENIZER",
    "GONE",
    "app_meta",
    "gone_forms",
    "line_items",
    "metadata",
    "order_action_files",
    "order_actions",
    "order_events",
    "order_forms",
    "order_notes",
    "order_notes_fts",
    "order_tags",
    "orders",
    "orders_fts",
    "pending_forms",
    "stats_hourly",
    "stats_monthly",
    "stats_offer_names",
    "stats_offers",
    "sync_runs",
    "sync_state",
    "tags",
    "unreadable",
    "webhook_outbox",
]

metadata = MetaData()

_FALSE = text("0")

orders = Table(
    "orders", metadata,
    Column("seq", Integer, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("account_key", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("fulfillment_status", Text),
    Column("marketplace_id", Text),
    Column("buyer_id", Text),
    Column("buyer_login", Text),
    Column("buyer_name", Text),
    Column("buyer_email", Text),
    Column("buyer_phone", Text),
    Column("buyer_company", Text),
    Column("buyer_guest", Boolean, nullable=False, server_default=_FALSE),
    Column("delivery_method_id", Text),
    Column("delivery_method_name", Text),
    Column("delivery_cost_minor", Integer),
    Column("city", Text),
    Column("zip_code", Text),
    Column("country_code", Text),
    Column("pickup_point_id", Text),
    Column("pickup_point_name", Text),
    Column("payment_type", Text),
    Column("payment_provider", Text),
    Column("paid_at", Integer),
    Column("bought_at", Integer, nullable=False),
    Column("updated_at", Integer),
    Column("total_minor", Integer, nullable=False),
    Column("currency", Text, nullable=False),
    Column("items_count", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("revision", Text),
    Column("invoice_required", Boolean, nullable=False, server_default=_FALSE),
    Column("invoice_company", Text),
    Column("invoice_nip", Text),
    Column("message_to_seller", Text),
    Column("note", Text),
    # 404 on GET /order/checkout-forms/{id} (merged, or older than Allegro keeps): kept anyway.
    Column("gone", Boolean, nullable=False, server_default=_FALSE),
    Column("first_seen_at", Integer, nullable=False),
    # When a sync last wrote the row: fetching an identical form again writes nothing, so a
    # repeated sync leaves the database exactly as it was (ARCHITECTURE.md "Sync").
    Column("last_synced_at", Integer, nullable=False),
    # What the order table shows and sorts by, derived from the form when it is stored:
    # the items as one line, and case- and diacritics-folded sort keys (`search.fold`), so
    # "Łukasz" sorts with the L's instead of after "Żaneta" (SQLite compares code points).
    Column("items_summary", Text),
    Column("items_key", Text),
    Column("buyer_key", Text),
    Column("city_key", Text),
    Index("ix_orders_account_bought_at", "account_key", "bought_at"),
    Index("ix_orders_bought_at", "bought_at"),
    # The quick filters (storage/order_query.py) are conditions on both statuses.
    Index("ix_orders_stage", "status", "fulfillment_status", "bought_at"),
    Index("ix_orders_fulfillment_status", "fulfillment_status"),
    Index("ix_orders_buyer_login", "buyer_login"),
    Index("ix_orders_marketplace_id", "marketplace_id"),
    Index("ix_orders_updated_at", "updated_at"),
    # Every column of the table sorts in SQL by walking an index (ARCHITECTURE.md "The orders
    # workspace"): the first screen of a million orders comes without sorting them all.
    Index("ix_orders_buyer_key", "buyer_key"),
    Index("ix_orders_items_key", "items_key"),
    Index("ix_orders_city_key", "city_key"),
    Index("ix_orders_total_minor", "total_minor"),  # the amount filter
    Index("ix_orders_currency_total", "currency", "total_minor"),  # its sort (migration 0011)
    Index("ix_orders_quantity", "quantity"),
    Index("ix_orders_delivery_method_name", "delivery_method_name"),
    Index("ix_orders_payment_type", "payment_type"),
    Index("ix_orders_invoice_required", "invoice_required", "bought_at"),
)

#: The gone orders (a handful, if any) in a partial index: "not gone" is then answered without
#: reading each order's row, so walking a sort index reads nothing else (migration 0004).
GONE = orders.c.gone.is_(True)
Index("ix_orders_gone", orders.c.seq, sqlite_where=GONE)

#: The checkout form of each order exactly as received (compact JSON), apart from `orders`
#: so that table stays narrow: scanning or counting a million orders reads ~10x fewer pages.
order_forms = Table(
    "order_forms", metadata,
    Column("seq", Integer, ForeignKey("orders.seq", ondelete="CASCADE"), primary_key=True),
    Column("raw", Text, nullable=False),
)

line_items = Table(
    "line_items", metadata,
    Column("order_id", Text, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    # Line-item ids are unique per order only as far as the app is concerned: a merged purchase
    # gets a new checkout form that may repeat the items of the (kept) old one.
    Column("id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("offer_id", Text, nullable=False),
    Column("offer_name", Text, nullable=False),
    Column("external_id", Text),
    Column("quantity", Integer, nullable=False),
    Column("price_minor", Integer, nullable=False),
    Column("original_price_minor", Integer, nullable=False),
    Column("currency", Text, nullable=False),
    Column("bought_at", Integer),
    PrimaryKeyConstraint("order_id", "id"),
    Index("ix_line_items_offer_id", "offer_id"),
)

order_events = Table(
    "order_events", metadata,
    Column("seq", Integer, primary_key=True),
    Column("account_key", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("event_seq", Integer, nullable=False),  # the id as a number: recording order
    Column("type", Text, nullable=False),
    Column("occurred_at", Integer, nullable=False),
    Column("checkout_form_id", Text),
    Column("revision", Text),
    Column("recorded_at", Integer, nullable=False),
    Column("raw", Text, nullable=False),
    UniqueConstraint("account_key", "event_id", name="uq_order_events_account_event"),
    Index("ix_order_events_checkout_form", "checkout_form_id", "occurred_at"),
    Index("ix_order_events_occurred_at", "occurred_at"),
)

sync_state = Table(
    "sync_state", metadata,
    Column("account_key", Text, primary_key=True),
    Column("event_cursor", Text),
    Column("cursor_saved_at", Integer),
    Column("backfill_done", Boolean, nullable=False, server_default=_FALSE),
    # JSON: the back-fill's starting cursor and the windows already listed (sync/windows.py),
    # so a back-fill killed half way resumes; NULL when no back-fill is under way.
    Column("backfill_progress", Text),
    Column("last_rescan_at", Integer),
    Column("last_success_at", Integer),
    Column("last_error", Text),
)

sync_runs = Table(
    "sync_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("started_at", Integer, nullable=False),
    Column("finished_at", Integer),
    Column("duration_ms", Integer),
    Column("new_orders", Integer, nullable=False, server_default=_FALSE),
    Column("updated_orders", Integer, nullable=False, server_default=_FALSE),
    Column("unchanged_orders", Integer, nullable=False, server_default=_FALSE),
    Column("events", Integer, nullable=False, server_default=_FALSE),
    Column("requests", Integer, nullable=False, server_default=_FALSE),
    Column("retries", Integer, nullable=False, server_default=_FALSE),
    Column("error", Text),
    Column("rate_limited", Integer, nullable=False, server_default=_FALSE),  # 429 answers
    Index("ix_sync_runs_account_started", "account_key", "started_at"),
)

#: Checkout forms that answered 404 (a merged purchase, or older than Allegro keeps): recorded
#: so the sync skips them instead of asking again, and never blocks its cursor on them.
gone_forms = Table(
    "gone_forms", metadata,
    Column("account_key", Text, nullable=False),
    Column("checkout_form_id", Text, nullable=False),
    Column("recorded_at", Integer, nullable=False),
    PrimaryKeyConstraint("account_key", "checkout_form_id"),
)

#: Checkout forms the sync could not store yet: Allegro kept failing on that one form
#: ("failed") or sent one the app cannot read ("unreadable"). Asked for again at every sync
#: until stored or gone; never blocking the event cursor.
pending_forms = Table(
    "pending_forms", metadata,
    Column("account_key", Text, nullable=False),
    Column("checkout_form_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("1")),
    Column("first_seen_at", Integer, nullable=False),
    Column("last_tried_at", Integer, nullable=False),
    PrimaryKeyConstraint("account_key", "checkout_form_id"),
)

#: The raw JSON of events and forms the app could not read, and why: kept for diagnostics
#: (and a later version that reads them) instead of being dropped.
unreadable = Table(
    "unreadable", metadata,
    Column("seq", Integer, primary_key=True),
    Column("account_key", Text, nullable=False),
    Column("kind", Text, nullable=False),  # "event" or "form"
    Column("checkout_form_id", Text),
    Column("error", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("recorded_at", Integer, nullable=False),
    Index("ix_unreadable_account_recorded", "account_key", "recorded_at"),
)

#: Facts about the file itself, e.g. which app version last wrote it (named when a newer
#: database is refused).
app_meta = Table(
    "app_meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

#: The statistics' rollups (migration 0005; storage/stats_queries.py): sums of the orders that
#: are not gone, kept exact by triggers on `orders` and `line_items` in the writer's own
#: transaction. A NULL fulfillment status, marketplace or delivery method is "" here.
stats_hourly = Table(
    "stats_hourly", metadata,
    Column("hour", Integer, nullable=False),  # bought_at // 3 600 000 (UTC hours)
    Column("currency", Text, nullable=False),
    Column("account_key", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("fulfillment_status", Text, nullable=False),
    Column("order_count", Integer, nullable=False),
    Column("revenue_minor", Integer, nullable=False),  # sum of the orders' totals
    Column("units", Integer, nullable=False),  # sum of the orders' quantities
    # 1 or 0, from the statuses: the orders are sold / cancelled / unpaid (services/stats.py)
    Column("sold", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("unpaid", Integer, nullable=False),
    PrimaryKeyConstraint("hour", "currency", "account_key", "status", "fulfillment_status"),
    sqlite_with_rowid=False,
)

stats_monthly = Table(
    "stats_monthly", metadata,
    Column("month", Integer, nullable=False),  # the UTC month's first millisecond
    Column("account_key", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("fulfillment_status", Text, nullable=False),
    Column("marketplace_id", Text, nullable=False),
    Column("delivery_method_name", Text, nullable=False),
    Column("order_count", Integer, nullable=False),
    Column("revenue_minor", Integer, nullable=False),
    Column("units", Integer, nullable=False),
    PrimaryKeyConstraint("month", "account_key", "currency", "status", "fulfillment_status",
                         "marketplace_id", "delivery_method_name"),
    sqlite_with_rowid=False,
)

#: Line items of sold orders only (paid or cash on delivery, not cancelled).
stats_offers = Table(
    "stats_offers", metadata,
    Column("month", Integer, nullable=False),
    Column("account_key", Text, nullable=False),
    Column("offer_id", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("fulfillment_status", Text, nullable=False),
    Column("units", Integer, nullable=False),
    Column("revenue_minor", Integer, nullable=False),  # sum of price × quantity
    PrimaryKeyConstraint("month", "account_key", "offer_id", "currency", "status",
                         "fulfillment_status"),
    sqlite_with_rowid=False,
)

#: The title each offer was last bought under (the latest `bought_at` the app has stored).
stats_offer_names = Table(
    "stats_offer_names", metadata,
    Column("offer_id", Text, primary_key=True),
    Column("offer_name", Text, nullable=False),
    Column("bought_at", Integer, nullable=False),
    sqlite_with_rowid=False,
)

#: The FTS5 tokenizer: case- and diacritics-insensitive. SQLite folds "ó" to "o" but not "ł" to
#: "l" (Unicode gives ł no decomposition), so indexed text and queries are also folded in
#: Python first (`search.fold`).
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FTS_COLUMNS = ("order_id", "buyer_login", "buyer_name", "buyer_email", "buyer_phone", "city",
               "offers")

orders_fts = table("orders_fts", column("rowid", Integer),
                   *(column(name, Text) for name in FTS_COLUMNS))

#: New orders to POST to the seller's webhook (services/webhook.py): written in the transaction
#: that stores the order, so nothing is lost or queued twice; `state` is "pending" (due at
#: `next_attempt_at`), "delivered" or "failed" (kept a while for diagnostics). `delivery_id` is
#: sent with every attempt, so a receiver can drop a repeat.
webhook_outbox = Table(
    "webhook_outbox", metadata,
    Column("seq", Integer, primary_key=True),
    Column("delivery_id", Text, nullable=False),
    Column("account_key", Text, nullable=False),
    Column("order_id", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("next_attempt_at", Integer, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=_FALSE),
    Column("last_attempt_at", Integer),
    Column("last_status", Integer),  # the HTTP status of the last attempt, if one came
    Column("last_error", Text),
    Column("finished_at", Integer),  # delivered or given up
    UniqueConstraint("delivery_id", name="uq_webhook_outbox_delivery"),
    UniqueConstraint("account_key", "order_id", "event", name="uq_webhook_outbox_order_event"),
    Index("ix_webhook_outbox_due", "state", "next_attempt_at"),
)

#: The seller's actions on orders (migration 0008; storage/order_actions.py,
#: docs/ORDER-ACTIONS.md): written before anything is sent, sent in `sequence` order per order,
#: looked up on Allegro before a `sending` one is sent again. Deleted with its order.
order_actions = Table(
    "order_actions", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_key", Text, nullable=False),
    Column("order_id", Text, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("sequence", Integer, nullable=False),  # 1, 2, … per order: the sending order
    Column("kind", Text, nullable=False),  # domain.order_actions.ActionKind
    Column("payload", Text, nullable=False),  # JSON: the status, the tracking number
    Column("state", Text, nullable=False),  # domain.order_actions.ActionState
    Column("attempts", Integer, nullable=False, server_default=_FALSE),
    Column("last_error", Text),  # a stored `Text` (JSON), shown in the seller's language
    Column("revision_seen", Text),  # the order's revision when it was queued
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("next_attempt_at", Integer, nullable=False),
    # order_events.seq's maximum when it was recorded sent: a later FULFILLMENT_STATUS_CHANGED
    # of the order (the journal) confirms it
    Column("sent_event_seq", Integer),
    UniqueConstraint("order_id", "sequence", name="uq_order_actions_order_sequence"),
    Index("ix_order_actions_state", "state", "account_key", "next_attempt_at"),
)

#: The bytes of an action's file (migration 0010): an invoice's PDF, copied when it was queued,
#: so the action never depends on a file the seller may move, change or delete, and travels
#: with the database's backups. Deleted with its action, and when the action is sent or
#: discarded (`storage/order_actions.py`).
order_action_files = Table(
    "order_action_files", metadata,
    Column("action_id", Integer, ForeignKey("order_actions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

#: The seller's own tags (migration 0009; domain/labels.py): a name unique per profile
#: regardless of case (`name_key` = `labels.tag_key(name)`) and a "#rrggbb" colour. Local only.
tags = Table(
    "tags", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("colour", Text, nullable=False),
    Column("created_at", Integer, nullable=False),
    UniqueConstraint("name_key", name="uq_tags_name_key"),
)

#: Which order carries which tag. An order's deletion (retention, a disconnected account) or
#: its tag's takes the link along (ON DELETE CASCADE); the tags stay when orders go.
order_tags = Table(
    "order_tags", metadata,
    Column("order_id", Text, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    Column("account_key", Text, nullable=False),
    Column("tagged_at", Integer, nullable=False),
    PrimaryKeyConstraint("order_id", "tag_id"),
    Index("ix_order_tags_tag", "tag_id", "order_id"),
    sqlite_with_rowid=False,
)

#: One private note per order (local only), deleted with its order. Its search row is in
#: `order_notes_fts` (rowid = seq; folded text), removed by a trigger when the note goes.
order_notes = Table(
    "order_notes", metadata,
    Column("seq", Integer, primary_key=True),
    Column("order_id", Text, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("account_key", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", Integer, nullable=False),
    UniqueConstraint("order_id", name="uq_order_notes_order"),
)

order_notes_fts = table("order_notes_fts", column("rowid", Integer), column("text", Text))
