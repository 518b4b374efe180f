"""The order-to-cash saga: events from inventory, billing and quoting applied to the order, each
in the consumer's transaction (the inbox makes a second delivery harmless), so a restart anywhere
resumes from what was committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from orders.adapters.costs import CostsAndReturns
from orders.adapters.repository import OrderRepository
from orders.application.credit import exposure_of
from orders.application.recording import OrderRecorder, Pipelines
from orders.domain.model import SalesOrder
from orders.domain.pipeline import Pipeline
from orders.domain.placing import from_quote
from pricing.documents import InvalidDocument, verify
from pricing.engine import BreakdownMismatch
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition


class OrderSaga:
    def __init__(self, recorder: OrderRecorder, pipelines: Pipelines) -> None:
        self.recorder = recorder
        self.pipelines = pipelines

    async def _apply(
        self,
        session: AsyncSession,
        order_id: str,
        change: Callable[[SalesOrder, Pipeline], None],
    ) -> SalesOrder | None:
        repository = OrderRepository(session)
        order = await repository.get(order_id, for_update=True)
        if order is None:
            raise PoisonEvent(f"no sales order {order_id}")
        try:
            change(order, await self.pipelines.get(session, order.order_type))
        except (ValueError, FailedPrecondition) as error:
            raise PoisonEvent(str(error)) from error
        if not order.changed:
            return None  # a late or repeated event: nothing to record
        await self.recorder.saved(session, repository, order)
        return order

    async def on_stock_reserved(
        self, session: AsyncSession, event: inventory_pb2.StockReserved, envelope: Envelope
    ) -> None:
        reserved = _sum(event.lines)
        await self._apply(session, event.order_id, lambda o, _: o.stock_reserved(reserved, {}))

    async def on_stock_partially_reserved(
        self,
        session: AsyncSession,
        event: inventory_pb2.StockPartiallyReserved,
        envelope: Envelope,
    ) -> None:
        reserved, waiting = _sum(event.reserved), _sum(event.backordered)
        await self._apply(session, event.order_id, lambda o, _: o.stock_reserved(reserved, waiting))

    async def on_backorder_allocated(
        self, session: AsyncSession, event: inventory_pb2.BackorderAllocated, envelope: Envelope
    ) -> None:
        allocated = _sum(event.lines)
        await self._apply(
            session,
            event.order_id,
            lambda o, _: o.backorder_allocated(allocated, event.complete),
        )

    async def on_reservation_released(
        self, session: AsyncSession, event: inventory_pb2.ReservationReleased, envelope: Envelope
    ) -> None:
        if event.reason == "changed":
            return  # the order changed its own lines; inventory confirms what it freed
        await self._apply(
            session, event.order_id, lambda o, _: o.reservation_released(event.reason)
        )

    async def on_stock_rejected(
        self, session: AsyncSession, event: inventory_pb2.StockRejected, envelope: Envelope
    ) -> None:
        await self._apply(
            session, event.order_id, lambda o, pipeline: o.stock_rejected(pipeline, event.reason)
        )

    async def on_shipment_dispatched(
        self, session: AsyncSession, event: inventory_pb2.ShipmentDispatched, envelope: Envelope
    ) -> None:
        quantities = _sum(event.lines)
        carried: list[tuple[str, Decimal]] = []

        def ship(order: SalesOrder, pipeline: Pipeline) -> None:
            carried.extend(order.shipped(pipeline, quantities))

        order = await self._apply(session, event.order_id, ship)
        if order is not None and carried:
            total = sum((amount for _, amount in carried), Decimal(0))
            description = "; ".join(text for text, _ in carried)
            await CostsAndReturns(session).add_cost(
                order.id, "goods", total, description, f"shipment:{event.shipment_id}"
            )

    async def on_shipment_status_changed(
        self, session: AsyncSession, event: inventory_pb2.ShipmentStatusChanged, envelope: Envelope
    ) -> None:
        text = f"shipment {event.shipment_id[:8]} {event.from_status} -> {event.to_status}"
        await self._apply(session, event.order_id, lambda o, _: o.note(text))

    async def on_return_received(
        self, session: AsyncSession, event: inventory_pb2.ReturnReceived, envelope: Envelope
    ) -> None:
        if not await CostsAndReturns(session).mark_return_received(event.return_id):
            return
        quantities = _sum(event.lines)
        await self._apply(
            session, event.order_id, lambda o, _: o.return_received(event.return_id, quantities)
        )

    async def on_invoice_issued(
        self, session: AsyncSession, event: billing_pb2.InvoiceIssued, envelope: Envelope
    ) -> None:
        if not event.order_id:
            return  # invoiced straight from a quote: no order of ours
        await self._apply(
            session, event.order_id, lambda o, pipeline: o.invoiced(pipeline, event.covers_order)
        )

    async def on_invoice_paid(
        self, session: AsyncSession, event: billing_pb2.InvoicePaid, envelope: Envelope
    ) -> None:
        if event.order_id:
            await self._apply(session, event.order_id, lambda o, pipeline: o.invoice_paid(pipeline))

    async def on_credit_note_issued(
        self, session: AsyncSession, event: billing_pb2.CreditNoteIssued, envelope: Envelope
    ) -> None:
        if not event.order_id:
            return
        text = (
            f"credit note {event.number} for {event.total.amount} {event.total.currency}"
            f" ({event.reason})"
        )
        await self._apply(session, event.order_id, lambda o, _: o.note(text))

    async def on_quote_accepted(
        self, session: AsyncSession, event: quoting_pb2.QuoteAccepted, envelope: Envelope
    ) -> None:
        """An accepted quote becomes a sales order with the same document, once its figures are
        proven to be the engine's; credit control applies as to any order (an unregistered
        customer holds it at approval)."""
        if event.convert_to != "sales_order":
            return
        try:
            verify(event.document)
        except (BreakdownMismatch, InvalidDocument) as error:
            raise PoisonEvent(
                f"quote {event.quote_id} does not price as stated: {error}"
            ) from error
        repository = OrderRepository(session)
        if await repository.get(event.target_id) is not None:
            return
        order = from_quote(
            event.target_id,
            event.quote_id,
            event.customer_id,
            event.salesperson,
            event.document,
            datetime.now(UTC),
            current_principal().subject,
            event.team,
        )
        order.advance(
            await self.pipelines.get(session, order.order_type), await exposure_of(session, order)
        )
        await self.recorder.added(session, order)


class _LineUnits(Protocol):
    @property
    def line_id(self) -> str: ...
    @property
    def quantity(self) -> int: ...


def _sum(lines: Iterable[_LineUnits]) -> dict[str, int]:
    """Units per line id (a line may come in several pieces, e.g. from two warehouses)."""
    found: dict[str, int] = {}
    for line in lines:
        found[line.line_id] = found.get(line.line_id, 0) + int(line.quantity)
    return found
