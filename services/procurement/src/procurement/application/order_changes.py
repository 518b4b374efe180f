"""What every purchase order use case shares: numbering and storing a new draft, and saving a
change with the events it causes and its change-log entry, all in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pricing.document import PricedDocument
from procurement.application.changes import PURCHASE_ORDER, order_fields
from procurement.application.ports import UnitOfWork
from procurement.domain.events import DomainEvent
from procurement.domain.order_content import OrderContent
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    Source,
    new_purchase_order,
    purchase_order_number,
)
from servicekit.changes import changed
from servicekit.context import current_principal


async def add_order(
    uow: UnitOfWork,
    content: OrderContent,
    document: PricedDocument,
    source: Source,
    now: datetime,
    rfq_id: str = "",
) -> PurchaseOrder:
    """Numbers, stores and records a new draft."""
    number = purchase_order_number(now.year, await uow.purchase_orders.next_number(now.year))
    order = new_purchase_order(
        number, content, document, source, now, current_principal().subject, rfq_id
    )
    await uow.purchase_orders.add(order)
    made = {"source": source.value, "rfq_id": rfq_id, **order_fields(order)}
    await uow.changes.record(PURCHASE_ORDER, order.id, "created", after=made)
    return order


async def save_change(
    uow: UnitOfWork,
    order: PurchaseOrder,
    action: str,
    before: Mapping[str, Any],
    events: Sequence[DomainEvent],
    now: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Saves the changed order, publishes the events the change caused and records it
    (`action`: what it changed since `before`, with `detail`), when it changed anything."""
    order.updated_at = now
    await uow.purchase_orders.save(order)
    await uow.publish(events)
    old, new = changed(before, order_fields(order))
    new |= detail or {}
    if new:
        await uow.changes.record(PURCHASE_ORDER, order.id, action, before=old, after=new)
