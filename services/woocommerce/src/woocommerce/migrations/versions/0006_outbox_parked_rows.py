"""Outbox rows the broker refused for their size are parked, with the reason.

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
    op.add_column("outbox", sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("outbox", sa.Column("parked_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox", "parked_reason")
    op.drop_column("outbox", "parked_at")
