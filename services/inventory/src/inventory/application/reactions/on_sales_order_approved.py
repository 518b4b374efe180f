"""SalesOrderApproved: the order may ship from now on, and its reservations no longer expire."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from inventory.application.ports import UnitOfWork
from inventory.domain.reservation import Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderApproved:
    order_id: str
    approved_at: datetime


async def on_sales_order_approved(uow: UnitOfWork, approved: OrderApproved) -> None:
    reservation = await uow.reservations.get(approved.order_id, for_update=True)
    if reservation is None or reservation.status != Status.OPEN:
        status = reservation and reservation.status
        log.info("approval of %s ignored (status %s)", approved.order_id, status)
        return
    reservation.approve(approved.approved_at)
    await uow.reservations.save(reservation)
