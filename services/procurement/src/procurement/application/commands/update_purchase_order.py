"""A draft's content replaced, priced again."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_fields
from procurement.application.lookups import found_order
from procurement.application.order_changes import save_change
from procurement.application.order_pricing import priced_content
from procurement.application.ports import Ports
from procurement.domain.order_content import OrderContent
from procurement.domain.purchase_orders import PurchaseOrder


@dataclass(frozen=True)
class UpdatePurchaseOrder:
    purchase_order_id: str
    content: OrderContent


async def update_purchase_order(ports: Ports, command: UpdatePurchaseOrder) -> PurchaseOrder:
    now = ports.clock.now()
    async with ports.uow() as uow:
        order = await found_order(uow, command.purchase_order_id, for_update=True)
        before = order_fields(order)
        order.require_draft("changed")
        content, document = await priced_content(uow, command.content, now.date())
        order.revise(content, document)
        await save_change(uow, order, "changed", before, [], now)
    return order
