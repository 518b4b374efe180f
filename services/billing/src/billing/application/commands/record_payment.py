"""RecordPayment: money received against one invoice, whose customer is the payer -- a payment
with one allocation, in the invoice's currency and at most its balance."""

from __future__ import annotations

from dataclasses import dataclass, field

from billing.application.accounts import move_balance
from billing.application.channels import check_channel_invoice
from billing.application.fields import Amount, day_in, money_in, reference_in
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.application.receiving import (
    allocate,
    audit_payment,
    locked_invoice,
    receive,
)
from billing.application.retries import RECORD_PAYMENT, Retry
from billing.domain.payments import RECEIVED, Payment
from servicekit.errors import InvalidArgument, Violations


@dataclass(frozen=True)
class RecordPayment:
    invoice_id: str
    amount: Amount
    reference: str = ""
    received_on: str = ""
    retry: Retry = field(default_factory=Retry)


async def record_payment(uow: UnitOfWork, command: RecordPayment) -> Payment:
    """Money received against one invoice: refused by field for another currency than the
    invoice's, more than its balance, an amount finer than the currency's minor unit."""
    problems = Violations()
    money = money_in(problems, "amount", command.amount)
    reference_in(problems, command.reference)
    day = day_in(problems, "received_on", command.received_on)
    problems.raise_if_any()
    assert money is not None
    async with uow:
        done = await uow.requests.claim(RECORD_PAYMENT, command.retry)
        if done is not None:
            return await payment_of(uow, done)
        # Whose invoice it is never changes: no lock needed to name the payment's customer.
        found = await uow.invoices.get(command.invoice_id)
        if found is None:
            raise InvalidArgument.of("invoice_id", f"no invoice {command.invoice_id}")
        await check_channel_invoice(uow, found.id)
        customer_id = found.customer_id
        payment, new = await receive(
            uow, customer_id, money.rounded(), command.reference, day, RECEIVED, command.retry
        )
        if new:
            invoice = await locked_invoice(uow, command.invoice_id)
            invoice.account.pay(money)  # refuses another currency, overpaying, odd amounts
            # Named only now: a payment naming the invoice takes a share lock on it, and two of
            # those held at once would deadlock on the invoice's update lock.
            payment.invoice_id = invoice.id
            await allocate(uow, payment, invoice, money.rounded())
            await move_balance(uow, customer_id, money.rounded().times(-1))
            await audit_payment(uow, payment.id, "recorded")
        await uow.requests.complete(RECORD_PAYMENT, command.retry, payment.id)
        return await payment_of(uow, payment.id)
