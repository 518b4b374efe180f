"""payments, credit notes, customer balances, a copy of customers, due dates

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("order_copies", sa.Column("cancelled", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("order_copy_lines", sa.Column("returned", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("invoices", sa.Column("due_date", sa.Date(), nullable=True))
    # Invoices issued before customers' terms were known fall due after the default 30 days.
    op.execute("UPDATE invoices SET due_date = (issued_at AT TIME ZONE 'UTC')::date + 30")
    op.alter_column("invoices", "due_date", existing_type=sa.Date(), nullable=False)
    op.add_column("invoices", sa.Column("amount_paid", sa.Numeric(precision=18, scale=6), server_default="0", nullable=False))
    op.add_column("invoices", sa.Column("amount_credited", sa.Numeric(precision=18, scale=6), server_default="0", nullable=False))
    op.add_column("invoice_lines", sa.Column("returned", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("invoice_lines", sa.Column("credited", sa.Numeric(precision=18, scale=6), server_default="0", nullable=False))
    op.create_table(
        "credit_note_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_credit_note_sequences")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_payments_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"], unique=False)
    op.create_index(op.f("ix_payments_customer_id"), "payments", ["customer_id"], unique=False)
    op.create_table(
        "credit_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("unapplied", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("return_id", sa.String(length=36), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_credit_notes_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_notes")),
        sa.UniqueConstraint("number", name=op.f("uq_credit_notes_number")),
    )
    op.create_index(op.f("ix_credit_notes_invoice_id"), "credit_notes", ["invoice_id"], unique=False)
    op.create_index(op.f("ix_credit_notes_order_id"), "credit_notes", ["order_id"], unique=False)
    op.create_index(op.f("ix_credit_notes_customer_id"), "credit_notes", ["customer_id"], unique=False)
    op.create_table(
        "credit_note_lines",
        sa.Column("credit_note_id", sa.String(length=36), nullable=False),
        sa.Column("order_line_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.ForeignKeyConstraint(["credit_note_id"], ["credit_notes.id"], name=op.f("fk_credit_note_lines_credit_note_id_credit_notes")),
        sa.PrimaryKeyConstraint("credit_note_id", "order_line_id", name=op.f("pk_credit_note_lines")),
    )
    op.create_table(
        "returns_received",
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("arrival", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=500), server_default="", nullable=False),
        sa.Column("event", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_returns_received")),
    )
    op.create_index(op.f("ix_returns_received_order_id"), "returns_received", ["order_id"], unique=False)
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("payment_terms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
    )
    op.create_table(
        "customer_balances",
        sa.Column("customer_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("open_balance", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "currency", name=op.f("pk_customer_balances")),
    )
    # What was invoiced before payments and credit notes existed is still owed in full.
    op.execute(
        "INSERT INTO customer_balances (customer_id, currency, open_balance) "
        "SELECT customer_id, currency, sum(total) FROM invoices GROUP BY customer_id, currency"
    )


def downgrade() -> None:
    op.drop_table("customer_balances")
    op.drop_table("customers")
    op.drop_index(op.f("ix_returns_received_order_id"), table_name="returns_received")
    op.drop_table("returns_received")
    op.drop_table("credit_note_lines")
    op.drop_index(op.f("ix_credit_notes_customer_id"), table_name="credit_notes")
    op.drop_index(op.f("ix_credit_notes_order_id"), table_name="credit_notes")
    op.drop_index(op.f("ix_credit_notes_invoice_id"), table_name="credit_notes")
    op.drop_table("credit_notes")
    op.drop_index(op.f("ix_payments_customer_id"), table_name="payments")
    op.drop_index(op.f("ix_payments_invoice_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_table("credit_note_sequences")
    op.drop_column("invoice_lines", "credited")
    op.drop_column("invoice_lines", "returned")
    op.drop_column("invoices", "amount_credited")
    op.drop_column("invoices", "amount_paid")
    op.drop_column("invoices", "due_date")
    op.drop_column("order_copy_lines", "returned")
    op.drop_column("order_copies", "cancelled")
