"""Procurement's tables, and what their newest-first pages share."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table
from servicekit.numbering import sequence_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
# Who changed what, when, before and after (servicekit.audit).
audit_log = audit_table(metadata)
# Commands that commit money, by the client's request_id (servicekit.idempotency).
processed_requests = requests_table(metadata)

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("email", String(320), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    # Each contact: name, email, phone and role.
    Column("contacts", JSONB, nullable=False, server_default="[]"),
    Column("payment_terms", String(500), nullable=False, server_default=""),
    # 1..5; 0: not rated.
    Column("rating", SmallInteger, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=True),
)

# An RFQ with its lines ([{"line_id", "product_id", "sku", "description", "quantity",
# "needed_by"}]) and the suppliers it went to (a list of ids).
rfqs = Table(
    "rfqs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("warehouse_id", String(64), nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("supplier_ids", JSONB, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("status", String(20), nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("awarded_supplier_id", String(36), nullable=False, server_default=""),
    Column("purchase_order_id", String(36), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_rfqs_status_created", rfqs.c.status, rfqs.c.created_at)

# One proposal per supplier and RFQ (a later one replaces it); prices: {product_id: "12.50"}.
rfq_proposals = Table(
    "rfq_proposals",
    metadata,
    Column("rfq_id", String(36), primary_key=True),
    Column("supplier_id", String(36), primary_key=True),
    Column("prices", JSONB, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("terms", Text, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

supplier_contracts = Table(
    "supplier_contracts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("supplier_id", String(36), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)
Index("ix_supplier_contracts_supplier", supplier_contracts.c.supplier_id)

contract_prices = Table(
    "contract_prices",
    metadata,
    Column("contract_id", String(36), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
)
Index("ix_contract_prices_product", contract_prices.c.product_id)

# The order's head; its document (groups, lines, policy, breakdown) as the engine priced it.
purchase_orders = Table(
    "purchase_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("supplier_id", String(36), nullable=False),
    Column("warehouse_id", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("document", JSONB, nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("expected_on", Date, nullable=False),
    Column("payment_terms", String(500), nullable=False),
    Column("notes", Text, nullable=False),
    Column("source", String(20), nullable=False),
    Column("rfq_id", String(36), nullable=False, server_default=""),
    Column("bill_id", String(64), nullable=False, server_default=""),
    Column("bill_status", String(20), nullable=False, server_default=""),
    # Every bill of the order: [{"bill_id", "status", "quantities": {product_id: units}}].
    Column("bills", JSONB, nullable=False, server_default="[]"),
    # Units cancelled per product: {product_id: units}.
    Column("cancelled", JSONB, nullable=False, server_default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_purchase_orders_created", purchase_orders.c.created_at, purchase_orders.c.id)
Index("ix_purchase_orders_status_created", purchase_orders.c.status, purchase_orders.c.created_at)
Index(
    "ix_purchase_orders_supplier_created",
    purchase_orders.c.supplier_id,
    purchase_orders.c.created_at,
)
# The open draft a low-stock alert extends.
Index(
    "ix_purchase_orders_drafts",
    purchase_orders.c.supplier_id,
    purchase_orders.c.warehouse_id,
    postgresql_where="status = 'draft'",
)

# One row per product ordered: what was ordered and what has arrived, for queries.
purchase_order_lines = Table(
    "purchase_order_lines",
    metadata,
    Column("purchase_order_id", String(36), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    UniqueConstraint("purchase_order_id", "product_id"),
)

purchase_order_receipts = Table(
    "purchase_order_receipts",
    metadata,
    Column("receipt_id", String(64), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("purchase_order_id", String(36), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("note", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
Index("ix_purchase_order_receipts_order", purchase_order_receipts.c.purchase_order_id)

purchase_order_history = Table(
    "purchase_order_history",
    metadata,
    Column("purchase_order_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(200), nullable=False),
)

# One row per year; taking the next number locks it until the order commits or rolls back
# (servicekit.numbering).
purchase_order_sequences = sequence_table(metadata, "purchase_order_sequences")

reorder_rules = Table(
    "reorder_rules",
    metadata,
    Column("product_id", String(64), primary_key=True),
    Column("warehouse_id", String(64), primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("minimum", BigInteger, nullable=False),
    Column("maximum", BigInteger, nullable=False),
    Column("supplier_id", String(36), nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
Index("ix_reorder_rules_supplier", reorder_rules.c.supplier_id, reorder_rules.c.product_id)


def older_than(table: Table, after: tuple[datetime, str]) -> ColumnElement[bool]:
    """Rows after `after`, the (created_at, id) of a newest-first page's last row."""
    at, last_id = after
    return or_(table.c.created_at < at, and_(table.c.created_at == at, table.c.id < last_id))
