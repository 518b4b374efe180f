"""Tasks on orders, quotes and requests; the activity journal (its entries, the invoices and quotes
it links to orders, and the inbox of its consumer group).

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_tasks_due", "tasks", ["due_date", "id"])
    op.create_index("ix_tasks_assignee", "tasks", ["assignee", "due_date"])
    op.create_index("ix_tasks_subject", "tasks", ["subject_type", "subject_id"])
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
    op.create_table(
        "activity_entries",
        sa.Column("subject", sa.String(length=120), primary_key=True),
        sa.Column("event_id", sa.String(length=64), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service", sa.String(length=50), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("cause_id", sa.String(length=200), server_default="", nullable=False),
        sa.Column("correlation_id", sa.String(length=200), server_default="", nullable=False),
        sa.Column("trace_id", sa.String(length=32), server_default="", nullable=False),
    )
    op.create_index("ix_activity_entries_at", "activity_entries", ["subject", "at", "event_id"])
    op.create_table(
        "activity_links",
        sa.Column("subject", sa.String(length=120), primary_key=True),
        sa.Column("order_id", sa.String(length=100), nullable=False),
    )
    op.create_index("ix_activity_links_order_id", "activity_links", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_activity_links_order_id", table_name="activity_links")
    op.drop_table("activity_links")
    op.drop_index("ix_activity_entries_at", table_name="activity_entries")
    op.drop_table("activity_entries")
    op.drop_index("ix_activity_inbox_received_at", table_name="activity_inbox")
    op.drop_table("activity_inbox")
    op.drop_index("ix_tasks_subject", table_name="tasks")
    op.drop_index("ix_tasks_assignee", table_name="tasks")
    op.drop_index("ix_tasks_due", table_name="tasks")
    op.drop_table("tasks")
