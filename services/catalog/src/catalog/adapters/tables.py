"""The catalog's tables, including its outbox and inbox (created by its migrations)."""

from sqlalchemy import Boolean, Column, DateTime, Numeric, String, Table, Text

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

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
)
