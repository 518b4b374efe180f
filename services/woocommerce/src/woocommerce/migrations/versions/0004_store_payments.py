"""store payments: the invoices billing issued for each store order's sales order and the
payments recorded on them with what the store collected; sales orders found by id, parked
orders found by state

Revision ID: 0004
Revises: 0003
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
    for name in ("invoices", "payments"):
        op.add_column(
            "orders",
            sa.Column(
                name,
                postgresql.JSONB(astext_type=sa.Text()),
                server_default=sa.text("'[]'::jsonb"),
                nullable=False,
            ),
        )
    op.create_index(
        "ix_orders_sales_order",
        "orders",
        ["sales_order_id"],
        postgresql_where=sa.text("sales_order_id <> ''"),
    )
    op.create_index(
        "ix_orders_parked", "orders", ["store_id"], postgresql_where=sa.text("state = 'parked'")
    )


def downgrade() -> None:
    op.drop_index("ix_orders_parked", table_name="orders")
    op.drop_index("ix_orders_sales_order", table_name="orders")
    for name in ("payments", "invoices"):
        op.drop_column("orders", name)
