"""Purchase order use cases: drafted, changed, sent, cancelled. Each change is one transaction
with its events and its audit entry (what other services report: application.progress)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.money import parse_amount
from procurement.adapters.purchase_orders import PurchaseOrderRepository, next_number
from procurement.adapters.repository import RuleRepository, SupplierRepository
from procurement.application.changes import (
    PURCHASE_ORDER,
    REORDER_RULE,
    order_fields,
    rule_change,
)
from procurement.application.contracts import prices_agreed
from procurement.application.suppliers import utc_now
from procurement.domain.order_content import build, check, with_defaults
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    Source,
    Status,
    StatusChange,
    new_purchase_order,
    purchase_order_number,
)
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.idempotency import ProcessedRequests
from servicekit.paging import newest_after, newest_page, page_limit

log = logging.getLogger(__name__)
CREATE = "create_purchase_order"
SEND = "send_purchase_order"
# What a change does to a locked order, returning the events it causes.
Change = Callable[[AsyncSession, PurchaseOrder, datetime], Awaitable[Sequence[Message]]]


@dataclass(frozen=True)
class Once:
    """A command done once per client request_id (servicekit.idempotency)."""

    operation: str
    request_id: str
    request: Message


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
    audit: AuditLog,
    content: pb.PurchaseOrderContent,
    document: pricing.PricedDocument,
    source: Source,
    now: datetime,
    rfq_id: str = "",
) -> PurchaseOrder:
    """Numbers, stores and records a new draft, in the caller's transaction."""
    number = purchase_order_number(now.year, await next_number(session, now.year))
    order = new_purchase_order(
        number, content, document, source, now, current_principal().subject, rfq_id
    )
    await PurchaseOrderRepository(session).add(order)
    made = {"source": source.value, "rfq_id": rfq_id, **order_fields(order)}
    await audit.record(session, PURCHASE_ORDER, order.id, "created", after=made)
    return order


async def _found(
    repository: PurchaseOrderRepository, order_id: str, for_update: bool = False
) -> PurchaseOrder:
    order = await repository.get(order_id, for_update=for_update)
    if order is None:
        raise NotFound(f"purchase order {order_id} not found")
    return order


class PurchaseOrders:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        audit: AuditLog,
        requests: ProcessedRequests,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.requests = requests
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

    async def create(self, request: pb.CreatePurchaseOrderRequest) -> PurchaseOrder:
        """A retry with the request's request_id answers the order the first call made."""
        now = self.clock()
        async with self.database.transaction() as session:
            done = await self.requests.claim(session, CREATE, request.request_id, request)
            if done is not None:
                return await _found(PurchaseOrderRepository(session), done)
            content, document = await self._priced(session, request.content, now)
            order = await add_order(session, self.audit, content, document, Source.MANUAL, now)
            await self.requests.complete(session, CREATE, request.request_id, order.id)
        return order

    async def get(self, order_id: str) -> PurchaseOrder:
        async with self.database.transaction() as session:
            return await _found(PurchaseOrderRepository(session), order_id)

    async def page(
        self, status: str, supplier_id: str, warehouse_id: str, page_size: int, token: str
    ) -> tuple[list[PurchaseOrder], str]:
        limit = page_limit(page_size)
        if status and status not in set(Status):
            raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
        filters = {"status": status, "supplier_id": supplier_id, "warehouse_id": warehouse_id}
        async with self.database.transaction() as session:
            found = await PurchaseOrderRepository(session).page(
                filters, newest_after(token), limit + 1
            )
        return newest_page(found, limit)

    async def _change(
        self,
        order_id: str,
        action: str,
        change: Change,
        detail: Mapping[str, Any] | None = None,
        once: Once | None = None,
    ) -> PurchaseOrder:
        """Runs `change` on the locked order, saves it, publishes the events it returns and
        records it (`action`, with `detail`), all in one transaction. With `once`, a retry of
        the command answers the order as it is, changing nothing."""
        now = self.clock()
        async with self.database.transaction() as session:
            repository = PurchaseOrderRepository(session)
            if once and await self.requests.claim(
                session, once.operation, once.request_id, once.request
            ):
                return await _found(repository, order_id)
            order = await _found(repository, order_id, for_update=True)
            before = order_fields(order)
            published = await change(session, order, now)
            order.updated_at = now
            await repository.save(order)
            for event in published:
                await self.outbox.add(session, event, key=order.id)
            old, new = changed(before, order_fields(order))
            new |= detail or {}
            if new:
                await self.audit.record(
                    session, PURCHASE_ORDER, order.id, action, before=old, after=new
                )
            if once:
                await self.requests.complete(session, once.operation, once.request_id, order.id)
        return order

    async def update(self, order_id: str, content: pb.PurchaseOrderContent) -> PurchaseOrder:
        async def update(
            session: AsyncSession, order: PurchaseOrder, now: datetime
        ) -> list[Message]:
            order.require_draft("changed")
            stored, document = await self._priced(session, content, now)
            order.revise(stored, document)
            return []

        return await self._change(order_id, "changed", update)

    async def send(self, request: pb.SendPurchaseOrderRequest) -> PurchaseOrder:
        """A retry with the request's request_id answers the order instead of refusing to send
        it twice."""
        actor = current_principal().subject

        async def send(session: AsyncSession, order: PurchaseOrder, now: datetime) -> list[Message]:
            change = order.send(now.date(), now, actor)
            if not order.document.policy.prices_include_tax:
                await self._learn_prices(session, order, now, actor)
            return [issued(order), status_changed(order, change)]

        once = Once(SEND, request.request_id, request)
        return await self._change(request.purchase_order_id, "sent", send, once=once)

    async def _learn_prices(
        self, session: AsyncSession, order: PurchaseOrder, now: datetime, actor: str
    ) -> None:
        """The order's prices become the supplier's last known ones on reorder rules."""
        prices = {line.product_id: parse_amount(line.unit_price) for line in order.lines}
        learnt = await RuleRepository(session).learn_prices(
            order.supplier_id, order.currency, prices, now, actor
        )
        for before, after in learnt:
            recorded = rule_change(before, after)
            if recorded is not None:
                old, new = recorded
                await self.audit.record(
                    session, REORDER_RULE, after.product_id, "price_learned", before=old, after=new
                )

    async def cancel(self, order_id: str, reason: str) -> PurchaseOrder:
        actor = current_principal().subject

        async def cancel(
            session: AsyncSession, order: PurchaseOrder, now: datetime
        ) -> list[Message]:
            return [status_changed(order, order.cancel(reason, now, actor))]

        return await self._change(order_id, "cancelled", cancel, {"reason": reason.strip()})
