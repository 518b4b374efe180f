"""quote versions with priced documents, lifecycle columns, templates

Revision ID: 0002
Revises: 0001

The first quotes were flat free-text lines; each becomes version 1 with one group, priced the way
it was then (per line, half up, no tax), so nothing already quoted changes its total.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quotes", sa.Column("latest_version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("quotes", sa.Column("valid_until", sa.Date(), nullable=True))
    op.add_column("quotes", sa.Column("converted_to", sa.String(length=20), server_default="", nullable=False))
    op.add_column("quotes", sa.Column("converted_id", sa.String(length=36), server_default="", nullable=False))
    op.add_column("quotes", sa.Column("rejection_reason", sa.Text(), server_default="", nullable=False))
    op.add_column("quotes", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "quote_versions",
        sa.Column("quote_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name=op.f("fk_quote_versions_quote_id_quotes")),
        sa.PrimaryKeyConstraint("quote_id", "version", name=op.f("pk_quote_versions")),
    )
    op.create_table(
        "quote_templates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("groups", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_templates")),
    )
    _carry_over_first_quotes()
    op.alter_column("quotes", "valid_until", nullable=False)
    op.alter_column("quotes", "updated_at", nullable=False)
    op.drop_table("quote_lines")
    op.create_index("ix_quotes_status_created", "quotes", ["status", "created_at"])
    op.create_index("ix_quotes_customer_created", "quotes", ["customer_id", "created_at"])
    op.create_index(
        "ix_quotes_open_valid_until",
        "quotes",
        ["valid_until"],
        postgresql_where=sa.text("status IN ('draft', 'sent')"),
    )


def _carry_over_first_quotes() -> None:
    bind = op.get_bind()
    heads = bind.execute(sa.text("SELECT id, customer_id, salesperson, currency, total, created_at, created_by FROM quotes")).all()
    versions = sa.table(
        "quote_versions",
        sa.column("quote_id"), sa.column("version"), sa.column("content", postgresql.JSONB),
        sa.column("document", postgresql.JSONB), sa.column("created_at"), sa.column("created_by"),
    )
    for head in heads:
        rows = bind.execute(
            sa.text("SELECT description, quantity, unit_price, line_total FROM quote_lines WHERE quote_id = :id ORDER BY position"),
            {"id": head.id},
        ).all()
        valid_until = (head.created_at + timedelta(days=30)).date()
        lines = [
            {"description": r.description, "quantity": str(r.quantity),
             "unitPrice": {"amount": str(r.unit_price), "currency": head.currency}}
            for r in rows
        ]
        ids = [str(uuid.uuid4()) for _ in rows]
        total = str(head.total)
        document = {
            "currency": head.currency,
            "groups": [{"name": "Items", "lines": [
                {"lineId": i, "description": r.description, "quantity": str(r.quantity),
                 "unitPrice": str(r.unit_price), "priceRule": "entered"}
                for i, r in zip(ids, rows, strict=True)
            ]}],
            "policy": {"roundingMode": "per_line", "rounding": "half_up"},
            "breakdown": {
                "engineVersion": "1",
                "policy": {"roundingMode": "per_line", "rounding": "half_up"},
                "lines": [
                    {"lineId": i, "extended": str(r.line_total), "discount": "0", "net": str(r.line_total)}
                    for i, r in zip(ids, rows, strict=True)
                ],
                "subtotal": total, "discounts": "0", "net": total, "shipping": "0", "total": total,
            },
        }
        content = {
            "customerId": head.customer_id, "salesperson": head.salesperson, "currency": head.currency,
            "validUntil": valid_until.isoformat(), "groups": [{"name": "Items", "lines": lines}],
        }
        bind.execute(versions.insert().values(
            quote_id=head.id, version=1, content=content, document=document,
            created_at=head.created_at, created_by=head.created_by,
        ))
        bind.execute(
            sa.text("UPDATE quotes SET valid_until = :v, updated_at = created_at WHERE id = :id"),
            {"v": valid_until, "id": head.id},
        )


def downgrade() -> None:
    # Each quote keeps its latest version's lines, flattened; groups, taxes and history go.
    op.create_table(
        "quote_lines",
        sa.Column("quote_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name=op.f("fk_quote_lines_quote_id_quotes")),
        sa.PrimaryKeyConstraint("quote_id", "position", name=op.f("pk_quote_lines")),
    )
    op.execute(
        """
        INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price, line_total)
        SELECT v.quote_id, (line.n - 1)::int, left(line.value->>'description', 500),
               (line.value->>'quantity')::bigint, (line.value->>'unitPrice')::numeric,
               coalesce((
                   SELECT (f->>'net')::numeric FROM jsonb_array_elements(v.document->'breakdown'->'lines') f
                   WHERE f->>'lineId' = line.value->>'lineId'
               ), 0)
        FROM quotes q
        JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.latest_version
        CROSS JOIN LATERAL (
            SELECT l.value, row_number() OVER () AS n
            FROM jsonb_array_elements(v.document->'groups') g,
                 jsonb_array_elements(g.value->'lines') l
        ) line
        """
    )
    op.drop_index("ix_quotes_open_valid_until", table_name="quotes")
    op.drop_index("ix_quotes_customer_created", table_name="quotes")
    op.drop_index("ix_quotes_status_created", table_name="quotes")
    op.drop_table("quote_templates")
    op.drop_table("quote_versions")
    for column in ("updated_at", "rejection_reason", "converted_id", "converted_to", "valid_until", "latest_version"):
        op.drop_column("quotes", column)
