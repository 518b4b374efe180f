"""Order use cases. Each is one transaction: order, journal and events commit together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from oms.events.v1 import orders_pb2 as events
from orders.adapters.catalog_client import CatalogClient
from orders.adapters.repository import OrderRepository
from orders.domain.model import OrderRequest, SalesOrder, check_request, from_quote, place
from pricing.documents import InvalidDocument, verify
from pricing.engine import BreakdownMismatch
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import page_after, page_token

MAX_PAGE = 200


def placed_event(order: SalesOrder) -> events.SalesOrderPlaced:
    return events.SalesOrderPlaced(
        order_id=order.id,
        customer_id=order.customer_id,
        currency=order.currency,
        channel=order.channel,
        total=money_to_proto(order.total),
        document=order.document,
        quote_id=order.quote_id,
        lines=[
            events.SalesOrderLine(
                line_id=line.id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=money_to_proto(line.unit_price),
            )
            for line in order.lines
        ],
    )


def _cursor(order: SalesOrder) -> str:
    return page_token(order.created_at.isoformat(), order.id)


def _after(token: str) -> tuple[datetime, str] | None:
    key = page_after(token, 2)
    if not key:
        return None
    try:
        return datetime.fromisoformat(key[0]), key[1]
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


class Orders:
    def __init__(self, database: Database, outbox: Outbox, catalog: CatalogClient) -> None:
        self.database = database
        self.outbox = outbox
        self.catalog = catalog

    async def place(self, request: OrderRequest) -> SalesOrder:
        check_request(request)
        products = await self.catalog.products([product_id for product_id, _ in request.lines])
        order = place(request, products, datetime.now(UTC), current_principal().subject)
        async with self.database.transaction() as session:
            await OrderRepository(session).add(order)
            await self.outbox.add(session, placed_event(order), key=order.id)
        return order

    async def get(self, order_id: str) -> SalesOrder:
        async with self.database.transaction() as session:
            order = await OrderRepository(session).get(order_id)
        if order is None:
            raise NotFound(f"sales order {order_id} not found")
        return order

    async def page(
        self, status: str, customer_id: str, page_size: int, token: str
    ) -> tuple[list[SalesOrder], str]:
        if not 0 <= page_size <= MAX_PAGE:
            raise InvalidArgument.of("page_size", f"between 1 and {MAX_PAGE}")
        limit = page_size or 50
        async with self.database.transaction() as session:
            found = await OrderRepository(session).page(
                status, customer_id, _after(token), limit + 1
            )
        if len(found) > limit:
            return found[:limit], _cursor(found[limit - 1])
        return found, ""

    async def _apply(
        self, session: AsyncSession, order_id: str, change: Callable[[SalesOrder], None]
    ) -> None:
        repository = OrderRepository(session)
        order = await repository.get(order_id, for_update=True)
        if order is None:
            raise PoisonEvent(f"no sales order {order_id}")
        try:
            change(order)
        except ValueError as error:
            raise PoisonEvent(str(error)) from error
        if not order.changed:
            return  # a late or repeated event: nothing to record
        await repository.save(order)
        for moved in order.changes:
            changed = events.SalesOrderStatusChanged(
                order_id=order.id,
                from_status=moved.from_status,
                to_status=moved.to_status,
                reason=moved.reason,
            )
            await self.outbox.add(session, changed, key=order.id)

    async def on_stock_reserved(
        self, session: AsyncSession, event: inventory_pb2.StockReserved, envelope: Envelope
    ) -> None:
        await self._apply(session, event.order_id, lambda order: order.stock_reserved())

    async def on_stock_rejected(
        self, session: AsyncSession, event: inventory_pb2.StockRejected, envelope: Envelope
    ) -> None:
        await self._apply(session, event.order_id, lambda order: order.stock_rejected(event.reason))

    async def on_shipment_dispatched(
        self, session: AsyncSession, event: inventory_pb2.ShipmentDispatched, envelope: Envelope
    ) -> None:
        quantities = {line.line_id: line.quantity for line in event.lines}
        await self._apply(session, event.order_id, lambda order: order.shipped(quantities))

    async def on_invoice_issued(
        self, session: AsyncSession, event: billing_pb2.InvoiceIssued, envelope: Envelope
    ) -> None:
        if not event.order_id:
            return  # invoiced straight from a quote: no order of ours
        await self._apply(session, event.order_id, lambda order: order.invoiced(event.covers_order))

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
            event.document,
            datetime.now(UTC),
            current_principal().subject,
        )
        await repository.add(order)
        await self.outbox.add(session, placed_event(order), key=order.id)
