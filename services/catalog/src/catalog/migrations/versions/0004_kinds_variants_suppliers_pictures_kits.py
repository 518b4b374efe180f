"""kinds variants suppliers pictures kits

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kit_components',
    sa.Column('kit_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['kit_id'], ['products.id'], name=op.f('fk_kit_components_kit_id_products')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_kit_components_product_id_products')),
    sa.PrimaryKeyConstraint('kit_id', 'product_id', name=op.f('pk_kit_components'))
    )
    op.create_table('product_pictures',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('alt_text', sa.String(length=500), server_default='', nullable=False),
    sa.Column('stored', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_pictures_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_pictures')),
    sa.UniqueConstraint('product_id', 'position', name=op.f('uq_product_pictures_product_id'))
    )
    op.create_table('product_suppliers',
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('supplier_sku', sa.String(length=64), server_default='', nullable=False),
    sa.Column('cost', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('minimum_order_quantity', sa.BigInteger(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_suppliers_product_id_products')),
    sa.PrimaryKeyConstraint('product_id', 'supplier_id', name=op.f('pk_product_suppliers'))
    )
    op.create_table('picture_contents',
    sa.Column('picture_id', sa.String(length=36), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['picture_id'], ['product_pictures.id'], name=op.f('fk_picture_contents_picture_id_product_pictures')),
    sa.PrimaryKeyConstraint('picture_id', name=op.f('pk_picture_contents'))
    )
    op.add_column('products', sa.Column('kind', sa.String(length=16), server_default='stocked', nullable=False))
    op.add_column('products', sa.Column('unit_of_measure', sa.String(length=16), server_default='pc', nullable=False))
    op.add_column('products', sa.Column('cost', sa.Numeric(precision=18, scale=6), nullable=True))
    op.add_column('products', sa.Column('tax_category', sa.String(length=16), server_default='standard', nullable=False))
    op.add_column('products', sa.Column('parent_id', sa.String(length=36), nullable=True))
    op.add_column('products', sa.Column('variant_options', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False))
    op.add_column('products', sa.Column('kit_pricing', sa.String(length=16), server_default='', nullable=False))
    op.create_index(op.f('ix_products_parent_id'), 'products', ['parent_id'], unique=False)
    op.create_foreign_key(op.f('fk_products_parent_id_products'), 'products', 'products', ['parent_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_products_parent_id_products'), 'products', type_='foreignkey')
    op.drop_index(op.f('ix_products_parent_id'), table_name='products')
    op.drop_column('products', 'kit_pricing')
    op.drop_column('products', 'variant_options')
    op.drop_column('products', 'parent_id')
    op.drop_column('products', 'tax_category')
    op.drop_column('products', 'cost')
    op.drop_column('products', 'unit_of_measure')
    op.drop_column('products', 'kind')
    op.drop_table('picture_contents')
    op.drop_table('product_suppliers')
    op.drop_table('product_pictures')
    op.drop_table('kit_components')
