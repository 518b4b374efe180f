"""SalesOrderLinesChanged: lines that grew (or are new) get more, from what is available now
(older backorders keep their turn), else wait; what smaller (or dropped) lines give up goes
back, and on to whoever waits for it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from inventory.application.ports import UnitOfWork
from inventory.application.rules import ReservationRules
from inventory.application.stock_book import StockBook
from inventory.domain.allocation import allocate
from inventory.domain.reservation import ACTIVE, OrderedLine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinesChanged:
    order_id: str
    # Every line the order has now.
    lines: Sequence[OrderedLine]


async def on_sales_order_lines_changed(
    uow: UnitOfWork, changed: LinesChanged, rules: ReservationRules
) -> None:
    order_id = changed.order_id
    named = {x.product_id for x in changed.lines}
    await uow.lock_products(set(await uow.reservations.line_products(order_id)) | named)
    reservation = await uow.reservations.get(order_id, for_update=True)
    if reservation is None or reservation.status not in ACTIVE:
        status = reservation and reservation.status
        log.info("line change of %s ignored (status %s)", order_id, status)
        return
    priority = await uow.warehouses.priority()
    resizing = reservation.resize(changed.lines)
    for line_id in resizing.other_product:
        log.warning("line %s of %s names another product; kept", line_id, order_id)
    book = StockBook(uow)
    if resizing.more:  # more first, from what is available now ...
        availability = await uow.levels.availability({d.product_id for d in resizing.more})
        plan = allocate(resizing.more, availability, priority, rules.policy)
        for a in plan.allocations:
            reservation.hold(a.line_id, a.warehouse_id, a.quantity)
            await book.hold(a.warehouse_id, a.product_id, a.quantity, order_id, "order changed")
        reservation.backorder(plan.backordered)
    # ... then what was cut goes back, and on to whoever waits for it.
    released = reservation.release_cuts(resizing.cuts, priority)
    for event in released:
        for x in event.lines:
            await book.release(x.warehouse_id, x.product_id, x.quantity, order_id, "changed")
    await uow.reservations.save(reservation)
    await uow.publish(released)
    await book.settle(quiet=frozenset({order_id}) if resizing.more else frozenset())
    if resizing.more:
        await uow.publish([reservation.announce()])
