"""Dunning's tables, on billing's metadata: the reminders sent and the credit holds."""

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

from billing.adapters.tables import metadata

# Dunning --------------------------------------------------------------------------------------

# A reminder a dunning run sent a customer, at its level (the highest of its invoices').
dunning_reminders = Table(
    "dunning_reminders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("level", Integer, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("sent_by", String(200), nullable=False),
)

# The invoices a reminder lists as they stood; (invoice, level) once: no level is sent twice.
dunning_reminder_invoices = Table(
    "dunning_reminder_invoices",
    metadata,
    Column("invoice_id", String(36), ForeignKey("invoices.id"), primary_key=True),
    Column("level", Integer, primary_key=True),
    Column(
        "reminder_id", String(36), ForeignKey("dunning_reminders.id"), nullable=False, index=True
    ),
    Column("position", Integer, nullable=False),
    Column("number", String(32), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("open", Numeric(18, 6), nullable=False),
    Column("days_overdue", Integer, nullable=False),
)

# Customers whose credit billing holds, for the invoices listed (released once all are settled).
credit_holds = Table(
    "credit_holds",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("invoice_ids", JSONB, nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
)
