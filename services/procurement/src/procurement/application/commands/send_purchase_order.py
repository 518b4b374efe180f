"""A draft sent to its supplier (PurchaseOrderIssued): its unit prices become the last known
prices of the supplier's reorder rules for those products."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pricing.money import parse_amount
from procurement.application.changes import REORDER_RULE, order_fields, rule_change
from procurement.application.lookups import found_order
from procurement.application.order_changes import save_change
from procurement.application.ports import Ports, RequestKey, UnitOfWork
from procurement.domain.purchase_orders import PurchaseOrder
from servicekit.context import current_principal

SEND = "send_purchase_order"


@dataclass(frozen=True)
class SendPurchaseOrder:
    purchase_order_id: str
    request: RequestKey = field(default_factory=RequestKey)


async def send_purchase_order(ports: Ports, command: SendPurchaseOrder) -> PurchaseOrder:
    """A retry with the command's request id answers the order instead of refusing to send it
    twice."""
    key = command.request
    actor = current_principal().subject
    now = ports.clock.now()
    async with ports.uow() as uow:
        if await uow.requests.claim(SEND, key.request_id, key.fingerprint):
            return await found_order(uow, command.purchase_order_id)
        order = await found_order(uow, command.purchase_order_id, for_update=True)
        before = order_fields(order)
        events = order.send(now.date(), now, actor)
        if not order.document.prices_include_tax:
            await _learn_prices(uow, order, now, actor)
        await save_change(uow, order, "sent", before, events, now)
        await uow.requests.complete(SEND, key.request_id, order.id)
    return order


async def _learn_prices(uow: UnitOfWork, order: PurchaseOrder, now: datetime, actor: str) -> None:
    """The order's prices become the supplier's last known ones on reorder rules."""
    prices = {line.product_id: parse_amount(line.unit_price) for line in order.lines}
    rules = await uow.reorder_rules.of_supplier(order.supplier_id, order.currency, list(prices))
    for rule in rules:
        learnt = rule.learn(prices[rule.product_id], now, actor)
        if learnt is None:
            continue
        await uow.reorder_rules.put(learnt)
        recorded = rule_change(rule, learnt)
        if recorded is not None:
            old, new = recorded
            await uow.changes.record(
                REORDER_RULE, learnt.product_id, "price_learned", before=old, after=new
            )
