"""Order use cases and the order-to-cash saga. Each is one transaction: order, journal and events
commit together, so a restart anywhere resumes from what was committed (events are redelivered
until applied; the inbox makes a second delivery harmless)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from oms.events.v1 import orders_pb2 as events
from orders.adapters.catalog_client import CatalogClient
from orders.adapters.customers import credit_position
from orders.adapters.repository import HistoryEntry, OrderQuery, OrderRepository
from orders.domain.model import (
    COST_KINDS,
    Exposure,
    OrderRequest,
    SalesOrder,
    check_request,
    forecast,
    from_quote,
    place,
)
from orders.domain.pipeline import Pipeline, from_definition
from pricing.documents import InvalidDocument, verify
from pricing.engine import BreakdownMismatch
from pricing.money import InvalidMoney, Money, parse_amount
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from servicekit.paging import newest_after, newest_page, page_limit


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


def _events_of(order: SalesOrder) -> list[Message]:
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
    return announced


@dataclass(frozen=True)
class CostLine:
    order_id: str
    currency: str
    estimated: Decimal | None
    actual: Decimal
    items: list[tuple[str, Decimal, str]]

    @property
    def variance(self) -> Decimal | None:
        return None if self.estimated is None else self.actual - self.estimated


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
        pipeline = await OrderRepository(session).pipeline(order_type)
        self.cached[order_type] = (time.monotonic(), pipeline)
        return pipeline

    def forget(self, order_type: str) -> None:
        self.cached.pop(order_type, None)


class Orders:
    def __init__(self, database: Database, outbox: Outbox, catalog: CatalogClient) -> None:
        self.database = database
        self.outbox = outbox
        self.catalog = catalog
        self.pipelines = Pipelines()

    async def _exposure(self, session: AsyncSession, order: SalesOrder) -> Exposure | None:
        position = await credit_position(session, order.customer_id)
        if position is None or position.credit_limit is None:
            return None
        if position.credit_limit.currency != order.currency:
            return None  # a limit in another currency is not converted; it does not apply
        open_orders = await OrderRepository(session).open_orders_total(
            order.customer_id, order.currency, besides=order.id
        )
        balance = position.open_balance
        if balance.currency != order.currency:
            balance = Money.zero(order.currency)
        return Exposure(position.credit_limit, balance, open_orders)

    async def _publish(self, session: AsyncSession, order: SalesOrder) -> None:
        for event in _events_of(order):
            await self.outbox.add(session, event, key=order.id)

    # -- placing and reading ---------------------------------------------------------------------

    async def place(self, request: OrderRequest) -> SalesOrder:
        check_request(request)
        products = await self.catalog.products([line[0] for line in request.lines])
        order = place(request, products, datetime.now(UTC), current_principal().subject)
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order.advance(
                await self.pipelines.get(session, order.order_type),
                await self._exposure(session, order),
            )
            await repository.add(order)
            await self.outbox.add(session, placed_event(order), key=order.id)
            await self._publish(session, order)
        return order

    async def get(self, order_id: str) -> SalesOrder:
        async with self.database.transaction() as session:
            order = await OrderRepository(session).get(order_id)
        if order is None:
            raise NotFound(f"sales order {order_id} not found")
        return order

    async def history(self, order_id: str) -> list[HistoryEntry]:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            if await repository.get(order_id) is None:
                raise NotFound(f"sales order {order_id} not found")
            return await repository.history(order_id)

    async def page(
        self, query: OrderQuery, page_size: int, token: str
    ) -> tuple[list[SalesOrder], str, list[tuple[str, int, Decimal]]]:
        """A page of orders, the next page's token, and (currency, count, sum) of all matches."""
        limit = page_limit(page_size)
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            found = await repository.page(query, newest_after(token), limit + 1)
            totals = await repository.totals(query)
        return (*newest_page(found, limit), totals)

    # -- people's changes ------------------------------------------------------------------------

    async def _change(
        self, order_id: str, change: Callable[[SalesOrder, Pipeline, Exposure | None], None]
    ) -> SalesOrder:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await repository.get(order_id, for_update=True)
            if order is None:
                raise NotFound(f"sales order {order_id} not found")
            pipeline = await self.pipelines.get(session, order.order_type)
            change(order, pipeline, await self._exposure(session, order))
            await repository.save(order)
            await self._publish(session, order)
        return order

    async def transition(
        self,
        order_id: str,
        to_stage: str,
        fields: Mapping[str, str],
        reason: str,
        release_credit_hold: bool,
    ) -> SalesOrder:
        roles = current_principal().roles
        return await self._change(
            order_id,
            lambda order, pipeline, exposure: order.transition(
                pipeline, to_stage, roles, fields, reason, release_credit_hold, exposure
            ),
        )

    async def cancel(self, order_id: str, reason: str) -> SalesOrder:
        roles = current_principal().roles
        return await self._change(
            order_id, lambda order, pipeline, _: order.cancel(pipeline, roles, reason)
        )

    async def change(
        self, order_id: str, quantities: Mapping[str, int], address: dict[str, str] | None
    ) -> SalesOrder:
        return await self._change(order_id, lambda order, _, __: order.change(quantities, address))

    async def authorize_return(
        self, order_id: str, quantities: Mapping[str, int], reason: str
    ) -> tuple[SalesOrder, str]:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await repository.get(order_id, for_update=True)
            if order is None:
                raise NotFound(f"sales order {order_id} not found")
            before = await repository.returned_or_authorised(order_id)
            authorised = order.authorize_return(quantities, reason, before)
            await repository.add_return(order.id, authorised)
            await repository.save(order)
            lines = {line.id: line for line in order.lines}
            await self.outbox.add(
                session,
                events.ReturnAuthorized(
                    return_id=authorised.id,
                    order_id=order.id,
                    reason=authorised.reason,
                    lines=[
                        events.ReturnLine(
                            line_id=line_id, product_id=lines[line_id].product_id, quantity=units
                        )
                        for line_id, units in authorised.lines.items()
                    ],
                ),
                key=order.id,
            )
        return order, authorised.id

    async def record_cost(
        self, order_id: str, kind: str, amount: str, description: str
    ) -> SalesOrder:
        if kind not in COST_KINDS:
            raise InvalidArgument.of("kind", f"one of {', '.join(COST_KINDS)}")
        try:
            value = parse_amount(amount)
        except InvalidMoney as error:
            raise InvalidArgument.of("amount", str(error)) from error
        if value <= 0:
            raise InvalidArgument.of("amount", "must be greater than 0")

        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            order = await repository.get(order_id, for_update=True)
            if order is None:
                raise NotFound(f"sales order {order_id} not found")
            await repository.add_cost(order.id, kind, value, description.strip(), None)
            order.note(f"{kind} cost {value} {order.currency} recorded: {description.strip()}")
            await repository.save(order)
        return order

    async def cost_report(self, query: OrderQuery, limit: int = 500) -> list[CostLine]:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            found = await repository.page(query, None, limit)
            costs = await repository.costs([o.id for o in found])
        return [
            CostLine(
                order.id,
                order.currency,
                order.estimated_cost,
                sum((amount for _, amount, _ in costs.get(order.id, [])), Decimal(0)),
                costs.get(order.id, []),
            )
            for order in found
        ]

    async def forecast(self) -> dict[tuple[str, str], Decimal]:
        async with self.database.transaction() as session:
            repository = OrderRepository(session)
            return forecast(await repository.open_for_forecast(), await repository.all_pipelines())

    async def pipeline(self, order_type: str) -> Pipeline:
        if (pipeline := self.pipelines.fresh(order_type)) is not None:
            return pipeline
        async with self.database.transaction() as session:
            return await self.pipelines.get(session, order_type)

    async def set_pipeline(self, order_type: str, definition: Mapping[str, object]) -> Pipeline:
        if not current_principal().has_any("admin"):
            raise PermissionDenied("changing a pipeline needs the admin role")
        if not order_type.strip() or len(order_type) > 30:
            raise InvalidArgument.of("order_type", "1-30 characters")
        pipeline = from_definition(order_type, definition)
        async with self.database.transaction() as session:
            await OrderRepository(session).save_pipeline(pipeline)
        self.pipelines.forget(order_type)
        return pipeline

    # -- the saga: events from inventory, billing and quoting ---------------------------------

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
        await repository.save(order)
        await self._publish(session, order)
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
            await OrderRepository(session).add_cost(
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
        if not await OrderRepository(session).mark_return_received(event.return_id):
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
        proven to be the engine's."""
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
        )
        order.advance(
            await self.pipelines.get(session, order.order_type),
            await self._exposure(session, order),
        )
        await repository.add(order)
        await self.outbox.add(session, placed_event(order), key=order.id)
        await self._publish(session, order)


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
