"""What other services report about purchase orders: goods received (inventory), the
supplier's bill recorded, released and paid (billing). Each event is handled in the consumer's
transaction, with the status changes it causes and its audit entry."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2
from procurement.adapters.purchase_orders import PurchaseOrderRepository
from procurement.application.changes import PURCHASE_ORDER, order_progress
from procurement.application.purchase_orders import status_changed
from procurement.application.suppliers import utc_now
from procurement.domain.purchase_orders import PurchaseOrder, StatusChange
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal

log = logging.getLogger(__name__)


class OrderProgress:
    def __init__(
        self, outbox: Outbox, audit: AuditLog, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.outbox = outbox
        self.audit = audit
        self.clock = clock

    async def _apply(
        self,
        session: AsyncSession,
        order_id: str,
        action: str,
        change: Callable[[PurchaseOrder, datetime, str], list[StatusChange]],
        detail: Mapping[str, Any],
    ) -> None:
        repository = PurchaseOrderRepository(session)
        order = await repository.get(order_id, for_update=True)
        if order is None:
            log.info("ignoring %s %s for unknown purchase order %r", action, detail, order_id)
            return
        before = order_progress(order)
        changes = change(order, self.clock(), current_principal().subject)
        await repository.save(order)
        for moved in changes:
            await self.outbox.add(session, status_changed(order, moved), key=order.id)
        old, new = changed(before, order_progress(order))
        if new:
            await self.audit.record(
                session, PURCHASE_ORDER, order.id, action, before=old, after={**new, **detail}
            )

    async def on_goods_received(
        self, session: AsyncSession, event: inventory_pb2.GoodsReceived, envelope: Envelope
    ) -> None:
        if not event.purchase_order_id:
            return
        quantities: Counter[str] = Counter()
        for line in event.lines:
            if line.quantity > 0:
                quantities[line.product_id] += line.quantity
        await self._apply(
            session,
            event.purchase_order_id,
            "goods_received",
            lambda order, now, actor: order.receive(
                event.receipt_id, event.warehouse_id, quantities, now, actor
            ),
            {"receipt_id": event.receipt_id},
        )

    async def on_bill_recorded(
        self, session: AsyncSession, event: billing_pb2.BillRecorded, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            "bill_recorded",
            lambda order, now, actor: order.record_bill(event.bill_id, event.status, now, actor),
            {"bill_id": event.bill_id},
        )

    async def on_bill_released(
        self, session: AsyncSession, event: billing_pb2.BillReleased, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            "bill_released",
            lambda order, now, actor: order.record_bill(event.bill_id, "matched", now, actor),
            {"bill_id": event.bill_id},
        )

    async def on_bill_paid(
        self, session: AsyncSession, event: billing_pb2.BillPaid, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            "bill_paid",
            lambda order, now, actor: order.bill_paid(event.bill_id, now, actor),
            {"bill_id": event.bill_id},
        )
