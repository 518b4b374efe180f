"""price lists

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('price_lists',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('customer_group', sa.String(length=100), server_default='', nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_lists'))
    )
    op.create_table('price_breaks',
    sa.Column('price_list_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('min_quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.ForeignKeyConstraint(['price_list_id'], ['price_lists.id'], name=op.f('fk_price_breaks_price_list_id_price_lists')),
    sa.PrimaryKeyConstraint('price_list_id', 'product_id', 'min_quantity', name=op.f('pk_price_breaks'))
    )
    op.create_index(op.f('ix_price_breaks_product_id'), 'price_breaks', ['product_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_price_breaks_product_id'), table_name='price_breaks')
    op.drop_table('price_breaks')
    op.drop_table('price_lists')
