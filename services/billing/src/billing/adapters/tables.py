"""Billing's tables: its copy of each order and customer, invoices, payments and their
allocations, credit notes, the gap-free number sequences, each customer's open balance and
credit; for payables its copy of each purchase order and goods receipt, bills and the payments
sent to suppliers; the exchange rates finance sets; the change log and the requests done."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
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
from sqlalchemy.dialects.postgresql import JSONB

from messaging.runtime import MessagingTables
from servicekit.audit import audit_table
from servicekit.db import new_metadata
from servicekit.idempotency import requests_table
from servicekit.numbering import sequence_table

metadata = new_metadata()
messaging_tables = MessagingTables.on(metadata)
audit_log = audit_table(metadata)
processed_requests = requests_table(metadata)

# What billing knows of each sales order, from SalesOrderPlaced: never a call per row to orders.
order_copies = Table(
    "order_copies",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("document", JSONB),  # its priced document, when it has one
    # Set by SalesOrderCancelled: its invoices, even those issued later, are credited in full.
    Column("cancelled", Boolean, nullable=False, server_default="false"),
    Column("channel", String(40), nullable=False, server_default=""),  # "direct", "woocommerce"
    Column("quote_id", String(36)),  # the quote it was made from; none: billed per shipment
)

order_copy_lines = Table(
    "order_copy_lines",
    metadata,
    Column("order_id", String(36), ForeignKey("order_copies.order_id"), nullable=False, index=True),
    Column("line_id", String(36), primary_key=True),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("shipped", BigInteger, nullable=False, server_default="0"),
    # Units received back; counted here for a kit's parts, which are credited as whole kits.
    Column("returned", BigInteger, nullable=False, server_default="0"),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("order_id", String(36), index=True),  # empty for one made straight from a quote
    # The shipment it bills; for a whole-order invoice, the shipment that completed the order.
    Column("shipment_id", String(36), unique=True),
    Column("quote_id", String(36), unique=True),
    Column("document", JSONB),
    Column("covers_order", Boolean, nullable=False, server_default="false"),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("due_date", Date, nullable=False),  # the issue date plus the customer's terms
    Column("amount_paid", Numeric(18, 6), nullable=False, server_default="0"),
    # What credit notes took off what was left to pay (a credit note's unapplied part is not).
    Column("amount_credited", Numeric(18, 6), nullable=False, server_default="0"),
    Column("overdue_at", DateTime(timezone=True)),  # when InvoiceOverdue was published (once)
    Column("buyer", JSONB),  # the buyer as named when issued
    Column("taxes", JSONB),  # the tax breakdown per (code, rate)
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("invoice_id", String(36), ForeignKey("invoices.id"), primary_key=True),
    Column("order_line_id", String(36), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),  # as on what it bills
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
    Column("taxes", JSONB),  # each tax on the line: [{"code", "rate", "amount"}]
    # Units returned and what their credit notes credited for them.
    Column("returned", BigInteger, nullable=False, server_default="0"),
    Column("credited", Numeric(18, 6), nullable=False, server_default="0"),
)

# One row per year; taking the next number locks it until the invoice commits or rolls back.
invoice_sequences = sequence_table(metadata, "invoice_sequences")

# Shipments of document orders already counted towards the whole-order invoice.
counted_shipments = Table(
    "counted_shipments",
    metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False),
)

# Shipments that arrived before their order's copy (they travel on different topics).
pending_shipments = Table(
    "pending_shipments",
    metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("event", LargeBinary, nullable=False),
)

# Credit note numbers: their own gap-free sequence per year, locked like the invoices'.
credit_note_sequences = sequence_table(metadata, "credit_note_sequences")

# Money received from a customer ("received"), or its credit applied to an invoice ("credit").
payments = Table(
    "payments",
    metadata,
    Column("id", String(36), primary_key=True),
    # The invoice it was recorded against (RecordPayment, ApplyCustomerCredit); empty for a
    # customer payment spread over invoices: see payment_allocations.
    Column("invoice_id", String(36), ForeignKey("invoices.id"), index=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("kind", String(20), nullable=False, server_default="received"),
    # The part no invoice took when it was received: it became the customer's credit.
    Column("unapplied", Numeric(18, 6), nullable=False, server_default="0"),
    # The request that recorded money received (its content, idempotency.fingerprint): a payment
    # sent again under its customer and reference must repeat it exactly. Empty on older rows.
    Column("fingerprint", String(64)),
)

# A customer's payment reference (the bank transfer's) names one payment: the natural key that
# makes a payment sent twice land once. Rows from before the key was kept have no fingerprint.
# Literal SQL, not bound values: ON CONFLICT must match the index's predicate in every plan.
PAYMENT_NATURAL_KEY = text("kind = 'received' AND reference <> '' AND fingerprint IS NOT NULL")
Index(
    "uq_payments_customer_reference",
    payments.c.customer_id,
    payments.c.reference,
    unique=True,
    postgresql_where=PAYMENT_NATURAL_KEY,
)

# Where each payment went. An unallocated row stays, stamped, and its amount went to credit.
payment_allocations = Table(
    "payment_allocations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("payment_id", String(36), ForeignKey("payments.id"), nullable=False, index=True),
    Column("invoice_id", String(36), ForeignKey("invoices.id"), nullable=False, index=True),
    Column("customer_id", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("allocated_at", DateTime(timezone=True), nullable=False),
    Column("unallocated_at", DateTime(timezone=True)),
    Column("unallocated_by", String(200)),
)

credit_notes = Table(
    "credit_notes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    # Empty for a free credit to a customer.
    Column("invoice_id", String(36), ForeignKey("invoices.id"), index=True),
    Column("order_id", String(36), index=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    # The part of the total the invoice's balance could not take: the customer's credit.
    Column("unapplied", Numeric(18, 6), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("return_id", String(36)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("memo", Text, nullable=False, server_default=""),
    Column("buyer", JSONB),  # the buyer as named when issued
    Column("taxes", JSONB),  # the tax breakdown per (code, rate)
)

credit_note_lines = Table(
    "credit_note_lines",
    metadata,
    Column("credit_note_id", String(36), ForeignKey("credit_notes.id"), primary_key=True),
    Column("order_line_id", String(36), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
    Column("taxes", JSONB),  # each tax credited, as on the invoice line
)

# Every return received, once: credited, still waiting for its invoice, or why nothing was.
returns_received = Table(
    "returns_received",
    metadata,
    Column("return_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("arrival", BigInteger, Identity(), nullable=False),
    # "pending", "credited", "nothing_to_credit" or "refused".
    Column("outcome", String(20), nullable=False),
    Column("detail", String(500), nullable=False, server_default=""),
    Column("event", LargeBinary, nullable=False),
)

# What billing knows of each customer, from CustomerRegistered and CustomerChanged.
customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("payment_terms", Text, nullable=False),
    Column("tax_id", Text, nullable=False, server_default=""),
    Column("billing_address", JSONB),  # as orders states it: line1, line2, city, postal_code...
)

# Open invoices less payments and credit notes, per customer and currency; every change adds to
# it under the row's lock, so the CustomerBalanceChanged events leave in the order they happened.
customer_balances = Table(
    "customer_balances",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("open_balance", Numeric(18, 6), nullable=False),
)

# Credit a customer can use on invoices: unapplied payments and credit notes, unallocated
# payments; less what was applied. Changed under the row's lock, after the invoices'.
customer_credits = Table(
    "customer_credits",
    metadata,
    Column("customer_id", String(100), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("amount", Numeric(18, 6), nullable=False),
)

# Every change of a customer's credit, so it can be told as of any day.
customer_credit_entries = Table(
    "customer_credit_entries",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("customer_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    # "payment", "credit_note", "unallocated" or "applied".
    Column("source", String(20), nullable=False),
    Column("source_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Payables ------------------------------------------------------------------------------------

# What billing knows of each purchase order, from PurchaseOrderIssued.
purchase_order_copies = Table(
    "purchase_order_copies",
    metadata,
    Column("purchase_order_id", String(36), primary_key=True),
    Column("number", String(32), nullable=False),
    Column("supplier_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("payment_terms", Text, nullable=False),
)

# One per product (the order's lines summed by product).
purchase_order_copy_lines = Table(
    "purchase_order_copy_lines",
    metadata,
    Column(
        "purchase_order_id",
        String(36),
        ForeignKey("purchase_order_copies.purchase_order_id"),
        primary_key=True,
    ),
    Column("product_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    # Units the purchase order cancelled (PurchaseOrderReduced): never billed.
    Column("cancelled", BigInteger, nullable=False, server_default="0"),
)

# Goods received against a purchase order (GoodsReceived), once per receipt; kept even when the
# receipt arrives before the order's copy.
goods_receipt_lines = Table(
    "goods_receipt_lines",
    metadata,
    Column("receipt_id", String(36), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("purchase_order_id", String(36), nullable=False, index=True),
    Column("quantity", BigInteger, nullable=False),
)

bills = Table(
    "bills",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("purchase_order_id", String(36), nullable=False, index=True),
    Column("supplier_id", String(100), nullable=False, index=True),
    Column("supplier_reference", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", Numeric(18, 6), nullable=False),
    # "held", "open", "partially_paid", "paid".
    Column("status", String(20), nullable=False),
    # "matched", "held", "released".
    Column("match_status", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("amount_paid", Numeric(18, 6), nullable=False, server_default="0"),
    Column("due_date", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("released_at", DateTime(timezone=True)),
    Column("released_by", String(200)),
    Column("release_note", Text, nullable=False, server_default=""),
    # Above the dual-control amount: held until a finance user other than recorded_by releases it.
    Column("dual_control", Boolean, nullable=False, server_default="false"),
    UniqueConstraint("supplier_id", "supplier_reference"),
)

bill_lines = Table(
    "bill_lines",
    metadata,
    Column("bill_id", String(36), ForeignKey("bills.id"), primary_key=True),
    Column("product_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", Numeric(18, 6), nullable=False),
    Column("line_total", Numeric(18, 6), nullable=False),
    Column("ordered_quantity", BigInteger, nullable=False),
    Column("received_quantity", BigInteger, nullable=False),
    Column("ordered_unit_price", Numeric(18, 6), nullable=False),
    Column("billed_before", BigInteger, nullable=False),
    Column("issue", Text, nullable=False),
)

supplier_payments = Table(
    "supplier_payments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("supplier_id", String(100), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    # The part no bill took: an advance to the supplier.
    Column("unapplied", Numeric(18, 6), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

supplier_payment_allocations = Table(
    "supplier_payment_allocations",
    metadata,
    Column("payment_id", String(36), ForeignKey("supplier_payments.id"), primary_key=True),
    Column("bill_id", String(36), ForeignKey("bills.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
    Column("amount", Numeric(18, 6), nullable=False),
    Column("allocated_at", DateTime(timezone=True), nullable=False),
)

# Exchange rates -------------------------------------------------------------------------------

# One unit of base_currency is worth `rate` units of quote_currency from effective_from on (until
# the pair's next rate). Set by finance; published as ExchangeRateSet.
exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("base_currency", String(3), primary_key=True),
    Column("quote_currency", String(3), primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("rate", Numeric(24, 12), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("set_by", String(200), nullable=False),
)
