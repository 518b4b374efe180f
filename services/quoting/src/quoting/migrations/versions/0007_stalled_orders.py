"""Why an accepted quote's sales order stalled (orders' SalesOrderStalled), on the quote.

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
        "quotes", sa.Column("order_stalled", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("quotes", "order_stalled")
