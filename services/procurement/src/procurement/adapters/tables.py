"""Procurement's tables."""

from sqlalchemy import Column, DateTime, String, Table

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("email", String(320), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)
