"""People who sign in through an organization's OpenID Connect provider: the provider on the
user, the provider's access token on the session.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("provider", sa.String(length=300), server_default="", nullable=False)
    )
    op.add_column(
        "sessions", sa.Column("access_token", sa.Text(), server_default="", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("sessions", "access_token")
    op.drop_column("users", "provider")
