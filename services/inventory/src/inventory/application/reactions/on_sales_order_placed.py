"""SalesOrderPlaced: what exists is reserved by the allocation policy and the rest waits for
stock (or, without backorders, an order that cannot be reserved in full is rejected)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from inventory.application.ports import UnitOfWork
from inventory.application.rules import ReservationRules
from inventory.application.stock_book import StockBook
from inventory.domain.allocation import Demand, allocate
from inventory.domain.reservation import OrderedLine, Reservation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderPlaced:
    order_id: str
    lines: Sequence[OrderedLine]
    # When orders placed it: backorders are filled first placed, first served.
    placed_at: datetime
    channel: str = ""


async def on_sales_order_placed(
    uow: UnitOfWork, placed: OrderPlaced, rules: ReservationRules
) -> None:
    order_id = placed.order_id
    lines = [x for x in placed.lines if x.quantity > 0]
    await uow.lock_products(x.product_id for x in lines)
    if await uow.reservations.get(order_id) is not None:
        log.info("order %s is known already; placement ignored", order_id)
        return
    demands = [Demand(x.line_id, x.product_id, x.quantity) for x in lines]
    availability = await uow.levels.availability({d.product_id for d in demands})
    plan = allocate(demands, availability, await uow.warehouses.priority(), rules.policy)
    if not plan.complete and not rules.backorders:
        rejected, events = Reservation.reject(order_id, lines, placed.placed_at, availability)
        await uow.reservations.add(rejected)
        await uow.publish(events)
        return
    reservation = Reservation.open(
        order_id, lines, placed.placed_at, plan.backordered, placed.channel
    )
    book = StockBook(uow)
    for a in plan.allocations:
        reservation.hold(a.line_id, a.warehouse_id, a.quantity)
        await book.hold(a.warehouse_id, a.product_id, a.quantity, order_id, "sales order placed")
    await uow.reservations.add(reservation)
    # Holding makes nothing available, so settling fills no backorder and leaves the
    # reservation as announced here: one outbox write for both.
    await book.settle(quiet=frozenset({order_id}), then=[reservation.announce()])
