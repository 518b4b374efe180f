"""ApplyCustomerCredit: an invoice paid out of the customer's credit -- a payment of kind
"credit" with one allocation (PaymentReceived, InvoicePaid as for money)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from billing.application.accounts import move_balance, move_credit
from billing.application.fields import Amount, money_in
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.application.receiving import (
    allocate,
    audit_payment,
    locked_invoice,
    receive,
)
from billing.application.retries import APPLY_CUSTOMER_CREDIT, Retry
from billing.domain.customers import credit_to_apply
from billing.domain.payments import APPLIED, CREDIT, Payment
from billing.domain.receivables import check_amount
from servicekit.errors import InvalidArgument, Violations


@dataclass(frozen=True)
class ApplyCustomerCredit:
    customer_id: str
    invoice_id: str
    # None given: as much as both the credit and the invoice's balance allow.
    amount: Amount = field(default_factory=Amount)
    retry: Retry = field(default_factory=Retry)


async def apply_customer_credit(uow: UnitOfWork, command: ApplyCustomerCredit) -> Payment:
    """More than the credit or the balance is refused on `amount`."""
    problems = Violations()
    if not command.customer_id:
        problems.add("customer_id", "required")
    if not command.invoice_id:
        problems.add("invoice_id", "required")
    asked = money_in(problems, "amount", command.amount, required=False)
    if asked is not None:
        check_amount(problems, "amount", asked)
    problems.raise_if_any()
    customer_id = command.customer_id
    async with uow:
        done = await uow.requests.claim(APPLY_CUSTOMER_CREDIT, command.retry)
        if done is not None:
            return await payment_of(uow, done)
        invoice = await locked_invoice(uow, command.invoice_id)
        if invoice.customer_id != customer_id:
            raise InvalidArgument.of(
                "invoice_id", f"invoice {invoice.number} is not customer {customer_id}'s"
            )
        balance = invoice.account.balance.rounded()
        credit = (await uow.accounts.credit(customer_id, invoice.currency)).trimmed()
        money = credit_to_apply(asked, balance, credit)
        today = datetime.now(UTC).date()
        payment, _ = await receive(
            uow, customer_id, money, "customer credit", today, CREDIT, command.retry, invoice.id
        )
        await allocate(uow, payment, invoice, money)
        await move_credit(uow, customer_id, money.times(-1), APPLIED, payment.id)
        await move_balance(uow, customer_id, money.times(-1))
        await audit_payment(uow, payment.id, "credit_applied")
        await uow.requests.complete(APPLY_CUSTOMER_CREDIT, command.retry, payment.id)
        return await payment_of(uow, payment.id)
