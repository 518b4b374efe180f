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
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
audit_log = audit_table(metadata)
# Client request ids of CreateProduct, so a retried call returns the first product.
processed_requests = requests_table(metadata)

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
    Column("kind", String(16), nullable=False, server_default="stocked"),
    Column("unit_of_measure", String(16), nullable=False, server_default="pc"),
    Column("cost", Numeric(18, 6)),
    Column("tax_category", String(16), nullable=False, server_default="standard"),
    Column("parent_id", String(36), ForeignKey("products.id"), index=True),
    Column("variant_options", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("kit_pricing", String(16), nullable=False, server_default=""),
)
# Without a pending list (fastupdate): a search would read all of it (migration 0008).
Index(
    "ix_products_name_search",
    products.c.name_search,
    postgresql_using="gin",
    postgresql_with={"fastupdate": "off"},
)
Index(
    "ix_products_attributes",
    products.c.attributes,
    postgresql_using="gin",
    postgresql_ops={"attributes": "jsonb_path_ops"},
    postgresql_with={"fastupdate": "off"},
)
Index("ix_products_list_price", products.c.list_price)

product_suppliers = Table(
    "product_suppliers",
    metadata,
    Column("product_id", String(36), ForeignKey("products.id"), primary_key=True),
    Column("supplier_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("supplier_sku", String(64), nullable=False, server_default=""),
    Column("cost", Numeric(18, 6), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("minimum_order_quantity", BigInteger, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
)

product_pictures = Table(
    "product_pictures",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("product_id", String(36), ForeignKey("products.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("alt_text", String(500), nullable=False, server_default=""),
    Column("stored", Boolean, nullable=False),
    UniqueConstraint("product_id", "position"),
)

# The bytes of uploaded pictures, apart so that reading a product never loads them.
picture_contents = Table(
    "picture_contents",
    metadata,
    Column("picture_id", String(36), ForeignKey("product_pictures.id"), primary_key=True),
    Column("content_type", String(32), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

kit_components = Table(
    "kit_components",
    metadata,
    Column("kit_id", String(36), ForeignKey("products.id"), primary_key=True),
    Column("product_id", String(36), ForeignKey("products.id"), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
)

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

# A product's tax category x a customer's tax zone -> a tax (code, rate), dated.
tax_rules = Table(
    "tax_rules",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tax_category", String(16), nullable=False),
    Column("tax_zone", String(32), nullable=False),
    Column("code", String(32), nullable=False),
    Column("rate", Numeric(9, 6), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("created_by", String(200), nullable=False),
    Index("ix_tax_rules_zone", "tax_zone", "tax_category"),
)
