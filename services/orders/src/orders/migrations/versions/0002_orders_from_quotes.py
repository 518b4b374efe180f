"""orders made from quotes carry the quote's priced document

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
    op.add_column("sales_orders", sa.Column("invoiced_in_full", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("sales_orders", sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("sales_orders", sa.Column("quote_id", sa.String(length=36), nullable=True))
    op.create_unique_constraint(op.f("uq_sales_orders_quote_id"), "sales_orders", ["quote_id"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_sales_orders_quote_id"), "sales_orders", type_="unique")
    op.drop_column("sales_orders", "quote_id")
    op.drop_column("sales_orders", "document")
    op.drop_column("sales_orders", "invoiced_in_full")
