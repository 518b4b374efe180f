"""Money received from customers: against one invoice, or spread over a customer's invoices as
asked (else oldest due first) with the rest its credit; and payments read back in pages. Each use
case is one transaction with its events (outbox) and its entry in the change log, and may be
retried under its request id (billing.application.records).

A customer's payment reference is its natural key (billing.application.allocation).

Locks are always taken in one order -- the request id, the payment's natural key, the invoices
(by number), then the customer's credit, then the customer's balance -- as invoicing and credit
notes take them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, payments
from billing.application.accounts import move_balance, move_credit
from billing.application.allocation import (
    account_of,
    allocate,
    audit_payment,
    insert_payment,
    locked_invoice,
    open_item,
)
from billing.application.fields import day_in, money_in
from billing.application.payment_views import (
    RECEIVED,
    Payment,
    find_payments,
    payment_in,
)
from billing.application.records import (
    RECORD_CUSTOMER_PAYMENT,
    RECORD_PAYMENT,
    Retry,
    claim,
    complete,
)
from billing.domain.receivables import Requested, check_amount, plan
from billing.domain.settlement import OPEN, PARTIALLY_PAID
from messaging.outbox import Outbox
from oms.types.v1 import types_pb2
from pricing.money import Money
from servicekit.db import Database
from servicekit.errors import (
    InvalidArgument,
    Violations,
)
from servicekit.paging import newest_after, newest_page, page_limit

MAX_REFERENCE = 200
MAX_ID = 100
# Where a customer's credit came from, in its history.
FROM_PAYMENT = "payment"


def _payment_in(
    amount: types_pb2.Money, reference: str, received_on: str
) -> tuple[Money, str, date]:
    """The request's fields as values, or every field at fault at once."""
    problems = Violations()
    money = money_in(problems, "amount", amount)
    if len(reference) > MAX_REFERENCE:
        problems.add("reference", f"at most {MAX_REFERENCE} characters")
    day = day_in(problems, "received_on", received_on)
    problems.raise_if_any()
    assert money is not None
    return money, reference, day


class Payments:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def record(
        self,
        invoice_id: str,
        amount: types_pb2.Money,
        reference: str,
        received_on: str,
        retry: Retry,
    ) -> Payment:
        """Money received against one invoice: a payment with one allocation."""
        money, reference, day = _payment_in(amount, reference, received_on)
        async with self.database.transaction() as session:
            done = await claim(session, RECORD_PAYMENT, retry)
            if done is not None:
                return await payment_in(session, done)
            # whose invoice it is never changes: no lock needed to name the payment's customer
            customer_id = (
                await session.execute(
                    select(invoices.c.customer_id).where(invoices.c.id == invoice_id)
                )
            ).scalar_one_or_none()
            if customer_id is None:
                raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
            payment_id, new = await insert_payment(
                session, customer_id, money.rounded(), reference, day, RECEIVED, retry
            )
            if new:
                head = await locked_invoice(session, invoice_id)
                account_of(head).pay(money)  # refuses another currency, overpaying, odd amounts
                # Named only now: a payment row naming the invoice takes a share lock on it, and
                # two of those held at once would deadlock on the invoice's update lock.
                await session.execute(
                    payments.update()
                    .where(payments.c.id == payment_id)
                    .values(invoice_id=invoice_id)
                )
                await allocate(session, self.outbox, payment_id, head, money.rounded(), 0)
                await move_balance(session, self.outbox, customer_id, money.rounded().times(-1))
                await audit_payment(session, payment_id, "recorded")
            await complete(session, RECORD_PAYMENT, retry, payment_id)
            return await payment_in(session, payment_id)

    async def record_for_customer(
        self,
        customer_id: str,
        amount: types_pb2.Money,
        reference: str,
        received_on: str,
        allocations: Sequence[Any],
        retry: Retry,
    ) -> Payment:
        """Money received from a customer: allocated as asked (or oldest due first), the rest
        the customer's credit. Every bad field refused at once; nothing changes then."""
        problems = Violations()
        if not customer_id.strip() or len(customer_id) > MAX_ID:
            problems.add("customer_id", f"required, at most {MAX_ID} characters")
        money = money_in(problems, "amount", amount)
        if money is not None:
            check_amount(problems, "amount", money)
        if len(reference) > MAX_REFERENCE:
            problems.add("reference", f"at most {MAX_REFERENCE} characters")
        day = day_in(problems, "received_on", received_on)
        requested = []
        for i, ask in enumerate(allocations):
            share = money_in(problems, f"allocations[{i}].amount", ask.amount)
            if share is not None:
                requested.append(Requested(ask.invoice_id, share))
        problems.raise_if_any()
        assert money is not None
        async with self.database.transaction() as session:
            done = await claim(session, RECORD_CUSTOMER_PAYMENT, retry)
            if done is not None:
                return await payment_in(session, done)
            payment_id, new = await insert_payment(
                session, customer_id, money, reference, day, RECEIVED, retry
            )
            if new:
                await self._spread(session, payment_id, customer_id, money, requested)
                await audit_payment(session, payment_id, "recorded")
            await complete(session, RECORD_CUSTOMER_PAYMENT, retry, payment_id)
            return await payment_in(session, payment_id)

    async def _spread(
        self,
        session: AsyncSession,
        payment_id: str,
        customer_id: str,
        money: Money,
        requested: list[Requested],
    ) -> None:
        """The payment over the customer's invoices as `requested` (else oldest due first); what
        none takes is the payment's unapplied part and the customer's credit."""
        query = select(invoices).order_by(invoices.c.number).with_for_update()
        if requested:
            query = query.where(invoices.c.id.in_([r.item_id for r in requested]))
        else:
            query = query.where(
                invoices.c.customer_id == customer_id,
                invoices.c.currency == money.currency,
                invoices.c.status.in_([OPEN, PARTIALLY_PAID]),
            )
        heads = {h.id: h for h in (await session.execute(query)).all()}
        where = plan(
            money, customer_id, {i: open_item(h) for i, h in heads.items()}, requested or None
        )
        for position, allocation in enumerate(where.allocations):
            await allocate(
                session,
                self.outbox,
                payment_id,
                heads[allocation.item_id],
                allocation.amount,
                position,
            )
        if where.unapplied.amount > 0:
            await session.execute(
                payments.update()
                .where(payments.c.id == payment_id)
                .values(unapplied=where.unapplied.amount)
            )
            await move_credit(session, customer_id, where.unapplied, FROM_PAYMENT, payment_id)
        if where.allocations:
            await move_balance(session, self.outbox, customer_id, where.allocated.times(-1))

    # Queries ------------------------------------------------------------------------------

    async def page(
        self, invoice_id: str, customer_id: str, page_size: int, token: str
    ) -> tuple[list[Payment], str]:
        limit = page_limit(page_size)
        after = newest_after(token)
        async with self.database.transaction() as session:
            found = await find_payments(
                session,
                invoice_id=invoice_id,
                customer_id=customer_id,
                after=after,
                limit=limit + 1,
            )
        return newest_page(found, limit)

    async def get(self, payment_id: str) -> Payment:
        async with self.database.transaction() as session:
            return await payment_in(session, payment_id)
