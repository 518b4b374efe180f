"""RecordCustomerPayment, the one RPC for every payment received: money from a customer,
allocated to its invoices as asked (else oldest due first), the rest its credit; or -- with
`invoice_id` -- all of it for that one invoice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from billing.application.accounts import move_balance, move_credit
from billing.application.channels import calling_channel, check_channel_invoice
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.fields import Amount, day_in, money_in, party_in, reference_in
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.application.receiving import allocate, audit_payment, receive
from billing.application.retries import RECORD_CUSTOMER_PAYMENT, Retry
from billing.domain.payments import FROM_PAYMENT, RECEIVED, Payment
from billing.domain.receivables import Requested, check_amount, plan
from pricing.money import Money
from servicekit.errors import InvalidArgument, PermissionDenied, Violations


@dataclass(frozen=True)
class AllocationAsked:
    invoice_id: str
    amount: Amount


@dataclass(frozen=True)
class RecordCustomerPayment:
    customer_id: str
    amount: Amount
    reference: str = ""
    received_on: str = ""
    allocations: tuple[AllocationAsked, ...] = ()
    # All of the payment for this one invoice (no allocations then).
    invoice_id: str = ""
    retry: Retry = field(default_factory=Retry)


async def record_customer_payment(uow: UnitOfWork, command: RecordCustomerPayment) -> Payment:
    """With `invoice_id` alone, the invoice's customer pays it (RecordPayment); with the customer
    too, all of the payment is allocated to that invoice of theirs. Else allocated as asked, or
    oldest due first; what no invoice takes becomes the customer's credit. Every bad field is
    refused at once, and nothing changes then. A channel's service pays invoices of its own
    orders only, one at a time."""
    if calling_channel() and (not command.invoice_id or command.allocations):
        raise PermissionDenied("invoice_id: a channel pays one invoice of its own orders")
    if command.invoice_id:
        if command.allocations:
            raise InvalidArgument.of(
                "invoice_id", "name the invoices in allocations, or one invoice_id without them"
            )
        if not command.customer_id:
            return await record_payment(
                uow,
                RecordPayment(
                    command.invoice_id,
                    command.amount,
                    command.reference,
                    command.received_on,
                    command.retry,
                ),
            )
        only = AllocationAsked(command.invoice_id, command.amount)
        command = replace(command, invoice_id="", allocations=(only,))
    money, day, requested = _checked(command)
    async with uow:
        done = await uow.requests.claim(RECORD_CUSTOMER_PAYMENT, command.retry)
        if done is not None:
            return await payment_of(uow, done)
        for asked in requested:
            await check_channel_invoice(uow, asked.item_id)
        payment, new = await receive(
            uow,
            command.customer_id,
            money,
            command.reference,
            day,
            RECEIVED,
            command.retry,
        )
        if new:
            await _spread(uow, payment, money, requested)
            await audit_payment(uow, payment.id, "recorded")
        await uow.requests.complete(RECORD_CUSTOMER_PAYMENT, command.retry, payment.id)
        return await payment_of(uow, payment.id)


def _checked(command: RecordCustomerPayment) -> tuple[Money, date, list[Requested]]:
    """The payment and the allocations asked for, or every field at fault at once."""
    problems = Violations()
    party_in(problems, "customer_id", command.customer_id)
    money = money_in(problems, "amount", command.amount)
    if money is not None:
        check_amount(problems, "amount", money)
    reference_in(problems, command.reference)
    day = day_in(problems, "received_on", command.received_on)
    requested = []
    for i, ask in enumerate(command.allocations):
        share = money_in(problems, f"allocations[{i}].amount", ask.amount)
        if share is not None:
            requested.append(Requested(ask.invoice_id, share))
    problems.raise_if_any()
    assert money is not None
    return money, day, requested


async def _spread(
    uow: UnitOfWork, payment: Payment, money: Money, requested: list[Requested]
) -> None:
    """The payment over the customer's invoices as `requested` (else oldest due first); what
    none takes is the payment's unapplied part and the customer's credit."""
    customer_id = payment.customer_id
    if requested:
        invoices = await uow.invoices.locked([r.item_id for r in requested])
    else:
        invoices = await uow.invoices.open_of(customer_id, money.currency)
    items = {invoice_id: invoice.open_item() for invoice_id, invoice in invoices.items()}
    where = plan(money, customer_id, items, requested or None)
    for allocation in where.allocations:
        await allocate(uow, payment, invoices[allocation.item_id], allocation.amount)
    if where.unapplied.amount > 0:
        payment.leave_unapplied(where.unapplied)
        await uow.payments.save(payment)
        await move_credit(uow, customer_id, where.unapplied, FROM_PAYMENT, payment.id)
    if where.allocations:
        await move_balance(uow, customer_id, where.allocated.times(-1))
