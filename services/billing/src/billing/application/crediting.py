"""Credit notes at work, the steps the use cases share: issuing one (a gap-free number, the note,
CreditNoteIssued, its entry in the change log), crediting an invoice (what its balance takes
comes off it, the rest is the customer's credit), an invoice of a cancelled order credited in
full, and returned units credited.

The actor is whoever issued the credit note, or the event's actor for a cancellation or return.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from billing.application.accounts import move_balance, move_credit
from billing.application.ports import CREDIT_NOTES, UnitOfWork
from billing.domain.credit_notes import (
    CANCELLED,
    RETURNED,
    CreditLine,
    CreditNote,
    credit_note_number,
)
from billing.domain.invoices import CREDITED, Invoice
from billing.domain.payments import FROM_CREDIT_NOTE
from billing.domain.returns import (
    DONE,
    MAX_DETAIL,
    NOTHING,
    ORDER_CANCELLED,
    REFUSED,
    CannotCredit,
    NotInvoicedYet,
    Return,
    billed_line,
    plan_return,
)
from billing.domain.taxes import Buyer, address_lines
from pricing.money import Money
from servicekit.context import current_principal

log = logging.getLogger(__name__)


async def buyer_of(uow: UnitOfWork, customer_id: str, exemption: str = "") -> Buyer:
    """The customer as a document issued now names them (empty when billing does not know them
    yet)."""
    customer = await uow.customers.get(customer_id)
    if customer is None:
        return Buyer(tax_exemption=exemption)
    return Buyer(
        customer.name,
        customer.tax_id,
        address_lines(customer.billing_address),
        customer.payment_terms,
        exemption,
    )


async def issue_credit_note(
    uow: UnitOfWork,
    customer_id: str,
    total: Money,
    unapplied: Money,
    reason: str,
    *,
    invoice: Invoice | None = None,
    return_id: str = "",
    memo: str = "",
    lines: Sequence[CreditLine] = (),
    order_id: str = "",
) -> CreditNote:
    """The credit note with the year's next gap-free number, CreditNoteIssued and its change
    log entry; `order_id` names the sales order of a credit note without an invoice."""
    issued_at = datetime.now(UTC)
    number = await uow.numbers.next(CREDIT_NOTES, issued_at.year)
    buyer = await buyer_of(
        uow, customer_id, invoice.buyer.tax_exemption if invoice and invoice.buyer else ""
    )
    note, events = CreditNote.issue(
        str(uuid.uuid4()),
        credit_note_number(issued_at.year, number),
        customer_id,
        total,
        unapplied,
        reason,
        issued_at=issued_at,
        created_by=current_principal().subject,
        invoice_id=invoice.id if invoice else "",
        order_id=invoice.order_id if invoice else order_id,
        return_id=return_id,
        memo=memo,
        lines=list(lines),
        buyer=buyer,
    )
    await uow.credit_notes.add(note)
    await uow.publish(events)
    await uow.audit.record("credit_note", note.id, "issued", after=note.facts())
    return note


async def credit_invoice(
    uow: UnitOfWork,
    invoice: Invoice,
    lines: Sequence[CreditLine],
    total: Money,
    reason: str,
    return_id: str = "",
    memo: str = "",
) -> CreditNote:
    """A credit note against the (locked) invoice: the part its balance can take is applied to
    it, the rest becomes the customer's credit."""
    unapplied, events = invoice.credit(total, cancelled=reason == CANCELLED)
    note = await issue_credit_note(
        uow,
        invoice.customer_id,
        total,
        unapplied,
        reason,
        invoice=invoice,
        return_id=return_id,
        memo=memo,
        lines=lines,
    )
    await uow.invoices.save(invoice)
    await uow.publish(events)
    if unapplied.amount > 0:
        await move_credit(uow, invoice.customer_id, unapplied.rounded(), FROM_CREDIT_NOTE, note.id)
    await move_balance(uow, invoice.customer_id, unapplied - total)
    return note


async def left_to_credit(uow: UnitOfWork, invoice: Invoice) -> Money:
    """What no credit note credited yet of the invoice's total."""
    credited = await uow.credit_notes.credited_against(invoice.id)
    return Money(invoice.total.amount - credited, invoice.currency)


async def cancel_invoice(uow: UnitOfWork, invoice: Invoice) -> None:
    """An invoice of a cancelled order credited for what no credit note credited yet (its whole
    total unless goods came back first), and marked credited."""
    rest = await left_to_credit(uow, invoice)
    if rest.amount <= 0:
        if invoice.status != CREDITED:
            invoice.mark_credited()
            await uow.invoices.save(invoice)
        return
    lines = [
        billed_line(invoice.id, line).credit_line(line.quantity - line.returned)
        for line in invoice.lines
        if line.quantity > line.returned
    ]
    await credit_invoice(uow, invoice, lines, rest.rounded(), CANCELLED)


async def credit_return(uow: UnitOfWork, back: Return, *, retrying: bool) -> None:
    """Credits the units returned against the order's invoices. A return whose invoice is not
    issued yet waits for it; one that can never match its order raises CannotCredit -- unless
    it is retried once an invoice is issued, when it is set aside as refused."""
    copy = await uow.orders.get(back.order_id)
    if copy is None:
        return  # its shipments wait for the order too; their invoices will retry it
    if copy.cancelled:
        await uow.returns.settle(back.return_id, NOTHING, ORDER_CANCELLED)
        return
    invoices = await uow.invoices.of_order(back.order_id)
    try:
        plan = plan_return(copy, invoices, back)
    except NotInvoicedYet:
        return
    except CannotCredit as error:
        if not retrying:
            raise
        log.warning("return %s cannot be credited: %s", back.return_id, error)
        await uow.returns.settle(back.return_id, REFUSED, str(error)[:MAX_DETAIL])
        return
    copy.parts_returned(plan.parts)
    await uow.orders.save(copy)
    issued = 0
    for invoice in invoices:
        mine = plan.of(invoice.id)
        invoice.take_return(mine)
        await uow.invoices.save(invoice)
        rest = (await left_to_credit(uow, invoice)).amount
        worth = min(sum((c.amount.amount for c in mine), Decimal(0)), rest)
        total = Money(worth, invoice.currency).rounded()
        if total.amount > 0:
            await credit_invoice(uow, invoice, mine, total, RETURNED, back.return_id)
            issued += 1
    if issued:
        await uow.returns.settle(back.return_id, DONE, "")
    else:
        why = "no whole kit is back yet" if plan.parts else "nothing is left to credit"
        await uow.returns.settle(back.return_id, NOTHING, why)
