"""Documents a finance department can send (issue 11): the buyer's tax id and billing address in
billing's customer copy; the buyer as invoiced, the tax breakdown and each line's taxes on invoices
and credit notes; whether an order made from a quote (billed whole) or placed directly (billed per
shipment).

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
    op.add_column("customers", sa.Column("tax_id", sa.Text(), nullable=False, server_default=""))
    op.add_column("customers", sa.Column("billing_address", JSONB()))
    for table in ("invoices", "credit_notes"):
        op.add_column(table, sa.Column("buyer", JSONB()))
        op.add_column(table, sa.Column("taxes", JSONB()))
    for table in ("invoice_lines", "credit_note_lines"):
        op.add_column(table, sa.Column("taxes", JSONB()))
    op.add_column("order_copies", sa.Column("quote_id", sa.String(36)))


def downgrade() -> None:
    op.drop_column("order_copies", "quote_id")
    for table in ("invoice_lines", "credit_note_lines"):
        op.drop_column(table, "taxes")
    for table in ("invoices", "credit_notes"):
        op.drop_column(table, "taxes")
        op.drop_column(table, "buyer")
    op.drop_column("customers", "billing_address")
    op.drop_column("customers", "tax_id")
