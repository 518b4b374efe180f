"""search indexes without a pending list

The GIN indexes of product search (the name's words, the attributes) are written as products
are, instead of through a pending list: with products created one at a time, as the API does,
the list holds up to gin_pending_list_limit (4 MB) of unsorted entries that every search scan
reads in full until a vacuum merges them -- a few milliseconds on each search of 100,000
products, for about 40 microseconds more on each product written.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = ("ix_products_name_search", "ix_products_attributes")


def upgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # turning it off leaves the entries already pending where they are: merge them now
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
