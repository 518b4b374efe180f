"""A reservation keeps its order's channel as placed, so its shipments can say it (a consumer
that cares for one channel skips the others unread). Rows from before know none: empty.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "reservation_orders",
        sa.Column("channel", sa.String(length=50), server_default="", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("reservation_orders", "channel")
