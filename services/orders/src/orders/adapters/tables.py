"""The orders service's tables: customers, orders, their lines, the journal of every change, the
exchange rates credit control converts with, the change log and the requests already done."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
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
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
audit_log = audit_table(metadata)
processed_requests = requests_table(metadata)

sales_orders = Table(
    "sales_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("status", String(30), nullable=False),
    Column("status_reason", Text, nullable=False, server_default=""),
    Column("currency", String(3), nullable=False),
    Column("channel", String(50), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("shipments", Integer, nullable=False, server_default="0"),
    Column("invoices", Integer, nullable=False, server_default="0"),
    Column("invoiced_in_full", Boolean, nullable=False, server_default="false"),
    Column("invoices_paid", Integer, nullable=False, server_default="0"),
    Column("order_type", String(30), nullable=False, server_default="standard"),
    Column("salesperson", String(200), nullable=False, server_default=""),
    Column("contract_number", String(100), nullable=False, server_default=""),
    Column("payment_terms", String(200), nullable=False, server_default=""),
    Column("shipping_address", JSONB),
    Column("stock_status", String(20), nullable=False, server_default="pending"),
    # Why the order waits at approval (the credit figures); empty when it does not.
    Column("credit_hold", Text, nullable=False, server_default=""),
    # Goods at cost, fixed when the order is approved for execution.
    Column("estimated_cost", Numeric(18, 6)),
    # The priced document of an order made from a quote (PricedDocument as JSON); else NULL.
    Column("document", JSONB),
    Column("quote_id", String(36), unique=True),
    # The channel's own reference (a web shop's order number): unique per channel when given.
    Column("external_reference", String(100), nullable=False, server_default=""),
    # Why a channel's figures need review (orders.domain.channel_pricing); "" when they do not.
    Column("review_note", Text, nullable=False, server_default=""),
    # The sales team of the person who placed it, for sales managers' view; "" when unknown.
    Column("team", String(100), nullable=False, server_default=""),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
Index("ix_sales_orders_customer_created", sales_orders.c.customer_id, sales_orders.c.created_at)
Index("ix_sales_orders_status_created", sales_orders.c.status, sales_orders.c.created_at)
Index("ix_sales_orders_salesperson_created", sales_orders.c.salesperson, sales_orders.c.created_at)
Index("ix_sales_orders_team_created", sales_orders.c.team, sales_orders.c.created_at)
Index(
    "uq_sales_orders_channel_external_reference",
    sales_orders.c.channel,
    sales_orders.c.external_reference,
    unique=True,
    postgresql_where=text("external_reference <> ''"),
)

sales_order_lines = Table(
    "sales_order_lines",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
    Column("shipped_quantity", BigInteger, nullable=False, server_default="0"),
    Column("needed_by", Date),
    Column("unit_cost", Numeric(18, 6)),
    Column("category_id", String(36), nullable=False, server_default=""),
    Column("reserved_quantity", BigInteger, nullable=False, server_default="0"),
    Column("backordered_quantity", BigInteger, nullable=False, server_default="0"),
    Column("returned_quantity", BigInteger, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("shipped_quantity <= quantity", name="never_ships_more_than_ordered"),
)

# The activity journal: every change to an order, who made it, when, and what caused it.
order_history = Table(
    "order_history",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("from_status", String(30)),
    Column("to_status", String(30), nullable=False),
    # A change that is not a move (a quantity, a cost, a hold): from_status is then NULL.
    Column("note", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("actor", String(200), nullable=False),
    Column("caused_by", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Actual costs recorded against an order as they occur (goods at cost are recorded per shipment).
order_costs = Table(
    "order_costs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    # The shipment that carried goods at cost, so a redelivered shipment records nothing twice.
    Column("source", String(64), unique=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
)

order_returns = Table(
    "order_returns",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
)

# A replaced pipeline per order type; the built-in one serves until there is a row.
pipelines = Table(
    "pipelines",
    metadata,
    Column("order_type", String(30), primary_key=True),
    Column("definition", JSONB, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
)


customers = Table(
    "customers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    # "company" or "person".
    Column("kind", String(10), nullable=False),
    Column("tax_id", String(50), nullable=False, server_default=""),
    Column("email", String(320), nullable=False, server_default=""),
    Column("customer_group", String(100), nullable=False, server_default=""),
    Column("currency", String(3), nullable=False),
    Column("payment_terms", String(100), nullable=False, server_default=""),
    # Which tax rules price its orders (catalog's zones); "": none.
    Column("tax_zone", String(32), nullable=False, server_default=""),
    # Why it pays no tax, printed on its documents; "": not exempt.
    Column("tax_exemption", String(500), nullable=False, server_default=""),
    # In `currency`; NULL: no limit.
    Column("credit_limit", Numeric(18, 6)),
    # A list of contacts, each with its name, email, phone and role.
    Column("contacts", JSONB, nullable=False),
    # Each an object of line1, line2, city, postal_code, country and state; or NULL.
    Column("billing_address", JSONB),
    Column("shipping_address", JSONB),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
Index("ix_customers_name_id", customers.c.name, customers.c.id)
Index("ix_customers_customer_group_name", customers.c.customer_group, customers.c.name)

# What billing says a customer owes on open invoices, per currency (CustomerBalanceChanged).
customer_balances = Table(
    "customer_balances",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("open_balance", Numeric(18, 6), nullable=False),
    # When billing stated it (the event's time): an older statement never overwrites a newer one.
    Column("as_of", DateTime(timezone=True), nullable=False),
)

# Finance's exchange rates (billing's ExchangeRateSet), for credit limits in another currency:
# one unit of `base_currency` is worth `rate` units of `quote_currency` from `effective_from` on.
exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("base_currency", String(3), primary_key=True),
    Column("quote_currency", String(3), primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("rate", Numeric(24, 12), nullable=False),
    # When finance set it (the event's time): an older statement never overwrites a newer one.
    Column("set_at", DateTime(timezone=True), nullable=False),
)

# Customers whose credit billing holds for invoices overdue too long (CustomerCreditHoldChanged):
# their new orders wait at approval until billing releases the hold.
billing_credit_holds = Table(
    "billing_credit_holds",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
)

# Saga steps that stalled (an event dead-lettered, or an answer awaited past the deadline), with
# the event to apply again on a person's retry.
stalled_steps = Table(
    "stalled_steps",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("quote_id", String(36), nullable=False, server_default=""),
    Column("step", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("stalled_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("retried_by", String(200), nullable=False, server_default=""),
    # The event, as it came: {"event_id", "event_type", "topic", "key", "source", "time",
    # "correlation_id", "body" (base64)}; null for a deadline passed.
    Column("event", JSONB),
    Index("ix_stalled_steps_open", "stalled_at", "id", postgresql_where=text("status = 'stalled'")),
)

# Office staff's tasks on sales orders, quotes and customer requests (domain/tasks.py).
tasks = Table(
    "tasks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("subject_type", String(20), nullable=False),
    Column("subject_id", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("assignee", String(200), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
    Index("ix_tasks_due", "due_date", "id"),
    Index("ix_tasks_assignee", "assignee", "due_date"),
    Index("ix_tasks_subject", "subject_type", "subject_id"),
)

# The activity journal: every event that named an order, from every service, as a read model
# fed by the events (group oms.orders.activity). Rebuildable from the topics. Its group has no
# inbox: an entry and a link are kept once by their keys, so a redelivery writes nothing new.
activity_entries = Table(
    "activity_entries",
    metadata,
    # The order's id, or "invoice:<id>" / "quote:<id>" (activity_links says whose).
    Column("subject", String(120), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("service", String(50), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("cause_id", String(200), nullable=False, server_default=""),
    Column("correlation_id", String(200), nullable=False, server_default=""),
    Column("trace_id", String(32), nullable=False, server_default=""),
    Index("ix_activity_entries_at", "subject", "at", "event_id"),
)
# Which order an invoice or a quote the journal has seen issued or accepted for it belongs to
# ("invoice:<id>" -> order id): a payment or a reminder names only its invoice.
activity_links = Table(
    "activity_links",
    metadata,
    Column("subject", String(120), primary_key=True),
    Column("order_id", String(100), nullable=False, index=True),
)
