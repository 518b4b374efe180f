"""audit log, quote teams: the change log, and the creator's team on each quote (whose
manager sees it; quotes from before have none)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_roles", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(
        "ix_audit_log_entity", "audit_log", ["entity_type", "entity_id", "at"], unique=False
    )
    op.add_column(
        "quotes", sa.Column("team", sa.String(length=100), server_default="", nullable=False)
    )
    op.create_index(
        "ix_quotes_salesperson_created", "quotes", ["salesperson", "created_at"], unique=False
    )
    op.create_index("ix_quotes_team_created", "quotes", ["team", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_quotes_team_created", table_name="quotes")
    op.drop_index("ix_quotes_salesperson_created", table_name="quotes")
    op.drop_column("quotes", "team")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_table("audit_log")
