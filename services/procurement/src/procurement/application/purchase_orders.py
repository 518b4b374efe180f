"""Purchase order use cases, and what other services report about them (goods received, the
supplier's bill recorded and paid). Each change is one transaction with its events."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.money import parse_amount
from procurement.adapters.repository import (
    PurchaseOrderRepository,
    RuleRepository,
    SupplierRepository,
    next_number,
)
from procurement.application.contracts import prices_agreed
from procurement.application.suppliers import utc_now
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    Source,
    Status,
    StatusChange,
    build,
    check,
    new_purchase_order,
    purchase_order_number,
    with_defaults,
)
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import newest_page, page_after, page_limit

log = logging.getLogger(__name__)


def status_changed(order: PurchaseOrder, change: StatusChange) -> events.PurchaseOrderStatusChanged:
    return events.PurchaseOrderStatusChanged(
        purchase_order_id=order.id,
        from_status=change.from_status,
        to_status=change.to_status,
        reason=change.reason,
    )


def issued(order: PurchaseOrder) -> events.PurchaseOrderIssued:
    return events.PurchaseOrderIssued(
        purchase_order_id=order.id,
        number=order.number,
        supplier_id=order.supplier_id,
        warehouse_id=order.warehouse_id,
        currency=order.currency,
        lines=[
            events.PurchaseOrderLine(
                line_id=line.line_id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Money(amount=line.unit_price, currency=order.currency),
            )
            for line in order.lines
        ],
        document=order.document,
        expected_on=order.expected_on.isoformat(),
        payment_terms=order.payment_terms,
    )


async def add_order(
    session: AsyncSession,
    content: pb.PurchaseOrderContent,
    document: pricing.PricedDocument,
    source: Source,
    now: datetime,
    rfq_id: str = "",
) -> PurchaseOrder:
    """Numbers and stores a new draft, in the caller's transaction."""
    number = purchase_order_number(now.year, await next_number(session, now.year))
    order = new_purchase_order(
        number, content, document, source, now, current_principal().subject, rfq_id
    )
    await PurchaseOrderRepository(session).add(order)
    return order


class PurchaseOrders:
    def __init__(
        self, database: Database, outbox: Outbox, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.clock = clock

    async def _priced(
        self, session: AsyncSession, content: pb.PurchaseOrderContent, now: datetime
    ) -> tuple[pb.PurchaseOrderContent, pricing.PricedDocument]:
        """The content as stored and its priced document, contract prices applied."""
        supplier = await SupplierRepository(session).get(content.supplier_id.strip())
        content = with_defaults(content, supplier, now.date())
        check(content, supplier, now.date())
        agreed = await prices_agreed(session, content.supplier_id, content.currency, now.date())
        return content, build(content, agreed)

    async def create(self, content: pb.PurchaseOrderContent) -> PurchaseOrder:
        now = self.clock()
        async with self.database.transaction() as session:
            content, document = await self._priced(session, content, now)
            return await add_order(session, content, document, Source.MANUAL, now)

    async def get(self, order_id: str) -> PurchaseOrder:
        async with self.database.transaction() as session:
            order = await PurchaseOrderRepository(session).get(order_id)
        if order is None:
            raise NotFound(f"purchase order {order_id} not found")
        return order

    async def page(
        self, status: str, supplier_id: str, warehouse_id: str, page_size: int, token: str
    ) -> tuple[list[PurchaseOrder], str]:
        limit = page_limit(page_size)
        if status and status not in set(Status):
            raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
        filters = {"status": status, "supplier_id": supplier_id, "warehouse_id": warehouse_id}
        async with self.database.transaction() as session:
            found = await PurchaseOrderRepository(session).page(
                filters, page_after(token, 2), limit + 1
            )
        return newest_page(found, limit)

    async def _change(
        self,
        order_id: str,
        change: Callable[[AsyncSession, PurchaseOrder, datetime], Awaitable[Sequence[Message]]],
    ) -> PurchaseOrder:
        """Runs `change` on the locked order, saves it and publishes the events it returns, all
        in one transaction."""
        now = self.clock()
        async with self.database.transaction() as session:
            repository = PurchaseOrderRepository(session)
            order = await repository.get(order_id, for_update=True)
            if order is None:
                raise NotFound(f"purchase order {order_id} not found")
            published = await change(session, order, now)
            order.updated_at = now
            await repository.save(order)
            for event in published:
                await self.outbox.add(session, event, key=order.id)
        return order

    async def update(self, order_id: str, content: pb.PurchaseOrderContent) -> PurchaseOrder:
        async def update(
            session: AsyncSession, order: PurchaseOrder, now: datetime
        ) -> list[Message]:
            order.require_draft("changed")
            stored, document = await self._priced(session, content, now)
            order.revise(stored, document)
            return []

        return await self._change(order_id, update)

    async def send(self, order_id: str) -> PurchaseOrder:
        actor = current_principal().subject

        async def send(session: AsyncSession, order: PurchaseOrder, now: datetime) -> list[Message]:
            change = order.send(now.date(), now, actor)
            if not order.document.policy.prices_include_tax:
                # The order's prices become the supplier's last known ones on reorder rules.
                prices = {line.product_id: parse_amount(line.unit_price) for line in order.lines}
                await RuleRepository(session).learn_prices(
                    order.supplier_id, order.currency, prices, now, actor
                )
            return [issued(order), status_changed(order, change)]

        return await self._change(order_id, send)

    async def cancel(self, order_id: str, reason: str) -> PurchaseOrder:
        actor = current_principal().subject

        async def cancel(
            session: AsyncSession, order: PurchaseOrder, now: datetime
        ) -> list[Message]:
            return [status_changed(order, order.cancel(reason, now, actor))]

        return await self._change(order_id, cancel)

    # Events from inventory and billing

    async def _apply(
        self,
        session: AsyncSession,
        order_id: str,
        what: str,
        change: Callable[[PurchaseOrder, datetime, str], list[StatusChange]],
    ) -> None:
        repository = PurchaseOrderRepository(session)
        order = await repository.get(order_id, for_update=True)
        if order is None:
            log.info("ignoring %s for unknown purchase order %r", what, order_id)
            return
        changes = change(order, self.clock(), current_principal().subject)
        await repository.save(order)
        for moved in changes:
            await self.outbox.add(session, status_changed(order, moved), key=order.id)

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
            f"receipt {event.receipt_id}",
            lambda order, now, actor: order.receive(
                event.receipt_id, event.warehouse_id, quantities, now, actor
            ),
        )

    async def on_bill_recorded(
        self, session: AsyncSession, event: billing_pb2.BillRecorded, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            f"bill {event.bill_id}",
            lambda order, now, actor: order.record_bill(event.bill_id, event.status, now, actor),
        )

    async def on_bill_released(
        self, session: AsyncSession, event: billing_pb2.BillReleased, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            f"bill {event.bill_id}",
            lambda order, now, actor: order.record_bill(event.bill_id, "matched", now, actor),
        )

    async def on_bill_paid(
        self, session: AsyncSession, event: billing_pb2.BillPaid, envelope: Envelope
    ) -> None:
        await self._apply(
            session,
            event.purchase_order_id,
            f"bill {event.bill_id}",
            lambda order, now, actor: order.bill_paid(event.bill_id, now, actor),
        )
