"""Customers' tax zone and tax exemption, which price their direct orders.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "customers", sa.Column("tax_zone", sa.String(32), nullable=False, server_default="")
    )
    op.add_column(
        "customers", sa.Column("tax_exemption", sa.String(500), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("customers", "tax_exemption")
    op.drop_column("customers", "tax_zone")
