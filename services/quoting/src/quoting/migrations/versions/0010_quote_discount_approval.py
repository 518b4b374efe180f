"""A quote's discount approval: status, why it is required, and the sales manager's decision.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "quotes",
        sa.Column(
            "approval_status", sa.String(20), nullable=False, server_default="not_required"
        ),
    )
    op.add_column(
        "quotes", sa.Column("approval_reason", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "quotes",
        sa.Column("approval_decided_by", sa.String(200), nullable=False, server_default=""),
    )
    op.add_column(
        "quotes", sa.Column("approval_decided_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "quotes", sa.Column("approval_note", sa.Text(), nullable=False, server_default="")
    )
    op.create_index(
        "ix_quotes_approval_created",
        "quotes",
        ["approval_status", "created_at"],
        postgresql_where=sa.text("approval_status IN ('pending', 'rejected')"),
    )


def downgrade() -> None:
    op.drop_index("ix_quotes_approval_created", table_name="quotes")
    for column in (
        "approval_note",
        "approval_decided_at",
        "approval_decided_by",
        "approval_reason",
        "approval_status",
    ):
        op.drop_column("quotes", column)
