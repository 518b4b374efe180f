"""Quoting's tables: each quote's current state, every version it had, templates, the copy of
customers, customer requests, the client request ids already done and the change log."""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table
from servicekit.numbering import sequence_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
audit_log = audit_table(metadata)

# The latest version's headline figures, for listing and filtering without reading documents.
quotes = Table(
    "quotes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("salesperson", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("latest_version", Integer, nullable=False, server_default="1"),
    Column("valid_until", Date, nullable=False),
    Column("converted_to", String(20), nullable=False, server_default=""),
    Column("converted_id", String(36), nullable=False, server_default=""),
    Column("rejection_reason", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The creator's sales team (their token's claim): whose manager sees the quote.
    Column("team", String(100), nullable=False, server_default=""),
    # Gap-free per year, "Q-2026-000001"; empty for a quote made before quotes were numbered.
    Column("number", String(32), nullable=False, server_default=""),
    # Why its sales order stalled (orders' SalesOrderStalled); empty otherwise.
    Column("order_stalled", Text, nullable=False, server_default=""),
    # Its discount approval (quoting.domain.approval): status, why, and the decision.
    Column("approval_status", String(20), nullable=False, server_default="not_required"),
    Column("approval_reason", Text, nullable=False, server_default=""),
    Column("approval_decided_by", String(200), nullable=False, server_default=""),
    Column("approval_decided_at", DateTime(timezone=True)),
    Column("approval_note", Text, nullable=False, server_default=""),
)
Index("ix_quotes_status_created", quotes.c.status, quotes.c.created_at)
Index("ix_quotes_customer_created", quotes.c.customer_id, quotes.c.created_at)
# What a salesperson's and a manager's lists read.
Index("ix_quotes_salesperson_created", quotes.c.salesperson, quotes.c.created_at)
Index("ix_quotes_team_created", quotes.c.team, quotes.c.created_at)
# What a sales manager's "waiting for approval" list reads.
Index(
    "ix_quotes_approval_created",
    quotes.c.approval_status,
    quotes.c.created_at,
    postgresql_where="approval_status IN ('pending', 'rejected')",
)
Index(
    "ix_quotes_open_valid_until",
    quotes.c.valid_until,
    postgresql_where="status IN ('draft', 'sent')",
)

# Every version as entered (content) and as priced (document, with the engine's breakdown).
quote_versions = Table(
    "quote_versions",
    metadata,
    Column("quote_id", String(36), ForeignKey("quotes.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content", JSONB, nullable=False),
    Column("document", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

quote_templates = Table(
    "quote_templates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("groups", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

# Quoting's copy of the customer master (orders owns it), for defaults on new quotes.
customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("customer_group", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payment_terms", String(200), nullable=False),
    # Its billing address as quotes print it, a line each (street, postal code and city, ...).
    Column("billing_address", JSONB),
    # Which tax rules tax its quotes (catalog's tax zones); empty: none.
    Column("tax_zone", String(32), nullable=False, server_default=""),
    # Why it pays no tax, carried on its quotes; empty: not exempt.
    Column("tax_exemption", String(500), nullable=False, server_default=""),
)

# One row per year: the last quote number taken (servicekit.numbering).
quote_sequences = sequence_table(metadata, "quote_sequences")

# Customer requests: every incoming demand, open until quoted or lost.
customer_requests = Table(
    "customer_requests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("source", String(20), nullable=False),
    Column("customer_id", String(100), nullable=False, server_default=""),
    Column("contact_name", String(200), nullable=False, server_default=""),
    Column("contact_email", String(320), nullable=False, server_default=""),
    Column("contact_phone", String(50), nullable=False, server_default=""),
    Column("need", Text, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("value_estimate", Numeric(18, 6), nullable=False),
    Column("owner", String(200), nullable=False),
    # The registrar's sales team (their token's claim): whose manager sees the request.
    Column("team", String(100), nullable=False, server_default=""),
    Column("status", String(20), nullable=False),
    Column("quote_id", String(36), nullable=False, server_default=""),
    Column("lost_reason", String(20), nullable=False, server_default=""),
    Column("lost_note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)
Index(
    "ix_customer_requests_status_created",
    customer_requests.c.status,
    customer_requests.c.created_at,
)
Index(
    "ix_customer_requests_owner_created", customer_requests.c.owner, customer_requests.c.created_at
)
Index("ix_customer_requests_team_created", customer_requests.c.team, customer_requests.c.created_at)
Index(
    "ix_customer_requests_customer_created",
    customer_requests.c.customer_id,
    customer_requests.c.created_at,
)
# What the lost-demand report reads.
Index(
    "ix_customer_requests_lost_closed",
    customer_requests.c.closed_at,
    postgresql_where="status = 'lost'",
)

# One row per year: the last request number taken (servicekit.numbering).
request_sequences = sequence_table(metadata, "request_sequences")

# Client request ids already done (servicekit.idempotency): RegisterRequest's retries.
processed_requests = requests_table(metadata)
