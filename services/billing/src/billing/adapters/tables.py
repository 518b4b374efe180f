"""Billing's tables: its copy of each order, invoices, and the gap-free number sequence."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

# What billing knows of each sales order, from SalesOrderPlaced: never a call per row to orders.
order_copies = Table(
    "order_copies",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    # An order made from a quote: its priced document, billed whole once everything shipped.
    Column("document", JSONB),
)

order_copy_lines = Table(
    "order_copy_lines",
    metadata,
    Column("order_id", String(36), ForeignKey("order_copies.order_id"), nullable=False, index=True),
    Column("line_id", String(36), primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("shipped", BigInteger, nullable=False, server_default="0"),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    # Empty for an invoice made straight from a quote.
    Column("order_id", String(36), index=True),
    # The shipment it bills; for a whole-order invoice, the shipment that completed the order.
    Column("shipment_id", String(36), unique=True),
    Column("quote_id", String(36), unique=True),
    Column("document", JSONB),
    Column("covers_order", Boolean, nullable=False, server_default="false"),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("invoice_id", String(36), ForeignKey("invoices.id"), primary_key=True),
    Column("order_line_id", String(36), primary_key=True),
    # The line's place on the invoice, as on the document or shipment it bills.
    Column("position", Integer, nullable=False, server_default="0"),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
)

# One row per year; taking the next number locks it until the invoice commits or rolls back.
invoice_sequences = Table(
    "invoice_sequences",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

# Shipments of document orders already counted towards the whole-order invoice.
counted_shipments = Table(
    "counted_shipments",
    metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False),
)

# Shipments that arrived before their order's copy (they travel on different topics).
pending_shipments = Table(
    "pending_shipments",
    metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("event", LargeBinary, nullable=False),
)
