"""Money received, the steps every payment use case shares: the payment under its natural key (a
customer's reference), an allocation onto a locked invoice with its events, and the payment's
entry in the change log.

A customer's payment reference is its natural key: the payment is added first, so a second
payment under the same customer and reference waits for the first and then returns it (the same
request) or is refused on `reference` -- before any invoice is touched.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.application.retries import Retry
from billing.domain.invoices import Invoice
from billing.domain.payments import RECEIVED, Payment
from pricing.money import Money
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument


async def receive(
    uow: UnitOfWork,
    customer_id: str,
    amount: Money,
    reference: str,
    day: date,
    kind: str,
    retry: Retry,
    invoice_id: str = "",
) -> tuple[Payment, bool]:
    """The payment, and whether it is new: money received under a reference the customer used
    already is that payment when the request is the same (False), else refused on `reference`.
    Name `invoice_id` only once that invoice is locked (see record_payment)."""
    payment = Payment(
        str(uuid.uuid4()),
        customer_id,
        amount,
        reference,
        day,
        datetime.now(UTC),
        current_principal().subject,
        kind,
        invoice_id,
        Money.zero(amount.currency),
        retry.fingerprint if kind == RECEIVED else None,
    )
    if await uow.payments.add(payment):
        return payment, True
    first = await uow.payments.of_reference(customer_id, reference)
    first.repeats(retry.fingerprint)
    return first, False


async def locked_invoice(uow: UnitOfWork, invoice_id: str) -> Invoice:
    invoice = await uow.invoices.get(invoice_id, lock=True)
    if invoice is None:
        raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
    return invoice


async def allocate(uow: UnitOfWork, payment: Payment, invoice: Invoice, amount: Money) -> None:
    """`amount` of the payment onto the (locked) invoice, with PaymentReceived and, when it is
    paid off, InvoicePaid. The caller moves the customer's balance once for all."""
    events = invoice.pay(amount, payment.id)
    payment.allocate(str(uuid.uuid4()), invoice.id, amount, datetime.now(UTC))
    await uow.payments.save(payment)
    await uow.invoices.save(invoice)
    await uow.publish(events)


async def audit_payment(uow: UnitOfWork, payment_id: str, action: str) -> None:
    payment = await payment_of(uow, payment_id)
    await uow.audit.record("payment", payment_id, action, after=payment.facts())
