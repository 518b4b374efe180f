"""Orders a sales channel priced itself keep why their figures need review.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "sales_orders",
        sa.Column("review_note", sa.Text(), server_default="", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("sales_orders", "review_note")
