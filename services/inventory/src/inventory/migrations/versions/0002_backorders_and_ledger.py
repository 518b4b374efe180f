"""backorders, the reservation ledger, receipts, expected goods, reorder points, returns

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "warehouses", sa.Column("priority", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "stock_levels",
        sa.Column("reorder_point", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "stock_levels",
        sa.Column("low_stock", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_stock_levels_reorder_point_not_negative"), "stock_levels", "reorder_point >= 0"
    )
    op.add_column("shipments", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))

    # reservations: one status and quantity per row -> reserved, consumed and released units
    for column in ("reserved", "consumed", "released"):
        op.add_column(
            "reservations", sa.Column(column, sa.BigInteger(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE reservations SET"
        " reserved = CASE WHEN status = 'reserved' THEN quantity ELSE 0 END,"
        " consumed = CASE WHEN status = 'consumed' THEN quantity ELSE 0 END,"
        " released = CASE WHEN status = 'released' THEN quantity ELSE 0 END"
    )
    op.drop_constraint(op.f("ck_reservations_quantity_positive"), "reservations", type_="check")
    op.drop_column("reservations", "quantity")
    op.drop_column("reservations", "status")
    op.create_check_constraint(
        op.f("ck_reservations_quantities_not_negative"),
        "reservations",
        "reserved >= 0 AND consumed >= 0 AND released >= 0",
    )

    op.create_table(
        "reservation_orders",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_reservation_orders")),
    )
    op.create_index(
        "ix_reservation_orders_open",
        "reservation_orders",
        ["placed_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "reservation_lines",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("backordered", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "backordered >= 0 AND backordered <= quantity",
            name=op.f("ck_reservation_lines_backordered_in_range"),
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_reservation_lines_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["reservation_orders.order_id"],
            name=op.f("fk_reservation_lines_order_id_reservation_orders"),
        ),
        sa.PrimaryKeyConstraint("order_id", "line_id", name=op.f("pk_reservation_lines")),
    )
    op.create_index(
        "ix_reservation_lines_backorder_queue",
        "reservation_lines",
        ["product_id", "placed_at", "order_id", "position"],
        unique=False,
        postgresql_where=sa.text("backordered > 0"),
    )
    # Orders reserved before this revision: approved, their lines as their reservations say.
    op.execute(
        "INSERT INTO reservation_orders (order_id, status, placed_at, approved_at)"
        " SELECT order_id, 'approved', min(created_at), min(created_at) FROM reservations"
        " GROUP BY order_id"
    )
    op.execute(
        "INSERT INTO reservation_lines"
        " (order_id, line_id, product_id, position, quantity, backordered, placed_at)"
        " SELECT order_id, line_id, min(product_id),"
        "  (row_number() OVER (PARTITION BY order_id ORDER BY min(id)))::int - 1,"
        "  sum(reserved + consumed), 0, min(created_at)"
        " FROM reservations GROUP BY order_id, line_id"
    )

    op.create_table(
        "receipts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("warehouse_id", sa.String(length=36), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_receipts_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
    )
    op.create_table(
        "receipt_lines",
        sa.Column("receipt_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_receipt_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_receipt_lines_receipt_id_receipts")
        ),
        sa.PrimaryKeyConstraint("receipt_id", "position", name=op.f("pk_receipt_lines")),
    )
    op.create_table(
        "expected_goods",
        sa.Column("purchase_order_id", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("warehouse_id", sa.String(length=36), nullable=False),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "expected >= 0 AND received >= 0",
            name=op.f("ck_expected_goods_quantities_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_expected_goods_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("purchase_order_id", "product_id", name=op.f("pk_expected_goods")),
    )
    op.create_index(
        "ix_expected_goods_warehouse_product",
        "expected_goods",
        ["warehouse_id", "product_id"],
        unique=False,
    )
    op.create_table(
        "returns",
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("authorized_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warehouse_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_returns")),
    )
    op.create_index(op.f("ix_returns_order_id"), "returns", ["order_id"], unique=False)
    op.create_table(
        "return_lines",
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_return_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.return_id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.PrimaryKeyConstraint("return_id", "position", name=op.f("pk_return_lines")),
    )


def downgrade() -> None:
    op.drop_table("return_lines")
    op.drop_index(op.f("ix_returns_order_id"), table_name="returns")
    op.drop_table("returns")
    op.drop_index("ix_expected_goods_warehouse_product", table_name="expected_goods")
    op.drop_table("expected_goods")
    op.drop_table("receipt_lines")
    op.drop_table("receipts")
    op.drop_index(
        "ix_reservation_lines_backorder_queue",
        table_name="reservation_lines",
        postgresql_where=sa.text("backordered > 0"),
    )
    op.drop_table("reservation_lines")
    op.drop_index(
        "ix_reservation_orders_open",
        table_name="reservation_orders",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_table("reservation_orders")
    op.drop_constraint(
        op.f("ck_reservations_quantities_not_negative"), "reservations", type_="check"
    )
    op.add_column("reservations", sa.Column("status", sa.String(length=20), nullable=True))
    op.add_column("reservations", sa.Column("quantity", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE reservations SET"
        " status = CASE WHEN reserved > 0 THEN 'reserved' WHEN consumed > 0 THEN 'consumed'"
        "  ELSE 'released' END,"
        " quantity = greatest(reserved, consumed, released, 1)"
    )
    op.alter_column("reservations", "status", nullable=False)
    op.alter_column("reservations", "quantity", nullable=False)
    op.create_check_constraint(
        op.f("ck_reservations_quantity_positive"), "reservations", "quantity > 0"
    )
    for column in ("released", "consumed", "reserved"):
        op.drop_column("reservations", column)
    op.drop_column("shipments", "updated_at")
    op.drop_constraint(
        op.f("ck_stock_levels_reorder_point_not_negative"), "stock_levels", type_="check"
    )
    op.drop_column("stock_levels", "low_stock")
    op.drop_column("stock_levels", "reorder_point")
    op.drop_column("warehouses", "priority")
