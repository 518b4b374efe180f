"""Invoicing: a copy of each order, and one invoice per shipment, numbered without gaps; each
invoice in the change log under the actor of the event that caused it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    counted_shipments,
    invoice_lines,
    invoices,
    order_copies,
    order_copy_lines,
    pending_shipments,
)
from billing.application.accounts import due_on, move_balance, next_number
from billing.application.credits import Credits
from billing.application.invoice_views import Invoice, find_invoices
from billing.application.records import audit
from billing.domain.model import (
    CannotInvoice,
    InvoiceLine,
    OrderLine,
    document_lines,
    invoice_number,
    invoice_total,
    record_shipment,
)
from billing.domain.model import (
    invoice_lines as lines_for,
)
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2, quoting_pb2
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.documents import InvalidDocument, verify
from pricing.engine import BreakdownMismatch
from pricing.money import Money, parse_amount
from pricing.wire import money_from_proto, money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import NotFound
from servicekit.paging import page_after, page_limit, page_token


def verified(document: PricedDocument, what: str) -> PricedDocument:
    """`document` once its figures are proven to be the engine's; a poison event otherwise."""
    try:
        verify(document)
    except (BreakdownMismatch, InvalidDocument) as error:
        raise PoisonEvent(f"{what} does not price as stated: {error}") from error
    return document


