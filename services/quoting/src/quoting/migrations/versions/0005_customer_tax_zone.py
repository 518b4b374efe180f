"""The customer's tax zone and tax exemption in quoting's copy of the customer master (issue 11),
so quotes are taxed by the catalog's tax rules as direct orders are. Copies made before have
neither until the customer changes.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
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
