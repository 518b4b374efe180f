"""Tax rules: a product tax category x a customer tax zone -> a tax (code, rate), dated.

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
    op.create_table(
        "tax_rules",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tax_category", sa.String(16), nullable=False),
        sa.Column("tax_zone", sa.String(32), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("rate", sa.Numeric(9, 6), nullable=False),
        sa.Column("valid_from", sa.Date()),
        sa.Column("valid_to", sa.Date()),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_tax_rules_zone", "tax_rules", ["tax_zone", "tax_category"])


def downgrade() -> None:
    op.drop_index("ix_tax_rules_zone", table_name="tax_rules")
    op.drop_table("tax_rules")