class Invoicing:
    def __init__(self, database: Database, outbox: Outbox, credits: Credits | None = None) -> None:
        self.database = database
        self.outbox = outbox
        # Credits what is invoiced for an order already cancelled or returned.
        self.credits = credits or Credits(database, outbox)

    async def on_sales_order_placed(
        self, session: AsyncSession, order: orders_pb2.SalesOrderPlaced, envelope: Envelope
    ) -> None:
        document = None
        if order.HasField("document"):
            document = MessageToDict(verified(order.document, f"order {order.order_id}"))
        copied = await session.execute(
            insert(order_copies)
            .values(
                order_id=order.order_id,
                customer_id=order.customer_id,
                currency=order.currency,
                document=document,
                channel=order.channel[:40],
            )
            .on_conflict_do_nothing()
            .returning(order_copies.c.order_id)
        )
        if copied.first() is None:
            return
        await session.execute(
            order_copy_lines.insert(),
            [
                {
                    "order_id": order.order_id,
                    "line_id": line.line_id,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": money_from_proto(line.unit_price).amount,
                }
                for line in order.lines
            ],
        )
        parked = await session.execute(
            pending_shipments.delete()
            .where(pending_shipments.c.order_id == order.order_id)
            .returning(pending_shipments.c.event)
        )
        for (raw,) in parked.all():
            await self.issue(session, inventory_pb2.ShipmentDispatched.FromString(raw))

    async def on_shipment_dispatched(
        self, session: AsyncSession, shipment: inventory_pb2.ShipmentDispatched, envelope: Envelope
    ) -> None:
        known = await session.execute(
            select(order_copies.c.order_id).where(order_copies.c.order_id == shipment.order_id)
        )
        if known.first() is None:
            await session.execute(
                insert(pending_shipments)
                .values(
                    shipment_id=shipment.shipment_id,
                    order_id=shipment.order_id,
                    event=shipment.SerializeToString(),
                )
                .on_conflict_do_nothing()
            )
            return
        await self.issue(session, shipment)

    async def issue(
        self, session: AsyncSession, shipment: inventory_pb2.ShipmentDispatched
    ) -> None:
        """Invoices `shipment` once; a shipment already invoiced is left alone."""
        done = await session.execute(
            select(invoices.c.id).where(invoices.c.shipment_id == shipment.shipment_id)
        )
        if done.first() is not None:
            return
        copy = (
            await session.execute(
                select(order_copies).where(order_copies.c.order_id == shipment.order_id)
            )
        ).one()
        rows = (
            await session.execute(
                select(order_copy_lines).where(order_copy_lines.c.order_id == shipment.order_id)
            )
        ).all()
        if copy.document is not None:
            await self._count_towards_whole(session, copy, rows, shipment)
            return
        ordered = {
            r.line_id: OrderLine(
                r.line_id, r.product_id, r.sku, r.quantity, Money(r.unit_price, copy.currency)
            )
            for r in rows
        }
        try:
            lines = lines_for(ordered, [(x.line_id, x.quantity) for x in shipment.lines])
        except CannotInvoice as error:
            raise PoisonEvent(str(error)) from error
        await self._issue(
            session,
            lines,
            invoice_total(lines, copy.currency),
            order_id=shipment.order_id,
            shipment_id=shipment.shipment_id,
            customer_id=copy.customer_id,
        )

    async def _count_towards_whole(
        self,
        session: AsyncSession,
        copy: Row[Any],
        rows: Sequence[Row[Any]],
        shipment: inventory_pb2.ShipmentDispatched,
    ) -> None:
        """A document order is billed whole, as quoted, once its last shipment has left."""
        counted = await session.execute(
            insert(counted_shipments)
            .values(shipment_id=shipment.shipment_id, order_id=shipment.order_id)
            .on_conflict_do_nothing()
            .returning(counted_shipments.c.shipment_id)
        )
        if counted.first() is None:
            return
        shipped = {r.line_id: r.shipped for r in rows}
        try:
            complete = record_shipment(
                {r.line_id: r.quantity for r in rows},
                shipped,
                [(x.line_id, x.quantity) for x in shipment.lines],
            )
        except CannotInvoice as error:
            raise PoisonEvent(str(error)) from error
        for line_id, quantity in shipped.items():
            await session.execute(
                order_copy_lines.update()
                .where(order_copy_lines.c.line_id == line_id)
                .values(shipped=quantity)
            )
        if complete:
            document = ParseDict(copy.document, PricedDocument())
            await self._issue(
                session,
                document_lines(document),
                Money(parse_amount(document.breakdown.total), document.currency),
                order_id=shipment.order_id,
                shipment_id=shipment.shipment_id,
                customer_id=copy.customer_id,
                document=document,
            )

    async def on_quote_accepted(
        self, session: AsyncSession, event: quoting_pb2.QuoteAccepted, envelope: Envelope
    ) -> None:
        """A quote accepted for invoicing straight away: an invoice with the quote's figures."""
        if event.convert_to != "invoice":
            return
        document = verified(event.document, f"quote {event.quote_id}")
        done = await session.execute(select(invoices.c.id).where(invoices.c.id == event.target_id))
        if done.first() is not None:
            return
        await self._issue(
            session,
            document_lines(document),
            Money(parse_amount(document.breakdown.total), document.currency),
            customer_id=event.customer_id,
            document=document,
            quote_id=event.quote_id,
            invoice_id=event.target_id,
        )

    async def _issue(
        self,
        session: AsyncSession,
        lines: Sequence[InvoiceLine],
        total: Money,
        *,
        customer_id: str,
        order_id: str | None = None,
        shipment_id: str | None = None,
        document: PricedDocument | None = None,
        quote_id: str | None = None,
        invoice_id: str | None = None,
    ) -> None:
        issued_at = datetime.now(UTC)
        invoice_id = invoice_id or str(uuid.uuid4())
        number = invoice_number(issued_at.year, await next_number(session, issued_at.year))
        # A concurrent duplicate of this shipment fails on the unique shipment_id and rolls back,
        # taking its number with it.
        await session.execute(
            invoices.insert().values(
                id=invoice_id,
                number=number,
                order_id=order_id,
                shipment_id=shipment_id,
                quote_id=quote_id,
                customer_id=customer_id,
                currency=total.currency,
                total=total.amount,
                document=None if document is None else MessageToDict(document),
                covers_order=document is not None,
                status="open",
                issued_at=issued_at,
                created_by=current_principal().subject,
                due_date=await due_on(session, customer_id, issued_at.date()),
            )
        )
        await session.execute(
            invoice_lines.insert(),
            [
                {
                    "invoice_id": invoice_id,
                    "position": position,
                    "order_line_id": x.order_line_id,
                    "product_id": x.product_id,
                    "sku": x.sku,
                    "quantity": x.quantity,
                    "unit_price": x.unit_price.amount,
                    "line_total": x.total.amount,
                }
                for position, x in enumerate(lines)
            ],
        )
        issued = events.InvoiceIssued(
            invoice_id=invoice_id,
            number=number,
            order_id=order_id or "",
            shipment_id=shipment_id or "",
            customer_id=customer_id,
            total=money_to_proto(total),
            covers_order=document is not None and order_id is not None,
            quote_id=quote_id or "",
        )
        await self.outbox.add(session, issued, key=order_id or quote_id or invoice_id)
        await _audit_issued(session, issued)
        if order_id is not None:
            # Invoices before the customer's balance, as payments and credit notes lock them:
            # never one waiting for the other's lock while holding the one it needs.
            await session.execute(
                select(invoices.c.id)
                .where(invoices.c.order_id == order_id)
                .order_by(invoices.c.number)
                .with_for_update()
            )
        await move_balance(session, self.outbox, customer_id, total)
        if order_id is not None:
            await self.credits.after_invoice(session, invoice_id, order_id)

    # Queries ------------------------------------------------------------------------------

    async def find(self, order_id: str = "") -> list[Invoice]:
        """Every invoice (of the order), newest first."""
        async with self.database.transaction() as session:
            return await find_invoices(session, order_id)

    async def page(self, order_id: str, page_size: int, token: str) -> tuple[list[Invoice], str]:
        """Newest (highest number) first."""
        limit = page_limit(page_size)
        after = page_after(token, 1)
        async with self.database.transaction() as session:
            found = await find_invoices(
                session, order_id, before=after[0] if after else "", limit=limit + 1
            )
        if len(found) > limit:
            return found[:limit], page_token(found[limit - 1].number)
        return found, ""

    async def get(self, invoice_id: str) -> Invoice:
        async with self.database.transaction() as session:
            found = await find_invoices(session, invoice_id=invoice_id)
        if not found:
            raise NotFound(f"invoice {invoice_id} not found")
        return found[0]


async def _audit_issued(session: AsyncSession, issued: events.InvoiceIssued) -> None:
    """The invoice in the change log, under the actor of the event that caused it."""
    await audit.record(
        session,
        "invoice",
        issued.invoice_id,
        "issued",
        after={
            "number": issued.number,
            "customer_id": issued.customer_id,
            "order_id": issued.order_id,
            "shipment_id": issued.shipment_id,
            "quote_id": issued.quote_id,
            "total": f"{issued.total.amount} {issued.total.currency}",
        },
    )
