"""SalesOrderCancelled: everything the order holds goes back (and on to whoever waits for it),
and what it waits for is dropped."""

from __future__ import annotations

from inventory.application.closing import close_reservation
from inventory.application.ports import UnitOfWork
from inventory.domain.reservation import ACTIVE, Status


async def on_sales_order_cancelled(uow: UnitOfWork, order_id: str) -> None:
    await close_reservation(uow, order_id, Status.CANCELLED, ACTIVE)
