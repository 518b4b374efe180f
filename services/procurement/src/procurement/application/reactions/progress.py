"""What the reactions to goods and bills share: the order a report names (a report for an
unknown order is ignored), and the change it caused saved, announced (each status move) and
recorded with the report's detail, in the consumer's unit of work."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from procurement.application.changes import PURCHASE_ORDER, order_progress
from procurement.application.ports import UnitOfWork
from procurement.domain.events import PurchaseOrderStatusChanged
from procurement.domain.purchase_orders import PurchaseOrder
from servicekit.changes import changed

log = logging.getLogger(__name__)


async def reported_order(
    uow: UnitOfWork, order_id: str, action: str, detail: Mapping[str, Any]
) -> PurchaseOrder | None:
    """The order, locked; None (and a note in the log) when there is no such order."""
    order = await uow.purchase_orders.get(order_id, for_update=True)
    if order is None:
        log.info("ignoring %s %s for unknown purchase order %r", action, detail, order_id)
    return order


async def record_progress(
    uow: UnitOfWork,
    order: PurchaseOrder,
    before: Mapping[str, Any],
    moves: Sequence[PurchaseOrderStatusChanged],
    action: str,
    detail: Mapping[str, Any],
) -> None:
    await uow.purchase_orders.save(order)
    await uow.publish(moves)
    old, new = changed(before, order_progress(order))
    if new:
        after = {**new, **detail}
        await uow.changes.record(PURCHASE_ORDER, order.id, action, before=old, after=after)
