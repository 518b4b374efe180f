"""Purchase orders undo cleanly: every bill of an order with its units, and units cancelled.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "purchase_orders",
        sa.Column("bills", JSONB(), nullable=False, server_default="[]"),
    )
    op.add_column(
        "purchase_orders",
        sa.Column("cancelled", JSONB(), nullable=False, server_default="{}"),
    )
    # A bill recorded before: kept as the order's one bill (its units unknown).
    op.execute(
        "UPDATE purchase_orders SET bills = jsonb_build_array(jsonb_build_object("
        "'bill_id', bill_id, 'status', bill_status, 'quantities', '{}'::jsonb)) "
        "WHERE bill_id <> ''"
    )


def downgrade() -> None:
    op.drop_column("purchase_orders", "cancelled")
    op.drop_column("purchase_orders", "bills")
