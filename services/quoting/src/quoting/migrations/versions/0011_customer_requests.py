"""Customer requests: every incoming demand with its source, owner and estimate, open until a
quote is made from it or it is lost (with the reason); their yearly number counter
("REQ-2026-000001"); and the client request ids RegisterRequest has done, for its retries.

Revision ID: 0011
Revises: 0009 (the lead chains it after 0010)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("customer_id", sa.String(100), server_default="", nullable=False),
        sa.Column("contact_name", sa.String(200), server_default="", nullable=False),
        sa.Column("contact_email", sa.String(320), server_default="", nullable=False),
        sa.Column("contact_phone", sa.String(50), server_default="", nullable=False),
        sa.Column("need", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("value_estimate", sa.Numeric(18, 6), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("team", sa.String(100), server_default="", nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("quote_id", sa.String(36), server_default="", nullable=False),
        sa.Column("lost_reason", sa.String(20), server_default="", nullable=False),
        sa.Column("lost_note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_requests")),
        sa.UniqueConstraint("number", name=op.f("uq_customer_requests_number")),
    )
    for name, columns in (
        ("ix_customer_requests_status_created", ["status", "created_at"]),
        ("ix_customer_requests_owner_created", ["owner", "created_at"]),
        ("ix_customer_requests_team_created", ["team", "created_at"]),
        ("ix_customer_requests_customer_created", ["customer_id", "created_at"]),
    ):
        op.create_index(name, "customer_requests", columns, unique=False)
    op.create_index(
        "ix_customer_requests_lost_closed",
        "customer_requests",
        ["closed_at"],
        unique=False,
        postgresql_where=sa.text("status = 'lost'"),
    )
    op.create_table(
        "request_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_request_sequences")),
    )
    op.create_table(
        "processed_requests",
        sa.Column("operation", sa.String(60), nullable=False),
        sa.Column("request_id", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("result_id", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("operation", "request_id", name=op.f("pk_processed_requests")),
    )


def downgrade() -> None:
    op.drop_table("processed_requests")
    op.drop_table("request_sequences")
    op.drop_index("ix_customer_requests_lost_closed", table_name="customer_requests")
    for name in (
        "ix_customer_requests_customer_created",
        "ix_customer_requests_team_created",
        "ix_customer_requests_owner_created",
        "ix_customer_requests_status_created",
    ):
        op.drop_index(name, table_name="customer_requests")
    op.drop_table("customer_requests")
