"""Closing an order's reservation for good (cancelled by orders, or expired unapproved):
everything it holds goes back to stock, and on to the orders waiting for it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from inventory.application.ports import UnitOfWork
from inventory.application.stock_book import StockBook
from inventory.domain.reservation import Status

log = logging.getLogger(__name__)


async def close_reservation(
    uow: UnitOfWork, order_id: str, closing: Status, from_statuses: Sequence[Status]
) -> bool:
    """Releases everything the order holds and drops what it waits for; its status becomes
    `closing`. False when the order is unknown or not in one of `from_statuses`."""
    await uow.lock_products(await uow.reservations.line_products(order_id))
    reservation = await uow.reservations.get(order_id, for_update=True)
    if reservation is None or reservation.status not in from_statuses:
        status = reservation and reservation.status
        log.info("%s of %s ignored (status %s)", closing, order_id, status)
        return False
    events = reservation.let_go(closing, datetime.now(UTC))
    book = StockBook(uow)
    for released in events:
        for x in released.lines:
            await book.release(x.warehouse_id, x.product_id, x.quantity, order_id, closing.value)
    await uow.reservations.save(reservation)
    await uow.publish(events)
    await book.settle()
    return True
