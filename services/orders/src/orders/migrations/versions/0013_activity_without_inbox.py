"""The activity journal's consumer group goes without an inbox: its entries and links are keyed by
the event and written with ON CONFLICT DO NOTHING, so a redelivery already writes nothing new,
and a claim row per event was only cost.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_activity_inbox_received_at", table_name="activity_inbox")
    op.drop_table("activity_inbox")


def downgrade() -> None:
    op.create_table(
        "activity_inbox",
        sa.Column("consumer", sa.String(length=100), primary_key=True),
        sa.Column("event_id", sa.String(length=64), primary_key=True),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_activity_inbox_received_at", "activity_inbox", ["received_at"])
