"""The connector's tables (created by its migrations). Secrets are kept encrypted (secrets.py)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()

stores = Table(
    "stores",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("base_url", String(500), nullable=False),
    # Fernet tokens of the consumer key and secret and the webhook secret
    Column("consumer_key", LargeBinary, nullable=False),
    Column("consumer_secret", LargeBinary, nullable=False),
    Column("webhook_secret", LargeBinary, nullable=False),
    Column("prices_include_tax", Boolean, nullable=False),
    Column("tax_rounding", String(20), nullable=False),
    Column("warehouses", JSONB, nullable=False),
    Column("customer_policy", String(30), nullable=False),
    Column("default_customer_id", String(36), nullable=False, server_default=""),
    Column("pulled_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("store_id", String(40), nullable=False),
    Column("delivery_id", String(100), nullable=False),
    Column("topic", String(40), nullable=False),
    Column("resource_id", BigInteger),
    Column("body", LargeBinary, nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True)),
    Column("outcome", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    # the same delivery twice is kept once
    UniqueConstraint("store_id", "delivery_id", "body_sha256", name="uq_deliveries_same"),
    Index(
        "ix_deliveries_due",
        "next_attempt_at",
        postgresql_where=text("processed_at IS NULL"),
    ),
)

orders = Table(
    "orders",
    metadata,
    Column("store_id", String(40), nullable=False),
    Column("woo_order_id", BigInteger, nullable=False),
    Column("number", String(40), nullable=False),
    Column("woo_status", String(40), nullable=False),
    Column("date_modified_gmt", DateTime(timezone=True), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("state", String(20), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("differences", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("trashed", Boolean, nullable=False, server_default="false"),
    # the snapshot as the store sent it: the store's figures, kept
    Column("body", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    # the sales order it became in orders ("" not yet), and what became of it there
    Column("sales_order_id", String(36), nullable=False, server_default=""),
    Column("sales_state", String(20), nullable=False, server_default=""),
    # "<refund id>=<credit note id>" for each refund credited in billing
    Column("credited", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    # whether the sales order still has to catch up with the snapshot, and why it could not yet
    Column("sync_due", Boolean, nullable=False, server_default="false"),
    Column("sync_note", Text, nullable=False, server_default=""),
    # "<invoice id>=<number>=<total>" billing issued; "<invoice id>=<payment id>=<amount>" paid
    Column("invoices", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("payments", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    PrimaryKeyConstraint("store_id", "woo_order_id"),
    Index("ix_orders_state", "store_id", "state"),
    Index("ix_orders_sync_due", "updated_at", postgresql_where=text("sync_due")),
    Index("ix_orders_sales_order", "sales_order_id", postgresql_where=text("sales_order_id <> ''")),
    Index("ix_orders_parked", "store_id", postgresql_where=text("state = 'parked'")),
)

# The customer each of a store's buyers became in orders: "woo:<customer id>", "email:<e-mail>"
# or "guest:<order id>" -> orders' customer id.
customers = Table(
    "customers",
    metadata,
    Column("store_id", String(40), nullable=False),
    Column("customer_key", String(300), nullable=False),
    Column("customer_id", String(36), nullable=False),
    PrimaryKeyConstraint("store_id", "customer_key"),
)

# Stock out: the last available level inventory announced per (product, warehouse) ...
stock_levels = Table(
    "stock_levels",
    metadata,
    Column("product_id", String(36), nullable=False),
    Column("warehouse_id", String(40), nullable=False),
    Column("available", BigInteger, nullable=False),
    PrimaryKeyConstraint("product_id", "warehouse_id"),
)

# ... the (store, product) levels to push, one row however many changes (coalesced) ...
stock_pushes = Table(
    "stock_pushes",
    metadata,
    Column("store_id", String(40), nullable=False),
    Column("product_id", String(36), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    PrimaryKeyConstraint("store_id", "product_id"),
    Index("ix_stock_pushes_due", "due_at"),
)

# ... and the store's product (or variation, under its parent) holding each SKU's stock.
woo_products = Table(
    "woo_products",
    metadata,
    Column("store_id", String(40), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("woo_id", BigInteger, nullable=False),
    # 0 for a product; the variable product for a variation that holds its own stock
    Column("parent_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("store_id", "sku"),
)

# The consumer's inbox (each event applied once) and an outbox: the connector publishes nothing,
# but the messaging runtime's relay and dead letters take both.
messaging_tables = MessagingTables.on(metadata)
