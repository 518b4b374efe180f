"""Saga steps that stalled, for the order desk to see and retry.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stalled_steps",
        sa.Column("id", sa.String(length=100), primary_key=True),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("quote_id", sa.String(length=36), server_default="", nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stalled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retried_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("event", JSONB(), nullable=True),
    )
    op.create_index("ix_stalled_steps_order_id", "stalled_steps", ["order_id"])
    op.create_index(
        "ix_stalled_steps_open",
        "stalled_steps",
        ["stalled_at", "id"],
        postgresql_where=sa.text("status = 'stalled'"),
    )


def downgrade() -> None:
    op.drop_index("ix_stalled_steps_open", table_name="stalled_steps")
    op.drop_index("ix_stalled_steps_order_id", table_name="stalled_steps")
    op.drop_table("stalled_steps")
