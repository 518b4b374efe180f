"""sales orders: the sales order each store order became, its refunds credited, the customers
the store's buyers became

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "orders", sa.Column("sales_order_id", sa.String(36), server_default="", nullable=False)
    )
    op.add_column(
        "orders", sa.Column("sales_state", sa.String(20), server_default="", nullable=False)
    )
    op.add_column(
        "orders",
        sa.Column(
            "credited",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "orders", sa.Column("sync_due", sa.Boolean(), server_default="false", nullable=False)
    )
    op.add_column("orders", sa.Column("sync_note", sa.Text(), server_default="", nullable=False))
    op.create_index(
        "ix_orders_sync_due", "orders", ["updated_at"], postgresql_where=sa.text("sync_due")
    )
    op.create_table(
        "customers",
        sa.Column("store_id", sa.String(40), nullable=False),
        sa.Column("customer_key", sa.String(300), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "customer_key"),
    )


def downgrade() -> None:
    op.drop_table("customers")
    op.drop_index("ix_orders_sync_due", table_name="orders")
    for column in ("sync_note", "sync_due", "credited", "sales_state", "sales_order_id"):
        op.drop_column("orders", column)
