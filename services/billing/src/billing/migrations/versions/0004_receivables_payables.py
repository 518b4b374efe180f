"""receivables (payment allocations, customer credit, free credit notes, overdue invoices, order
channels) and payables (purchase order and receipt copies, bills, supplier payments)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("order_copies", sa.Column("channel", sa.String(length=40), server_default="", nullable=False))
    op.add_column("invoices", sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column("payments", "invoice_id", existing_type=sa.String(length=36), nullable=True)
    op.add_column("payments", sa.Column("kind", sa.String(length=20), server_default="received", nullable=False))
    op.add_column("payments", sa.Column("unapplied", sa.Numeric(precision=18, scale=6), server_default="0", nullable=False))
    op.alter_column("credit_notes", "invoice_id", existing_type=sa.String(length=36), nullable=True)
    op.add_column("credit_notes", sa.Column("memo", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "payment_allocations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unallocated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unallocated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_payment_allocations_invoice_id_invoices")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_payment_allocations_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_allocations")),
    )
    op.create_index(op.f("ix_payment_allocations_invoice_id"), "payment_allocations", ["invoice_id"], unique=False)
    op.create_index(op.f("ix_payment_allocations_payment_id"), "payment_allocations", ["payment_id"], unique=False)
    # Every payment so far paid one invoice: one allocation each, under the payment's own id.
    op.execute(
        "INSERT INTO payment_allocations (id, payment_id, invoice_id, customer_id, currency, amount, allocated_at) "
        "SELECT id, id, invoice_id, customer_id, currency, amount, recorded_at FROM payments"
    )
    op.create_table(
        "customer_credits",
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "currency", name=op.f("pk_customer_credits")),
    )
    op.create_table(
        "customer_credit_entries",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_credit_entries")),
    )
    op.create_index(op.f("ix_customer_credit_entries_customer_id"), "customer_credit_entries", ["customer_id"], unique=False)
    # What credit notes could not take off paid invoices was owed back: it is now usable credit.
    op.execute(
        "INSERT INTO customer_credit_entries (customer_id, currency, amount, source, source_id, at) "
        "SELECT customer_id, currency, unapplied, 'credit_note', id, issued_at FROM credit_notes "
        "WHERE unapplied > 0"
    )
    op.execute(
        "INSERT INTO customer_credits (customer_id, currency, amount) "
        "SELECT customer_id, currency, sum(amount) FROM customer_credit_entries "
        "GROUP BY customer_id, currency"
    )
    op.create_table(
        "purchase_order_copies",
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("payment_terms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("purchase_order_id", name=op.f("pk_purchase_order_copies")),
    )
    op.create_index(op.f("ix_purchase_order_copies_supplier_id"), "purchase_order_copies", ["supplier_id"], unique=False)
    op.create_table(
        "purchase_order_copy_lines",
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.ForeignKeyConstraint(["purchase_order_id"], ["purchase_order_copies.purchase_order_id"], name=op.f("fk_purchase_order_copy_lines_purchase_order_id_purchase_order_copies")),
        sa.PrimaryKeyConstraint("purchase_order_id", "product_id", name=op.f("pk_purchase_order_copy_lines")),
    )
    op.create_table(
        "goods_receipt_lines",
        sa.Column("receipt_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("receipt_id", "product_id", name=op.f("pk_goods_receipt_lines")),
    )
    op.create_index(op.f("ix_goods_receipt_lines_purchase_order_id"), "goods_receipt_lines", ["purchase_order_id"], unique=False)
    op.create_table(
        "bills",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=36), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("supplier_reference", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("match_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount_paid", sa.Numeric(precision=18, scale=6), server_default="0", nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.Column("release_note", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills")),
        sa.UniqueConstraint("supplier_id", "supplier_reference", name=op.f("uq_bills_supplier_id")),
    )
    op.create_index(op.f("ix_bills_purchase_order_id"), "bills", ["purchase_order_id"], unique=False)
    op.create_index(op.f("ix_bills_supplier_id"), "bills", ["supplier_id"], unique=False)
    op.create_table(
        "bill_lines",
        sa.Column("bill_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("ordered_quantity", sa.BigInteger(), nullable=False),
        sa.Column("received_quantity", sa.BigInteger(), nullable=False),
        sa.Column("ordered_unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("billed_before", sa.BigInteger(), nullable=False),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_bill_lines_bill_id_bills")),
        sa.PrimaryKeyConstraint("bill_id", "product_id", name=op.f("pk_bill_lines")),
    )
    op.create_table(
        "supplier_payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("unapplied", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_payments")),
    )
    op.create_index(op.f("ix_supplier_payments_supplier_id"), "supplier_payments", ["supplier_id"], unique=False)
    op.create_table(
        "supplier_payment_allocations",
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("bill_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_supplier_payment_allocations_bill_id_bills")),
        sa.ForeignKeyConstraint(["payment_id"], ["supplier_payments.id"], name=op.f("fk_supplier_payment_allocations_payment_id_supplier_payments")),
        sa.PrimaryKeyConstraint("payment_id", "bill_id", name=op.f("pk_supplier_payment_allocations")),
    )
    op.create_index(op.f("ix_supplier_payment_allocations_bill_id"), "supplier_payment_allocations", ["bill_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_supplier_payment_allocations_bill_id"), table_name="supplier_payment_allocations")
    op.drop_table("supplier_payment_allocations")
    op.drop_index(op.f("ix_supplier_payments_supplier_id"), table_name="supplier_payments")
    op.drop_table("supplier_payments")
    op.drop_table("bill_lines")
    op.drop_index(op.f("ix_bills_supplier_id"), table_name="bills")
    op.drop_index(op.f("ix_bills_purchase_order_id"), table_name="bills")
    op.drop_table("bills")
    op.drop_index(op.f("ix_goods_receipt_lines_purchase_order_id"), table_name="goods_receipt_lines")
    op.drop_table("goods_receipt_lines")
    op.drop_table("purchase_order_copy_lines")
    op.drop_index(op.f("ix_purchase_order_copies_supplier_id"), table_name="purchase_order_copies")
    op.drop_table("purchase_order_copies")
    op.drop_index(op.f("ix_customer_credit_entries_customer_id"), table_name="customer_credit_entries")
    op.drop_table("customer_credit_entries")
    op.drop_table("customer_credits")
    op.drop_index(op.f("ix_payment_allocations_payment_id"), table_name="payment_allocations")
    op.drop_index(op.f("ix_payment_allocations_invoice_id"), table_name="payment_allocations")
    op.drop_table("payment_allocations")
    op.drop_column("credit_notes", "memo")
    op.execute("DELETE FROM credit_notes WHERE invoice_id IS NULL")
    op.alter_column("credit_notes", "invoice_id", existing_type=sa.String(length=36), nullable=False)
    op.drop_column("payments", "unapplied")
    op.drop_column("payments", "kind")
    op.execute("DELETE FROM payments WHERE invoice_id IS NULL")
    op.alter_column("payments", "invoice_id", existing_type=sa.String(length=36), nullable=False)
    op.drop_column("invoices", "overdue_at")
    op.drop_column("order_copies", "channel")
