"""Invoices issued, the steps the reactions share: one invoice per shipment (an order placed
directly with a priced document: the shipment's share of it; an order billed whole, made from a
quote or holding a kit: one for the whole order once all that is left of it has shipped),
numbered without gaps, due on the customer's terms, naming the buyer as billing knows them then,
in the change log under the actor of the event that caused it; and then what the order's
cancellation or returns make of it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from billing.application.accounts import move_balance
from billing.application.crediting import buyer_of, cancel_invoice, credit_return
from billing.application.ports import INVOICES, UnitOfWork
from billing.domain.events import DomainEvent, InvoiceIssued
from billing.domain.invoices import Invoice, InvoiceLine, due_date, invoice_number
from billing.domain.orders import OrderCopy, Shipment, invoice_total
from billing.domain.taxes import TaxTotal
from pricing.money import Money
from servicekit.context import current_principal


async def invoice_shipment(uow: UnitOfWork, shipment: Shipment) -> None:
    """Invoices `shipment` once; a shipment already invoiced is left alone. Raises
    CannotInvoice for a shipment that does not match its order."""
    if await uow.invoices.of_shipment(shipment.shipment_id) is not None:
        return
    # Locked: a change of the order's lines (SalesOrderLinesChanged) takes its turn.
    copy = await uow.orders.get(shipment.order_id, lock=True)
    assert copy is not None, "shipments wait for their order"
    if copy.billed_whole:
        await _count_towards_whole(uow, copy, shipment)
        return
    if copy.document is not None:
        billed = copy.bill_share(shipment, await uow.invoices.of_order(shipment.order_id))
        await uow.orders.save(copy)
        await issue_invoice(
            uow,
            billed.lines,
            billed.total,
            customer_id=copy.customer_id,
            order_id=shipment.order_id,
            shipment_id=shipment.shipment_id,
            taxes=billed.taxes,
            exemption=copy.document.tax_exemption,
            channel=copy.channel,
        )
        return
    lines = copy.bill(shipment)
    await issue_invoice(
        uow,
        lines,
        invoice_total(lines, copy.currency),
        customer_id=copy.customer_id,
        order_id=shipment.order_id,
        shipment_id=shipment.shipment_id,
        channel=copy.channel,
    )


async def _count_towards_whole(uow: UnitOfWork, copy: OrderCopy, shipment: Shipment) -> None:
    """An order billed whole is invoiced, as priced, once its last shipment has left."""
    if not await uow.orders.count(shipment):
        return
    copy.count(shipment)
    await uow.orders.save(copy)
    await invoice_whole(uow, copy, shipment.shipment_id)


async def invoice_whole(uow: UnitOfWork, copy: OrderCopy, shipment_id: str = "") -> None:
    """The one invoice of an order billed whole (made from a quote, or holding a kit), with its
    document as it is now, once everything left on it has shipped: after its last shipment, or
    after the rest of it was cancelled (`shipment_id` empty), whichever comes last; never
    twice."""
    if copy.document is None or not copy.complete:
        return
    if await uow.invoices.of_order(copy.order_id):
        return
    whole = copy.document.whole()
    await issue_invoice(
        uow,
        whole.lines,
        whole.total,
        customer_id=copy.customer_id,
        order_id=copy.order_id,
        shipment_id=shipment_id,
        document=copy.document.content,
        taxes=whole.taxes,
        exemption=copy.document.tax_exemption,
        channel=copy.channel,
    )


async def issue_invoice(
    uow: UnitOfWork,
    lines: list[InvoiceLine],
    total: Money,
    *,
    customer_id: str,
    order_id: str = "",
    shipment_id: str = "",
    quote_id: str = "",
    document: Mapping[str, Any] | None = None,
    invoice_id: str = "",
    taxes: tuple[TaxTotal, ...] = (),
    exemption: str = "",
    channel: str = "",
) -> Invoice:
    """The invoice with the year's next gap-free number, InvoiceIssued, its change log entry and
    the customer's balance; credited at once for an order already cancelled."""
    issued_at = datetime.now(UTC)
    number = invoice_number(issued_at.year, await uow.numbers.next(INVOICES, issued_at.year))
    buyer = await buyer_of(uow, customer_id, exemption)
    invoice, events = Invoice.issue(
        invoice_id or str(uuid.uuid4()),
        number,
        customer_id,
        lines,
        total,
        issued_at=issued_at,
        due_on=due_date(issued_at.date(), buyer.payment_terms),
        created_by=current_principal().subject,
        order_id=order_id,
        shipment_id=shipment_id,
        quote_id=quote_id,
        document=document,
        taxes=taxes,
        buyer=buyer,
        channel=channel,
    )
    # A concurrent duplicate of this shipment fails on its shipment and rolls back, taking its
    # number with it.
    await uow.invoices.add(invoice)
    await uow.publish(events)
    await uow.audit.record("invoice", invoice.id, "issued", after=_issued_facts(events))
    if order_id:
        # Invoices before the customer's balance, as payments and credit notes lock them: never
        # one waiting for the other's lock while holding the one it needs.
        await uow.invoices.lock_of_order(order_id)
    await move_balance(uow, customer_id, total)
    if order_id:
        await _after_invoice(uow, invoice.id, order_id)
    return invoice


async def _after_invoice(uow: UnitOfWork, invoice_id: str, order_id: str) -> None:
    """An invoice was just issued for the order: credited at once if the order was cancelled,
    else the returns that waited for it are credited now."""
    copy = await uow.orders.get(order_id)
    if copy is None:
        return
    if copy.cancelled:
        invoice = await uow.invoices.get(invoice_id, lock=True)
        assert invoice is not None
        await cancel_invoice(uow, invoice)
        return
    for back in await uow.returns.waiting(order_id):
        await credit_return(uow, back, retrying=True)


def _issued_facts(events: list[DomainEvent]) -> dict[str, str]:
    """What the change log keeps of an invoice issued."""
    (issued,) = events
    assert isinstance(issued, InvoiceIssued)
    return {
        "number": issued.number,
        "customer_id": issued.customer_id,
        "order_id": issued.order_id,
        "shipment_id": issued.shipment_id,
        "quote_id": issued.quote_id,
        "total": str(issued.total),
    }
