"""Quote numbers and the customer's address on quotes (issue 11): a gap-free number per year
("Q-2026-000001") on every new quote, its counter, and the billing address in quoting's copy of
the customer master. Quotes made before keep an empty number.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quote_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_quote_sequences")),
    )
    op.add_column("quotes", sa.Column("number", sa.String(32), nullable=False, server_default=""))
    op.add_column("customers", sa.Column("billing_address", JSONB()))


def downgrade() -> None:
    op.drop_column("customers", "billing_address")
    op.drop_column("quotes", "number")
    op.drop_table("quote_sequences")
