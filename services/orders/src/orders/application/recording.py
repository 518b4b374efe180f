"""What an order's unit of work leaves behind, in its own transaction: the order and its journal,
the events it announces (outbox) and its entries in the change log (audit)."""

from __future__ import annotations

import time
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.outbox import Outbox
from oms.events.v1 import orders_pb2 as events
from orders.adapters.pipelines import PipelineRepository
from orders.adapters.repository import OrderRepository
from orders.domain import pipeline as stages
from orders.domain.model import ReturnRequest, SalesOrder
from orders.domain.pipeline import Pipeline
from pricing.wire import money_to_proto
from servicekit.audit import AuditLog

ENTITY = "sales_order"


def _line_event(order: SalesOrder) -> list[events.SalesOrderLine]:
    return [
        events.SalesOrderLine(
            line_id=line.id,
            product_id=line.product_id,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=money_to_proto(line.unit_price),
        )
        for line in order.lines
    ]


def placed_event(order: SalesOrder) -> events.SalesOrderPlaced:
    return events.SalesOrderPlaced(
        order_id=order.id,
        customer_id=order.customer_id,
        currency=order.currency,
        channel=order.channel,
        total=money_to_proto(order.total),
        document=order.document,
        quote_id=order.quote_id,
        lines=_line_event(order),
    )


def events_of(order: SalesOrder) -> list[Message]:
    """What the order's last unit of work announces, in the order it happened."""
    announced: list[Message] = [
        events.SalesOrderStatusChanged(
            order_id=order.id,
            from_status=moved.from_status,
            to_status=moved.to_status,
            reason=moved.reason,
        )
        for moved in order.changes
    ]
    for what in order.announce:
        if what == "approved":
            announced.append(events.SalesOrderApproved(order_id=order.id))
        elif what == "cancelled":
            announced.append(
                events.SalesOrderCancelled(order_id=order.id, reason=order.status_reason)
            )
        elif what == "lines_changed":
            announced.append(
                events.SalesOrderLinesChanged(order_id=order.id, lines=_line_event(order))
            )
        elif what == "held":
            announced.append(
                events.SalesOrderHoldChanged(
                    order_id=order.id, on_hold=True, reason=order.credit_hold
                )
            )
        elif what == "released":
            announced.append(
                events.SalesOrderHoldChanged(
                    order_id=order.id, on_hold=False, reason=order.released
                )
            )
    return announced


def audit_entries(order: SalesOrder) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(action, before, after) of each move and hold change of the order's last unit of work."""
    entries: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (
            "cancelled" if moved.to_status == stages.CANCELLED else "moved",
            {"status": moved.from_status},
            {"status": moved.to_status, "reason": moved.reason},
        )
        for moved in order.changes
    ]
    if "held" in order.announce:
        entries.append(("credit_hold_set", {}, {"credit_hold": order.credit_hold}))
    if "released" in order.announce:
        entries.append(("credit_hold_released", {}, {"released": order.released}))
    return entries


class OrderRecorder:
    def __init__(self, outbox: Outbox, audit: AuditLog) -> None:
        self.outbox = outbox
        self.audit = audit

    async def added(self, session: AsyncSession, order: SalesOrder) -> None:
        """A new order: its row, journal, SalesOrderPlaced and what else it announces."""
        await OrderRepository(session).add(order)
        await self.outbox.add(session, placed_event(order), key=order.id)
        placed = {
            "customer_id": order.customer_id,
            "channel": order.channel,
            "external_reference": order.external_reference,
            "quote_id": order.quote_id,
            "salesperson": order.salesperson,
            "total": str(order.total),
            "lines": [(line.sku, line.quantity, str(line.unit_price)) for line in order.lines],
        }
        await self.audit.record(session, ENTITY, order.id, "placed", after=placed)
        await self._announce(session, order)

    async def saved(
        self, session: AsyncSession, repository: OrderRepository, order: SalesOrder
    ) -> None:
        """A changed order (read with `repository`): its row, journal and announcements."""
        await repository.save(order)
        await self._announce(session, order)

    async def returned(
        self, session: AsyncSession, order: SalesOrder, authorised: ReturnRequest
    ) -> None:
        """A return authorised for the order's shipped goods: announced to inventory and billing."""
        products = {line.id: line.product_id for line in order.lines}
        lines = [
            events.ReturnLine(line_id=line_id, product_id=products[line_id], quantity=units)
            for line_id, units in authorised.lines.items()
        ]
        await self.outbox.add(
            session,
            events.ReturnAuthorized(
                return_id=authorised.id, order_id=order.id, reason=authorised.reason, lines=lines
            ),
            key=order.id,
        )
        after = {"return_id": authorised.id, "lines": authorised.lines, "reason": authorised.reason}
        await self.audit.record(session, ENTITY, order.id, "return_authorized", after=after)

    async def _announce(self, session: AsyncSession, order: SalesOrder) -> None:
        for event in events_of(order):
            await self.outbox.add(session, event, key=order.id)
        for action, before, after in audit_entries(order):
            await self.audit.record(session, ENTITY, order.id, action, before=before, after=after)


class Pipelines:
    """Pipelines by order type, read at most every `ttl` seconds: every event and reply needs
    one, and they change rarely. A replaced pipeline reaches other replicas within `ttl`."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self.cached: dict[str, tuple[float, Pipeline]] = {}

    def fresh(self, order_type: str) -> Pipeline | None:
        hit = self.cached.get(order_type)
        return hit[1] if hit is not None and time.monotonic() - hit[0] < self.ttl else None

    async def get(self, session: AsyncSession, order_type: str) -> Pipeline:
        if (pipeline := self.fresh(order_type)) is not None:
            return pipeline
        pipeline = await PipelineRepository(session).pipeline(order_type)
        self.cached[order_type] = (time.monotonic(), pipeline)
        return pipeline

    def forget(self, order_type: str) -> None:
        self.cached.pop(order_type, None)
