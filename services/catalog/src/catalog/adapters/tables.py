"""The catalog's tables, including its outbox and inbox (created by its migrations)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

categories = Table(
    "categories",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("parent_id", String(36), ForeignKey("categories.id")),
    # "/<root id>/.../<own id>/": a category's descendants are the paths it prefixes
    Column("path", Text, nullable=False, unique=True),
    Column("created_by", String(200), nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("list_price", Numeric(18, 6), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("category_id", String(36), ForeignKey("categories.id"), index=True),
    Column("attributes", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    # the name's words, for search; kept by PostgreSQL itself
    Column("name_search", TSVECTOR, Computed("to_tsvector('simple', name)", persisted=True)),
)
Index("ix_products_name_search", products.c.name_search, postgresql_using="gin")
Index(
    "ix_products_attributes",
    products.c.attributes,
    postgresql_using="gin",
    postgresql_ops={"attributes": "jsonb_path_ops"},
)
Index("ix_products_list_price", products.c.list_price)

price_lists = Table(
    "price_lists",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("customer_group", String(100), nullable=False, server_default=""),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("created_by", String(200), nullable=False),
)

price_breaks = Table(
    "price_breaks",
    metadata,
    Column("price_list_id", String(36), ForeignKey("price_lists.id"), primary_key=True),
    Column("product_id", String(36), primary_key=True, index=True),
    Column("min_quantity", BigInteger, primary_key=True),
    Column("unit_price", Numeric(18, 6), nullable=False),
)
