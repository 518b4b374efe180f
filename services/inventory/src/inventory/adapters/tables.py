"""Inventory tables. The CHECK constraints make overselling impossible even for a buggy caller."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)

from inventory.domain.reservation import MAX_CHANNEL
from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
audit_log = audit_table(metadata)
# Client-supplied request ids of the commands that move stock, with their first result.
processed_requests = requests_table(metadata)

warehouses = Table(
    "warehouses",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # Allocation order: lower first, ties by code.
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

stock_levels = Table(
    "stock_levels",
    metadata,
    Column("warehouse_id", String(36), ForeignKey("warehouses.id"), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("on_hand", BigInteger, nullable=False, server_default="0"),
    Column("reserved", BigInteger, nullable=False, server_default="0"),
    # LowStock is published when available (on_hand - reserved) falls below it; 0: none.
    Column("reorder_point", BigInteger, nullable=False, server_default="0"),
    # Whether available is below the reorder point: LowStock is announced once per crossing.
    Column("low_stock", Boolean, nullable=False, server_default="false"),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("on_hand >= reserved", name="never_oversold"),
    CheckConstraint("reorder_point >= 0", name="reorder_point_not_negative"),
)

# Every change to stock, with its reason and who made it.
stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("warehouse_id", String(36), nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("on_hand_delta", BigInteger, nullable=False),
    Column("reserved_delta", BigInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("reference", String(64)),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The orders whose lines inventory holds stock for, with their placement time (first come,
# first served) and whether they may still expire.
reservation_orders = Table(
    "reservation_orders",
    metadata,
    Column("order_id", String(36), primary_key=True),
    # open (not approved: expires) | approved | cancelled | expired | rejected
    Column("status", String(20), nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    # Set when orders approves the order (SalesOrderApproved): it may ship from then on ...
    Column("approved_at", DateTime(timezone=True)),
    # ... unless orders holds it (SalesOrderHoldChanged), for this reason.
    Column("on_hold", Boolean, nullable=False, server_default="false"),
    Column("hold_reason", String(500), nullable=False, server_default=""),
    Column("closed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The order's channel as placed ("direct", "woocommerce"); its shipments carry it.
    Column("channel", String(MAX_CHANNEL), nullable=False, server_default=""),
    Index("ix_reservation_orders_open", "placed_at", postgresql_where=text("status = 'open'")),
)

# One row per order line: the units it wants now and those waiting for stock.
# wanted = consumed + reserved (over its warehouses) + backordered.
reservation_lines = Table(
    "reservation_lines",
    metadata,
    Column("order_id", String(36), ForeignKey("reservation_orders.order_id"), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False, server_default=""),
    Column("position", Integer, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("backordered", BigInteger, nullable=False, server_default="0"),
    # The order's placement time, copied here for the backorder queue's index.
    Column("placed_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    CheckConstraint("backordered >= 0 AND backordered <= quantity", name="backordered_in_range"),
    Index(
        "ix_reservation_lines_backorder_queue",
        "product_id",
        "placed_at",
        "order_id",
        "position",
        postgresql_where=text("backordered > 0"),
    ),
)

# The ledger of one order line in one warehouse: units held now, shipped, and let go.
reservations = Table(
    "reservations",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("line_id", String(36), nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("warehouse_id", String(36), nullable=False),
    Column("reserved", BigInteger, nullable=False, server_default="0"),
    Column("consumed", BigInteger, nullable=False, server_default="0"),
    Column("released", BigInteger, nullable=False, server_default="0"),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint(
        "order_id", "line_id", "warehouse_id", name="uq_reservations_order_line_warehouse"
    ),
    CheckConstraint(
        "reserved >= 0 AND consumed >= 0 AND released >= 0", name="quantities_not_negative"
    ),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("warehouse_id", String(36), nullable=False),
    Column("carrier", String(100), nullable=False),
    Column("tracking_number", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True)),
    # Newest first, a page at a time.
    Index("ix_shipments_created_at_id", "created_at", "id"),
)

shipment_lines = Table(
    "shipment_lines",
    metadata,
    Column("shipment_id", String(36), ForeignKey("shipments.id"), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
)

# Goods that arrived into a warehouse, from a purchase order when it names one.
receipts = Table(
    "receipts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("warehouse_id", String(36), ForeignKey("warehouses.id"), nullable=False),
    Column("purchase_order_id", String(64), nullable=False, server_default=""),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

receipt_lines = Table(
    "receipt_lines",
    metadata,
    Column("receipt_id", String(64), ForeignKey("receipts.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

# What purchase orders announced (ExpectGoods) and what has come of it: incoming is the rest.
expected_goods = Table(
    "expected_goods",
    metadata,
    Column("purchase_order_id", String(64), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("warehouse_id", String(36), ForeignKey("warehouses.id"), nullable=False),
    Column("expected", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False, server_default="0"),
    # Units the purchase order cancelled (PurchaseOrderReduced): no longer expected, refused.
    Column("cancelled", BigInteger, nullable=False, server_default="0"),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("expected >= 0 AND received >= 0", name="quantities_not_negative"),
    Index("ix_expected_goods_warehouse_product", "warehouse_id", "product_id"),
)

# Our copy of the returns orders authorised (ReturnAuthorized), and their receipt.
returns = Table(
    "returns",
    metadata,
    Column("return_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("reason", String(500), nullable=False, server_default=""),
    Column("status", String(20), nullable=False),  # authorized | received
    Column("authorized_at", DateTime(timezone=True), nullable=False),
    Column("warehouse_id", String(36)),
    Column("received_at", DateTime(timezone=True)),
    Column("received_by", String(200)),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String(36), ForeignKey("returns.return_id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("line_id", String(36), nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)
