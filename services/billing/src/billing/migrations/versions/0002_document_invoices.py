"""invoices of priced documents: whole orders made from quotes, and quotes invoiced directly

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
    op.add_column("order_copies", sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("order_copy_lines", sa.Column("shipped", sa.BigInteger(), server_default="0", nullable=False))
    op.alter_column("invoices", "order_id", existing_type=sa.String(length=36), nullable=True)
    op.alter_column("invoices", "shipment_id", existing_type=sa.String(length=36), nullable=True)
    op.add_column("invoices", sa.Column("quote_id", sa.String(length=36), nullable=True))
    op.add_column("invoices", sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("invoices", sa.Column("covers_order", sa.Boolean(), server_default="false", nullable=False))
    op.create_unique_constraint(op.f("uq_invoices_quote_id"), "invoices", ["quote_id"])
    op.add_column("invoice_lines", sa.Column("position", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "counted_shipments",
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_counted_shipments")),
    )


def downgrade() -> None:
    op.drop_table("counted_shipments")
    op.drop_column("invoice_lines", "position")
    op.drop_constraint(op.f("uq_invoices_quote_id"), "invoices", type_="unique")
    op.drop_column("invoices", "covers_order")
    op.drop_column("invoices", "document")
    op.drop_column("invoices", "quote_id")
    op.alter_column("invoices", "shipment_id", existing_type=sa.String(length=36), nullable=False)
    op.alter_column("invoices", "order_id", existing_type=sa.String(length=36), nullable=False)
    op.drop_column("order_copy_lines", "shipped")
    op.drop_column("order_copies", "document")
