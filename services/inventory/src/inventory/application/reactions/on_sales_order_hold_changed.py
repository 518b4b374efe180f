"""SalesOrderHoldChanged: orders holds an order (or lets it go); it may not ship while held."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from inventory.application.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HoldChanged:
    order_id: str
    on_hold: bool
    reason: str


async def on_sales_order_hold_changed(uow: UnitOfWork, changed: HoldChanged) -> None:
    reservation = await uow.reservations.get(changed.order_id, for_update=True)
    if reservation is None:
        log.info("hold of %s ignored: the order is unknown here", changed.order_id)
        return
    reservation.change_hold(changed.on_hold, changed.reason)
    await uow.reservations.save(reservation)
