"""Writing money received: the payment's row under its natural key (a customer's reference), an
allocation onto a locked invoice with its events, and a payment's entry in the change log; and
an invoice's account as its row holds it. Shared by payments and the customer's credit.

A customer's payment reference is its natural key: the payment row is written first, so a second
payment under the same customer and reference waits for the first and then returns it (the same
request) or is refused on `reference` -- before any invoice is touched.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import PAYMENT_NATURAL_KEY, invoices, payment_allocations, payments
from billing.application.payment_views import RECEIVED, facts, payment_in
from billing.application.records import Retry, audit
from billing.domain.receivables import OpenItem
from billing.domain.settlement import OPEN, PAID, PARTIALLY_PAID, Account
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.idempotency import fingerprint


def account_of(head: Row[Any]) -> Account:
    return Account(
        Money(head.total, head.currency),
        Money(head.amount_paid, head.currency),
        Money(head.amount_credited, head.currency),
        head.status,
    )


def open_item(head: Row[Any]) -> OpenItem:
    return OpenItem(
        head.id,
        head.customer_id,
        head.due_date,
        account_of(head).balance.rounded(),
        head.number,
        head.status in (OPEN, PARTIALLY_PAID),
    )


async def locked_invoice(session: AsyncSession, invoice_id: str) -> Row[Any]:
    head = (
        await session.execute(select(invoices).where(invoices.c.id == invoice_id).with_for_update())
    ).first()
    if head is None:
        raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
    return head


async def insert_payment(
    session: AsyncSession,
    customer_id: str,
    amount: Money,
    reference: str,
    day: date,
    kind: str,
    retry: Retry,
    invoice_id: str | None = None,
) -> tuple[str, bool]:
    """The payment's row, and whether it is new: money received under a reference the
    customer used already is that payment when the request is the same (False), else
    refused on `reference`. The row stays locked until the transaction ends, so a second
    payment under the same reference waits for this one. Name `invoice_id` only once that
    invoice is locked (see `record`)."""
    payment_id = str(uuid.uuid4())
    content = fingerprint(retry.request)
    inserted = await session.execute(
        insert(payments)
        .values(
            id=payment_id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            currency=amount.currency,
            amount=amount.amount,
            reference=reference,
            received_on=day,
            recorded_at=datetime.now(UTC),
            recorded_by=current_principal().subject,
            kind=kind,
            unapplied=0,
            fingerprint=content if kind == RECEIVED else None,
        )
        .on_conflict_do_nothing(
            index_elements=[payments.c.customer_id, payments.c.reference],
            index_where=PAYMENT_NATURAL_KEY,
        )
        .returning(payments.c.id)
    )
    if inserted.first() is not None:
        return payment_id, True
    return await _the_same_payment(session, customer_id, reference, content), False


async def _the_same_payment(
    session: AsyncSession, customer_id: str, reference: str, content: str
) -> str:
    """The payment recorded under the customer's reference, when it was the same request;
    ALREADY_EXISTS on `reference` otherwise."""
    first = (
        await session.execute(
            select(payments.c.id, payments.c.fingerprint).where(
                payments.c.customer_id == customer_id,
                payments.c.reference == reference,
                PAYMENT_NATURAL_KEY,
            )
        )
    ).one()
    if first.fingerprint != content:
        raise AlreadyExists(
            f"customer {customer_id}'s payment {reference!r} is recorded already",
            (FieldViolation("reference", f"already used by payment {first.id}"),),
        )
    return str(first.id)


async def allocate(
    session: AsyncSession,
    outbox: Outbox,
    payment_id: str,
    head: Row[Any],
    amount: Money,
    position: int,
) -> None:
    """`amount` of the payment onto the (locked) invoice, with PaymentReceived and, when it
    is paid off, InvoicePaid. The caller moves the customer's balance once for all."""
    before = account_of(head)
    after = before.pay(amount)
    await session.execute(
        payment_allocations.insert().values(
            id=str(uuid.uuid4()),
            payment_id=payment_id,
            invoice_id=head.id,
            customer_id=head.customer_id,
            currency=amount.currency,
            amount=amount.amount,
            position=position,
            allocated_at=datetime.now(UTC),
        )
    )
    await session.execute(
        invoices.update()
        .where(invoices.c.id == head.id)
        .values(amount_paid=after.paid.amount, status=after.status)
    )
    key = head.order_id or head.id
    await outbox.add(
        session,
        events.PaymentReceived(
            payment_id=payment_id,
            invoice_id=head.id,
            order_id=head.order_id or "",
            customer_id=head.customer_id,
            amount=money_to_proto(amount),
            invoice_balance=money_to_proto(after.balance.rounded()),
        ),
        key=key,
    )
    if after.status == PAID and before.status != PAID:
        await outbox.add(
            session,
            events.InvoicePaid(
                invoice_id=head.id, order_id=head.order_id or "", customer_id=head.customer_id
            ),
            key=key,
        )


async def audit_payment(session: AsyncSession, payment_id: str, action: str) -> None:
    payment = await payment_in(session, payment_id)
    await audit.record(session, "payment", payment_id, action, after=facts(payment))
