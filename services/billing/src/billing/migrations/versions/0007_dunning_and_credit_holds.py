"""Dunning: reminders sent (each invoice at each level once) and customers' credit holds.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dunning_reminders",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_reminders")),
    )
    op.create_index(op.f("ix_dunning_reminders_customer_id"), "dunning_reminders", ["customer_id"])
    op.create_table(
        "dunning_reminder_invoices",
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("open", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_dunning_reminder_invoices_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["dunning_reminders.id"],
            name=op.f("fk_dunning_reminder_invoices_reminder_id_dunning_reminders"),
        ),
        sa.PrimaryKeyConstraint("invoice_id", "level", name=op.f("pk_dunning_reminder_invoices")),
    )
    op.create_index(
        op.f("ix_dunning_reminder_invoices_reminder_id"),
        "dunning_reminder_invoices",
        ["reminder_id"],
    )
    op.create_table(
        "credit_holds",
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("invoice_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_credit_holds")),
    )


def downgrade() -> None:
    op.drop_table("credit_holds")
    op.drop_index(
        op.f("ix_dunning_reminder_invoices_reminder_id"), table_name="dunning_reminder_invoices"
    )
    op.drop_table("dunning_reminder_invoices")
    op.drop_index(op.f("ix_dunning_reminders_customer_id"), table_name="dunning_reminders")
    op.drop_table("dunning_reminders")
