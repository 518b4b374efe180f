"""categories attributes and search

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('path', name=op.f('uq_categories_path'))
    )
    op.add_column('products', sa.Column('category_id', sa.String(length=36), nullable=True))
    op.add_column('products', sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False))
    op.add_column('products', sa.Column('name_search', postgresql.TSVECTOR(), sa.Computed("to_tsvector('simple', name)", persisted=True), nullable=True))
    op.create_index('ix_products_attributes', 'products', ['attributes'], unique=False, postgresql_using='gin', postgresql_ops={'attributes': 'jsonb_path_ops'})
    op.create_index(op.f('ix_products_category_id'), 'products', ['category_id'], unique=False)
    op.create_index('ix_products_list_price', 'products', ['list_price'], unique=False)
    op.create_index('ix_products_name_search', 'products', ['name_search'], unique=False, postgresql_using='gin')
    op.create_foreign_key(op.f('fk_products_category_id_categories'), 'products', 'categories', ['category_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_products_category_id_categories'), 'products', type_='foreignkey')
    op.drop_index('ix_products_name_search', table_name='products', postgresql_using='gin')
    op.drop_index('ix_products_list_price', table_name='products')
    op.drop_index(op.f('ix_products_category_id'), table_name='products')
    op.drop_index('ix_products_attributes', table_name='products', postgresql_using='gin', postgresql_ops={'attributes': 'jsonb_path_ops'})
    op.drop_column('products', 'name_search')
    op.drop_column('products', 'attributes')
    op.drop_column('products', 'category_id')
    op.drop_table('categories')
