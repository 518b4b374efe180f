"""A draft or sent order cancelled, with the reason."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_fields
from procurement.application.lookups import found_order
from procurement.application.order_changes import save_change
from procurement.application.ports import Ports
from procurement.domain.purchase_orders import PurchaseOrder
from servicekit.context import current_principal


@dataclass(frozen=True)
class CancelPurchaseOrder:
    purchase_order_id: str
    reason: str = ""


async def cancel_purchase_order(ports: Ports, command: CancelPurchaseOrder) -> PurchaseOrder:
    now = ports.clock.now()
    async with ports.uow() as uow:
        order = await found_order(uow, command.purchase_order_id, for_update=True)
        before = order_fields(order)
        events = order.cancel(command.reason, now, current_principal().subject)
        reason = {"reason": command.reason.strip()}
        await save_change(uow, order, "cancelled", before, events, now, reason)
    return order
