"""UnallocatePayment: a payment's allocations taken back off their invoices -- they reopen, and
the amounts become the customer's credit; a paid invoice reopened is announced (InvoiceReopened)
so its order is no longer paid. Refused on an invoice credited since: what was paid on a
credited invoice is the customer's credit already, via its credit note."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NoReturn

from billing.application.accounts import move_balance, move_credit
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.application.retries import UNALLOCATE_PAYMENT, Retry
from billing.domain.events import DomainEvent
from billing.domain.invoices import CREDITED
from billing.domain.payments import FROM_UNALLOCATED, Payment
from pricing.money import Money
from servicekit.changes import changed
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition, InvalidArgument


@dataclass(frozen=True)
class UnallocatePayment:
    payment_id: str
    # One allocation only (else every active allocation of the payment).
    allocation_id: str = ""
    # Or the payment's allocation to this invoice.
    invoice_id: str = ""
    retry: Retry = field(default_factory=Retry)


async def unallocate_payment(uow: UnitOfWork, command: UnallocatePayment) -> Payment:
    async with uow:
        done = await uow.requests.claim(UNALLOCATE_PAYMENT, command.retry)
        if done is not None:
            return await payment_of(uow, done)
        payment = await payment_of(uow, command.payment_id)
        before = payment.facts()
        chosen = payment.active_allocations(command.allocation_id, command.invoice_id)
        if not chosen:
            _nothing_to_unallocate(command)
        total = await _take_back(uow, payment, chosen)
        await move_credit(uow, payment.customer_id, total, FROM_UNALLOCATED, payment.id)
        await move_balance(uow, payment.customer_id, total)
        after = await payment_of(uow, payment.id)
        was, now = changed(before, after.facts())
        await uow.audit.record("payment", payment.id, "unallocated", before=was, after=now)
        await uow.requests.complete(UNALLOCATE_PAYMENT, command.retry, payment.id)
        return after


async def _take_back(uow: UnitOfWork, payment: Payment, chosen: list[str]) -> Money:
    """Reopens the invoices of the (still active) allocations and stamps them unallocated;
    gives their total. Refused for an invoice credited since."""
    allocations = [a for a in payment.allocations if a.id in chosen]
    invoices = await uow.invoices.locked({a.invoice_id for a in allocations})
    if await uow.payments.lock_active(chosen) != len(chosen):
        raise FailedPrecondition("the allocation was just taken back by someone else")
    for allocation in allocations:
        invoice = invoices[allocation.invoice_id]
        if invoice.status == CREDITED:
            raise FailedPrecondition(
                f"invoice {invoice.number} was credited: what was paid on it stays on it (its "
                "credit note's unapplied part is the customer's credit already)"
            )
    total = Money.zero(allocations[0].amount.currency)
    events: list[DomainEvent] = []
    for allocation in allocations:
        events += invoices[allocation.invoice_id].take_back(allocation.amount, payment.id)
        total = total + allocation.amount
    payment.take_back(chosen, datetime.now(UTC), current_principal().subject)
    for invoice_id in dict.fromkeys(a.invoice_id for a in allocations):
        await uow.invoices.save(invoices[invoice_id])
    await uow.payments.save(payment)
    await uow.publish(events)
    return total.rounded()


def _nothing_to_unallocate(command: UnallocatePayment) -> NoReturn:
    if command.allocation_id:
        raise InvalidArgument.of(
            "allocation_id", f"no active allocation {command.allocation_id} of this payment"
        )
    if command.invoice_id:
        raise InvalidArgument.of(
            "invoice_id", f"this payment has nothing allocated to invoice {command.invoice_id}"
        )
    raise FailedPrecondition(f"payment {command.payment_id} has nothing allocated")
