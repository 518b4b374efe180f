"""order pipelines, stock status, credit holds, costs, returns, richer lines and journal

Revision ID: 0004
Revises: 0003

The first orders had fixed statuses; they map onto the default pipeline's stages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for name, column in (
        ("invoices_paid", sa.Column("invoices_paid", sa.Integer(), server_default="0", nullable=False)),
        ("order_type", sa.Column("order_type", sa.String(length=30), server_default="standard", nullable=False)),
        ("salesperson", sa.Column("salesperson", sa.String(length=200), server_default="", nullable=False)),
        ("contract_number", sa.Column("contract_number", sa.String(length=100), server_default="", nullable=False)),
        ("payment_terms", sa.Column("payment_terms", sa.String(length=200), server_default="", nullable=False)),
        ("shipping_address", sa.Column("shipping_address", postgresql.JSONB(astext_type=sa.Text()), nullable=True)),
        ("stock_status", sa.Column("stock_status", sa.String(length=20), server_default="pending", nullable=False)),
        ("credit_hold", sa.Column("credit_hold", sa.Text(), server_default="", nullable=False)),
        ("estimated_cost", sa.Column("estimated_cost", sa.Numeric(precision=18, scale=6), nullable=True)),
    ):
        op.add_column("sales_orders", column)
    op.execute("UPDATE sales_orders SET salesperson = created_by")
    op.execute("UPDATE sales_orders SET stock_status = 'reserved' WHERE status NOT IN ('placed', 'rejected')")
    op.execute("UPDATE sales_orders SET stock_status = 'rejected', status = 'cancelled' WHERE status = 'rejected'")
    op.execute("UPDATE sales_orders SET status = 'request' WHERE status = 'placed'")
    op.execute("UPDATE sales_orders SET status = 'execution' WHERE status = 'reserved'")
    op.create_index("ix_sales_orders_salesperson_created", "sales_orders", ["salesperson", "created_at"])
    for column in (
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("category_id", sa.String(length=36), server_default="", nullable=False),
        sa.Column("reserved_quantity", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("backordered_quantity", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("returned_quantity", sa.BigInteger(), server_default="0", nullable=False),
    ):
        op.add_column("sales_order_lines", column)
    op.add_column("order_history", sa.Column("note", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "order_costs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_orders.id"], name=op.f("fk_order_costs_order_id_sales_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_costs")),
        sa.UniqueConstraint("source", name=op.f("uq_order_costs_source")),
    )
    op.create_index(op.f("ix_order_costs_order_id"), "order_costs", ["order_id"], unique=False)
    op.create_table(
        "order_returns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_orders.id"], name=op.f("fk_order_returns_order_id_sales_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_returns")),
    )
    op.create_index(op.f("ix_order_returns_order_id"), "order_returns", ["order_id"], unique=False)
    op.create_table(
        "pipelines",
        sa.Column("order_type", sa.String(length=30), nullable=False),
        sa.Column("definition", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("order_type", name=op.f("pk_pipelines")),
    )


def downgrade() -> None:
    # The first fixed statuses are fewer than the stages: each stage goes to the nearest one.
    op.execute("UPDATE sales_orders SET status = 'placed' WHERE status IN ('request', 'approval')")
    op.execute("UPDATE sales_orders SET status = 'reserved' WHERE status = 'execution'")
    op.execute("UPDATE sales_orders SET status = 'rejected' WHERE status IN ('cancelled', 'archived')")
    op.execute("UPDATE sales_orders SET status = 'invoiced' WHERE status IN ('paid', 'closed')")
    op.drop_table("pipelines")
    op.drop_index(op.f("ix_order_returns_order_id"), table_name="order_returns")
    op.drop_table("order_returns")
    op.drop_index(op.f("ix_order_costs_order_id"), table_name="order_costs")
    op.drop_table("order_costs")
    op.drop_column("order_history", "note")
    for column in ("returned_quantity", "backordered_quantity", "reserved_quantity", "category_id", "unit_cost", "needed_by"):
        op.drop_column("sales_order_lines", column)
    op.drop_index("ix_sales_orders_salesperson_created", table_name="sales_orders")
    for column in (
        "estimated_cost", "credit_hold", "stock_status", "shipping_address", "payment_terms",
        "contract_number", "salesperson", "order_type", "invoices_paid",
    ):
        op.drop_column("sales_orders", column)
