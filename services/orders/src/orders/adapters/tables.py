"""The orders service's tables: orders, their lines, and the journal of every change."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

sales_orders = Table(
    "sales_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("status", String(30), nullable=False),
    Column("status_reason", Text, nullable=False, server_default=""),
    Column("currency", String(3), nullable=False),
    Column("channel", String(50), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("shipments", Integer, nullable=False, server_default="0"),
    Column("invoices", Integer, nullable=False, server_default="0"),
    Column("invoiced_in_full", Boolean, nullable=False, server_default="false"),
    # The priced document of an order made from a quote (PricedDocument as JSON); else NULL.
    Column("document", JSONB),
    Column("quote_id", String(36), unique=True),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
Index("ix_sales_orders_customer_created", sales_orders.c.customer_id, sales_orders.c.created_at)
Index("ix_sales_orders_status_created", sales_orders.c.status, sales_orders.c.created_at)

sales_order_lines = Table(
    "sales_order_lines",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
    Column("shipped_quantity", BigInteger, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("shipped_quantity <= quantity", name="never_ships_more_than_ordered"),
)

# The activity journal: every change to an order, who made it, when, and what caused it.
order_history = Table(
    "order_history",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("from_status", String(30)),
    Column("to_status", String(30), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("actor", String(200), nullable=False),
    Column("caused_by", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
)
