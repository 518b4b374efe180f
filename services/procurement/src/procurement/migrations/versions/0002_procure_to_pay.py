"""procure to pay: supplier details, RFQs and proposals, contracts, purchase orders, reorder rules

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "suppliers",
        sa.Column(
            "contacts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.add_column(
        "suppliers",
        sa.Column("payment_terms", sa.String(length=500), server_default="", nullable=False),
    )
    op.add_column(
        "suppliers", sa.Column("rating", sa.SmallInteger(), server_default="0", nullable=False)
    )
    op.add_column("suppliers", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "rfqs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supplier_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("awarded_supplier_id", sa.String(length=36), server_default="", nullable=False),
        sa.Column("purchase_order_id", sa.String(length=36), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rfqs")),
    )
    op.create_index("ix_rfqs_status_created", "rfqs", ["status", "created_at"], unique=False)

    op.create_table(
        "rfq_proposals",
        sa.Column("rfq_id", sa.String(length=36), nullable=False),
        sa.Column("supplier_id", sa.String(length=36), nullable=False),
        sa.Column("prices", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("rfq_id", "supplier_id", name=op.f("pk_rfq_proposals")),
    )

    op.create_table(
        "supplier_contracts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("supplier_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_contracts")),
    )
    op.create_index(
        "ix_supplier_contracts_supplier", "supplier_contracts", ["supplier_id"], unique=False
    )

    op.create_table(
        "contract_prices",
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", "product_id", name=op.f("pk_contract_prices")),
    )
    op.create_index(
        "ix_contract_prices_product", "contract_prices", ["product_id"], unique=False
    )

    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.String(length=36), nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("payment_terms", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("rfq_id", sa.String(length=36), server_default="", nullable=False),
        sa.Column("bill_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("bill_status", sa.String(length=20), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_orders_number")),
    )
    op.create_index(
        "ix_purchase_orders_created", "purchase_orders", ["created_at", "id"], unique=False
    )
    op.create_index(
        "ix_purchase_orders_status_created",
        "purchase_orders",
        ["status", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_purchase_orders_supplier_created",
        "purchase_orders",
        ["supplier_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_purchase_orders_drafts",
        "purchase_orders",
        ["supplier_id", "warehouse_id"],
        unique=False,
        postgresql_where=sa.text("status = 'draft'"),
    )

    op.create_table(
        "purchase_order_lines",
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.PrimaryKeyConstraint(
            "purchase_order_id", "line_id", name=op.f("pk_purchase_order_lines")
        ),
        sa.UniqueConstraint(
            "purchase_order_id",
            "product_id",
            name=op.f("uq_purchase_order_lines_purchase_order_id"),
        ),
    )

    op.create_table(
        "purchase_order_receipts",
        sa.Column("receipt_id", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "receipt_id", "product_id", name=op.f("pk_purchase_order_receipts")
        ),
    )
    op.create_index(
        "ix_purchase_order_receipts_order",
        "purchase_order_receipts",
        ["purchase_order_id"],
        unique=False,
    )

    op.create_table(
        "purchase_order_history",
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint(
            "purchase_order_id", "position", name=op.f("pk_purchase_order_history")
        ),
    )

    op.create_table(
        "purchase_order_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_purchase_order_sequences")),
    )

    op.create_table(
        "reorder_rules",
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("minimum", sa.BigInteger(), nullable=False),
        sa.Column("maximum", sa.BigInteger(), nullable=False),
        sa.Column("supplier_id", sa.String(length=36), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("product_id", "warehouse_id", name=op.f("pk_reorder_rules")),
    )
    op.create_index(
        "ix_reorder_rules_supplier",
        "reorder_rules",
        ["supplier_id", "product_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reorder_rules_supplier", table_name="reorder_rules")
    op.drop_table("reorder_rules")
    op.drop_table("purchase_order_sequences")
    op.drop_table("purchase_order_history")
    op.drop_index("ix_purchase_order_receipts_order", table_name="purchase_order_receipts")
    op.drop_table("purchase_order_receipts")
    op.drop_table("purchase_order_lines")
    op.drop_index(
        "ix_purchase_orders_drafts",
        table_name="purchase_orders",
        postgresql_where=sa.text("status = 'draft'"),
    )
    op.drop_index("ix_purchase_orders_supplier_created", table_name="purchase_orders")
    op.drop_index("ix_purchase_orders_status_created", table_name="purchase_orders")
    op.drop_index("ix_purchase_orders_created", table_name="purchase_orders")
    op.drop_table("purchase_orders")
    op.drop_index("ix_contract_prices_product", table_name="contract_prices")
    op.drop_table("contract_prices")
    op.drop_index("ix_supplier_contracts_supplier", table_name="supplier_contracts")
    op.drop_table("supplier_contracts")
    op.drop_table("rfq_proposals")
    op.drop_index("ix_rfqs_status_created", table_name="rfqs")
    op.drop_table("rfqs")
    op.drop_column("suppliers", "updated_at")
    op.drop_column("suppliers", "rating")
    op.drop_column("suppliers", "payment_terms")
    op.drop_column("suppliers", "contacts")
