"""A sent or partially received order's line lowered to fewer units: the rest of the line is
cancelled (PurchaseOrderReduced tells inventory and billing)."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_fields
from procurement.application.lookups import found_order
from procurement.application.order_changes import save_change
from procurement.application.ports import Ports
from procurement.domain.purchase_orders import PurchaseOrder
from servicekit.context import current_principal


@dataclass(frozen=True)
class ReducePurchaseOrderLine:
    purchase_order_id: str
    product_id: str
    quantity: int
    reason: str = ""


async def reduce_purchase_order_line(
    ports: Ports, command: ReducePurchaseOrderLine
) -> PurchaseOrder:
    now = ports.clock.now()
    async with ports.uow() as uow:
        order = await found_order(uow, command.purchase_order_id, for_update=True)
        before = order_fields(order)
        events = order.reduce(
            command.product_id, command.quantity, command.reason, now, current_principal().subject
        )
        detail = {
            "reason": command.reason.strip(),
            "product_id": command.product_id,
            "quantity": command.quantity,
        }
        await save_change(uow, order, "line_reduced", before, events, now, detail)
    return order
