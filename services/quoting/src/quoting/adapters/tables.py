"""Quoting's tables."""

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, Numeric, String, Table

from messaging.runtime import MessagingTables
from servicekit.db import new_metadata

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)

quotes = Table(
    "quotes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("salesperson", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

quote_lines = Table(
    "quote_lines",
    metadata,
    Column("quote_id", String(36), ForeignKey("quotes.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("description", String(500), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
)
