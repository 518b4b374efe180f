"""Which store's order a sales order is, from the connector's own records: the sales orders it
placed keep their id on the store's order (`orders.sales_order_id`). A sales order it did not
place is not a store's order. Asking orders instead cost a gRPC call for every shipment and
status change of every order in the suite."""

from __future__ import annotations

from sqlalchemy import select

from servicekit.db import Transaction
from woocommerce.adapters.tables import orders


class SqlOrderLinks:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def woo_order_of(self, sales_order_id: str) -> tuple[str, int] | None:
        if not sales_order_id:
            return None
        row = (
            await self.session.execute(
                select(orders.c.store_id, orders.c.woo_order_id).where(
                    orders.c.sales_order_id == sales_order_id
                )
            )
        ).first()
        return None if row is None else (str(row.store_id), int(row.woo_order_id))
