"""Payments: money received against an invoice, each with its events in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, payments
from billing.application.accounts import move_balance
from billing.domain.settlement import PAID, Account
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.types.v1 import types_pb2
from pricing.money import InvalidMoney, Money, check_currency, parse_amount
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound, Violations

MAX_REFERENCE = 200


@dataclass(frozen=True)
class Payment:
    id: str
    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    amount: Money
    reference: str
    received_on: date
    recorded_at: datetime
    recorded_by: str


def _payment_in(
    amount: types_pb2.Money, reference: str, received_on: str
) -> tuple[Money, str, date]:
    """The request's fields as values, or every field at fault at once."""
    problems = Violations()
    money = None
    try:
        check_currency(amount.currency)
    except InvalidMoney as error:
        problems.add("amount.currency", str(error))
    try:
        money = Money(parse_amount(amount.amount), amount.currency)
    except InvalidMoney as error:
        problems.add("amount", str(error))
    if len(reference) > MAX_REFERENCE:
        problems.add("reference", f"at most {MAX_REFERENCE} characters")
    today = datetime.now(UTC).date()
    day = today
    if received_on:
        try:
            day = date.fromisoformat(received_on)
        except ValueError:
            problems.add("received_on", "a date as YYYY-MM-DD")
        else:
            # Tomorrow is still today somewhere: a payment is never received any later.
            if day > today + timedelta(days=1):
                problems.add("received_on", "cannot be in the future")
    problems.raise_if_any()
    assert money is not None
    return money, reference, day


class Payments:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def record(
        self, invoice_id: str, amount: types_pb2.Money, reference: str, received_on: str
    ) -> Payment:
        money, reference, day = _payment_in(amount, reference, received_on)
        async with self.database.transaction() as session:
            head = (
                await session.execute(
                    select(invoices).where(invoices.c.id == invoice_id).with_for_update()
                )
            ).first()
            if head is None:
                raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
            account = Account(
                Money(head.total, head.currency),
                Money(head.amount_paid, head.currency),
                Money(head.amount_credited, head.currency),
                head.status,
            )
            after = account.pay(money)  # refuses another currency, overpaying, odd amounts
            money = money.rounded()  # "50" EUR is recorded as 50.00
            payment = Payment(
                str(uuid.uuid4()),
                head.id,
                head.number,
                head.order_id or "",
                head.customer_id,
                money,
                reference,
                day,
                datetime.now(UTC),
                current_principal().subject,
            )
            await self._record(session, payment, after, head.status)
        return payment

    async def _record(
        self, session: AsyncSession, payment: Payment, after: Account, before: str
    ) -> None:
        await session.execute(
            payments.insert().values(
                id=payment.id,
                invoice_id=payment.invoice_id,
                customer_id=payment.customer_id,
                currency=payment.amount.currency,
                amount=payment.amount.amount,
                reference=payment.reference,
                received_on=payment.received_on,
                recorded_at=payment.recorded_at,
                recorded_by=payment.recorded_by,
            )
        )
        await session.execute(
            invoices.update()
            .where(invoices.c.id == payment.invoice_id)
            .values(amount_paid=after.paid.amount, status=after.status)
        )
        key = payment.order_id or payment.invoice_id
        await self.outbox.add(
            session,
            events.PaymentReceived(
                payment_id=payment.id,
                invoice_id=payment.invoice_id,
                order_id=payment.order_id,
                customer_id=payment.customer_id,
                amount=money_to_proto(payment.amount),
                invoice_balance=money_to_proto(after.balance.rounded()),
            ),
            key=key,
        )
        if after.status == PAID and before != PAID:
            await self.outbox.add(
                session,
                events.InvoicePaid(
                    invoice_id=payment.invoice_id,
                    order_id=payment.order_id,
                    customer_id=payment.customer_id,
                ),
                key=key,
            )
        await move_balance(session, self.outbox, payment.customer_id, payment.amount.times(-1))

    async def find(
        self, invoice_id: str = "", customer_id: str = "", payment_id: str = ""
    ) -> list[Payment]:
        query = (
            select(payments, invoices.c.number, invoices.c.order_id)
            .join(invoices, invoices.c.id == payments.c.invoice_id)
            .order_by(payments.c.recorded_at, payments.c.id)
        )
        if invoice_id:
            query = query.where(payments.c.invoice_id == invoice_id)
        if customer_id:
            query = query.where(payments.c.customer_id == customer_id)
        if payment_id:
            query = query.where(payments.c.id == payment_id)
        async with self.database.transaction() as session:
            rows = (await session.execute(query)).all()
        return [
            Payment(
                r.id,
                r.invoice_id,
                r.number,
                r.order_id or "",
                r.customer_id,
                Money(r.amount, r.currency).trimmed(),
                r.reference,
                r.received_on,
                r.recorded_at,
                r.recorded_by,
            )
            for r in rows
        ]

    async def get(self, payment_id: str) -> Payment:
        found = await self.find(payment_id=payment_id)
        if not found:
            raise NotFound(f"payment {payment_id} not found")
        return found[0]
