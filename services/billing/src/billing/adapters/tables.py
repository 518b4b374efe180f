"""Billing's tables: its copy of each order and customer, invoices, payments, credit notes, the
gap-free number sequences and each customer's open balance."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
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

# What billing knows of each sales order, from SalesOrderPlaced: never a call per row to orders.
order_copies = Table(
    "order_copies",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    # An order made from a quote: its priced document, billed whole once everything shipped.
    Column("document", JSONB),
    # Set by SalesOrderCancelled: its invoices, even those issued later, are credited in full.
    Column("cancelled", Boolean, nullable=False, server_default="false"),
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
    # Units received back; counted here for a kit's parts, which are credited as whole kits.
    Column("returned", BigInteger, nullable=False, server_default="0"),
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
    # The issue date plus the customer's payment terms.
    Column("due_date", Date, nullable=False),
    Column("amount_paid", Numeric(18, 6), nullable=False, server_default="0"),
    # What credit notes took off what was left to pay (a credit note's unapplied part is not).
    Column("amount_credited", Numeric(18, 6), nullable=False, server_default="0"),
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
    # Units returned and what their credit notes credited for them.
    Column("returned", BigInteger, nullable=False, server_default="0"),
    Column("credited", Numeric(18, 6), nullable=False, server_default="0"),
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

# Credit note numbers: their own gap-free sequence per year, locked like the invoices'.
credit_note_sequences = Table(
    "credit_note_sequences",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("invoice_id", String(36), ForeignKey("invoices.id"), nullable=False, index=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

credit_notes = Table(
    "credit_notes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("invoice_id", String(36), ForeignKey("invoices.id"), nullable=False, index=True),
    Column("order_id", String(36), index=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    # The part of the total the invoice's balance could not take: owed back to the customer.
    Column("unapplied", Numeric(18, 6), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("return_id", String(36)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

credit_note_lines = Table(
    "credit_note_lines",
    metadata,
    Column("credit_note_id", String(36), ForeignKey("credit_notes.id"), primary_key=True),
    Column("order_line_id", String(36), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
)

# Every return received, once: credited, still waiting for its invoice, or why nothing was.
returns_received = Table(
    "returns_received",
    metadata,
    Column("return_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("arrival", BigInteger, Identity(), nullable=False),
    # "pending", "credited", "nothing_to_credit" or "refused".
    Column("outcome", String(20), nullable=False),
    Column("detail", String(500), nullable=False, server_default=""),
    Column("event", LargeBinary, nullable=False),
)

# What billing knows of each customer, from CustomerRegistered and CustomerChanged.
customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("payment_terms", Text, nullable=False),
)

# Open invoices less payments and credit notes, per customer and currency; every change adds to
# it under the row's lock, so the CustomerBalanceChanged events leave in the order they happened.
customer_balances = Table(
    "customer_balances",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("open_balance", Numeric(18, 6), nullable=False),
)
