"""The connector's orders on PostgreSQL, one row per (store, WooCommerce order id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import Transaction
from woocommerce.adapters.tables import orders
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState


class SqlOrders:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def get(self, store_id: str, woo_order_id: int) -> ConnectorOrder | None:
        row = (
            await self.session.execute(
                select(orders).where(
                    orders.c.store_id == store_id, orders.c.woo_order_id == woo_order_id
                )
            )
        ).first()
        return None if row is None else _order(row._mapping)

    async def save(self, order: ConnectorOrder) -> None:
        values = {
            "number": order.number,
            "woo_status": order.woo_status,
            "date_modified_gmt": order.date_modified_gmt,
            "fingerprint": order.fingerprint,
            "currency": order.currency,
            "total": order.total,
            "state": order.state.value,
            "reason": order.reason,
            "differences": list(order.differences),
            "trashed": order.trashed,
            "body": order.body,
            "sales_order_id": order.sales_order_id,
            "sales_state": order.sales_state,
            "credited": list(order.credited),
            "invoices": list(order.invoices),
            "payments": list(order.payments),
            "sync_due": order.sync_due,
            "sync_note": order.sync_note,
            "updated_at": func.now(),
        }
        statement = insert(orders).values(
            store_id=order.store_id, woo_order_id=order.woo_order_id, **values
        )
        # A snapshot read before the sales sync (or an invoice's event) committed carries no
        # sales link: it never erases the one kept (the links only ever grow).
        kept = {
            "sales_order_id": _unless_empty(
                statement.excluded.sales_order_id, orders.c.sales_order_id
            ),
            "sales_state": _unless_empty(statement.excluded.sales_state, orders.c.sales_state),
            **{
                name: _longer(statement.excluded[name], orders.c[name])
                for name in ("credited", "invoices", "payments")
            },
        }
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[orders.c.store_id, orders.c.woo_order_id],
                set_={**values, **kept},
            )
        )

    async def waiting(self, limit: int) -> list[ConnectorOrder]:
        rows = await self.session.execute(
            select(orders)
            .where(orders.c.state == OrderState.RECEIVED.value)
            .order_by(orders.c.updated_at, orders.c.store_id, orders.c.woo_order_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_order(row._mapping) for row in rows]

    async def due(self, limit: int) -> list[ConnectorOrder]:
        """Mapped and review orders whose sales order has to catch up, oldest first, locked."""
        rows = await self.session.execute(
            select(orders)
            .where(
                orders.c.sync_due,
                orders.c.state.in_([OrderState.MAPPED.value, OrderState.REVIEW.value]),
            )
            .order_by(orders.c.updated_at, orders.c.store_id, orders.c.woo_order_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_order(row._mapping) for row in rows]

    async def of_sales_order(self, sales_order_id: str) -> ConnectorOrder | None:
        row = (
            await self.session.execute(
                select(orders).where(orders.c.sales_order_id == sales_order_id).with_for_update()
            )
        ).first()
        return None if row is None else _order(row._mapping)

    async def parked(self, store_id: str = "") -> list[ConnectorOrder]:
        statement = select(orders).where(orders.c.state == OrderState.PARKED.value)
        if store_id:
            statement = statement.where(orders.c.store_id == store_id)
        rows = await self.session.execute(
            statement.order_by(orders.c.store_id, orders.c.woo_order_id).with_for_update()
        )
        return [_order(row._mapping) for row in rows]

    async def listed(
        self, store_id: str, state: OrderState | None, after: tuple[str, int] | None, limit: int
    ) -> list[ConnectorOrder]:
        statement = select(orders)
        if store_id:
            statement = statement.where(orders.c.store_id == store_id)
        if state is not None:
            statement = statement.where(orders.c.state == state.value)
        if after is not None:
            statement = statement.where(tuple_(orders.c.store_id, orders.c.woo_order_id) > after)
        rows = await self.session.execute(
            statement.order_by(orders.c.store_id, orders.c.woo_order_id).limit(limit)
        )
        return [_order(row._mapping) for row in rows]

    async def of_store(self, store_id: str) -> list[ConnectorOrder]:
        rows = await self.session.execute(
            select(orders).where(orders.c.store_id == store_id).order_by(orders.c.woo_order_id)
        )
        return [_order(row._mapping) for row in rows]


def _unless_empty(new: Any, old: Any) -> Any:
    return case((new == "", old), else_=new)


def _longer(new: Any, old: Any) -> Any:
    return case((func.jsonb_array_length(new) >= func.jsonb_array_length(old), new), else_=old)


def _order(row: Any) -> ConnectorOrder:
    return ConnectorOrder(
        store_id=row["store_id"],
        woo_order_id=row["woo_order_id"],
        number=row["number"],
        woo_status=row["woo_status"],
        date_modified_gmt=row["date_modified_gmt"],
        fingerprint=row["fingerprint"],
        currency=row["currency"],
        total=row["total"],
        state=OrderState(row["state"]),
        reason=row["reason"],
        differences=tuple(row["differences"]),
        trashed=row["trashed"],
        body=row["body"],
        sales_order_id=row["sales_order_id"],
        sales_state=row["sales_state"],
        credited=tuple(row["credited"]),
        sync_due=row["sync_due"],
        sync_note=row["sync_note"],
        invoices=tuple(row["invoices"]),
        payments=tuple(row["payments"]),
    )
