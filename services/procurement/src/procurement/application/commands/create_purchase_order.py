"""A purchase order drafted by hand: priced (contract prices first) and numbered."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.application.lookups import found_order
from procurement.application.order_changes import add_order
from procurement.application.order_pricing import priced_content
from procurement.application.ports import Ports, RequestKey
from procurement.domain.order_content import OrderContent
from procurement.domain.purchase_orders import PurchaseOrder, Source

CREATE = "create_purchase_order"


@dataclass(frozen=True)
class CreatePurchaseOrder:
    content: OrderContent
    request: RequestKey = field(default_factory=RequestKey)


async def create_purchase_order(ports: Ports, command: CreatePurchaseOrder) -> PurchaseOrder:
    """A retry with the command's request id answers the order the first call made."""
    key = command.request
    now = ports.clock.now()
    async with ports.uow() as uow:
        done = await uow.requests.claim(CREATE, key.request_id, key.fingerprint)
        if done is not None:
            return await found_order(uow, done)
        content, document = await priced_content(uow, command.content, now.date())
        order = await add_order(uow, content, document, Source.MANUAL, now)
        await uow.requests.complete(CREATE, key.request_id, order.id)
    return order
