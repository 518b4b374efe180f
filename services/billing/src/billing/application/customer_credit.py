"""A customer's credit at work: paid out onto an invoice (a payment of kind "credit"), and made
from payments whose allocations are taken back. Each use case is one transaction with its events
and its entry in the change log, and may be retried under its request id; locks are taken in the
order billing.application.payments gives.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, payment_allocations
from billing.application.accounts import credit_of, move_balance, move_credit
from billing.application.allocation import (
    account_of,
    allocate,
    audit_payment,
    insert_payment,
    locked_invoice,
)
from billing.application.fields import money_in
from billing.application.payment_views import CREDIT, Payment, facts, payment_in
from billing.application.records import (
    APPLY_CUSTOMER_CREDIT,
    UNALLOCATE_PAYMENT,
    Retry,
    audit,
    claim,
    complete,
)
from billing.domain.receivables import check_amount
from billing.domain.settlement import CREDITED, Account, status_of
from messaging.outbox import Outbox
from oms.types.v1 import types_pb2
from pricing.money import Money
from servicekit.audit import changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, Violations

# Where a customer's credit came from or went, in its history.
FROM_UNALLOCATED, APPLIED = "unallocated", "applied"


class CustomerCredit:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def apply_credit(
        self, customer_id: str, invoice_id: str, amount: types_pb2.Money, retry: Retry
    ) -> Payment:
        """Pays an invoice out of the customer's credit: a payment of kind "credit". Without an
        amount, as much as both the credit and the invoice's balance allow."""
        problems = Violations()
        if not customer_id:
            problems.add("customer_id", "required")
        if not invoice_id:
            problems.add("invoice_id", "required")
        money = money_in(problems, "amount", amount, required=False)
        if money is not None:
            check_amount(problems, "amount", money)
        problems.raise_if_any()
        async with self.database.transaction() as session:
            done = await claim(session, APPLY_CUSTOMER_CREDIT, retry)
            if done is not None:
                return await payment_in(session, done)
            head = await locked_invoice(session, invoice_id)
            if head.customer_id != customer_id:
                raise InvalidArgument.of(
                    "invoice_id", f"invoice {head.number} is not customer {customer_id}'s"
                )
            balance = account_of(head).balance.rounded()
            credit = await credit_of(session, customer_id, head.currency)
            money = _credit_to_apply(money, balance, credit)
            today = datetime.now(UTC).date()
            payment_id, _ = await insert_payment(
                session, customer_id, money, "customer credit", today, CREDIT, retry, head.id
            )
            await allocate(session, self.outbox, payment_id, head, money, 0)
            await move_credit(session, customer_id, money.times(-1), APPLIED, payment_id)
            await move_balance(session, self.outbox, customer_id, money.times(-1))
            await audit_payment(session, payment_id, "credit_applied")
            await complete(session, APPLY_CUSTOMER_CREDIT, retry, payment_id)
            return await payment_in(session, payment_id)

    async def unallocate(
        self, payment_id: str, allocation_id: str, invoice_id: str, retry: Retry
    ) -> Payment:
        """Takes a payment's allocations (all active ones, or the one named) off their
        invoices: they reopen, and the amounts become the customer's credit."""
        async with self.database.transaction() as session:
            done = await claim(session, UNALLOCATE_PAYMENT, retry)
            if done is not None:
                return await payment_in(session, done)
            payment = await payment_in(session, payment_id)
            chosen = [
                a.id
                for a in payment.allocations
                if a.unallocated_at is None
                and (not allocation_id or a.id == allocation_id)
                and (not invoice_id or a.invoice_id == invoice_id)
            ]
            if not chosen:
                _nothing_to_unallocate(payment_id, allocation_id, invoice_id)
            total = await self._take_back(session, chosen)
            await move_credit(session, payment.customer_id, total, FROM_UNALLOCATED, payment_id)
            await move_balance(session, self.outbox, payment.customer_id, total)
            after = await payment_in(session, payment_id)
            before_facts, after_facts = changed(facts(payment), facts(after))
            await audit.record(
                session,
                "payment",
                payment_id,
                "unallocated",
                before=before_facts,
                after=after_facts,
            )
            await complete(session, UNALLOCATE_PAYMENT, retry, payment_id)
            return after

    async def _take_back(self, session: AsyncSession, allocation_ids: list[str]) -> Money:
        """Reopens the invoices of the (still active) allocations and stamps them unallocated;
        gives their total. Refused for an invoice credited since."""
        rows = (
            await session.execute(
                select(payment_allocations)
                .where(payment_allocations.c.id.in_(allocation_ids))
                .order_by(payment_allocations.c.position)
            )
        ).all()
        heads = {
            h.id: h
            for h in (
                await session.execute(
                    select(invoices)
                    .where(invoices.c.id.in_({r.invoice_id for r in rows}))
                    .order_by(invoices.c.number)
                    .with_for_update()
                )
            ).all()
        }
        active = (
            await session.execute(
                select(payment_allocations.c.id)
                .where(
                    payment_allocations.c.id.in_(allocation_ids),
                    payment_allocations.c.unallocated_at.is_(None),
                )
                .with_for_update()
            )
        ).all()
        if len(active) != len(allocation_ids):
            raise FailedPrecondition("the allocation was just taken back by someone else")
        for row in rows:
            if heads[row.invoice_id].status == CREDITED:
                raise FailedPrecondition(
                    f"invoice {heads[row.invoice_id].number} was credited: what was paid on "
                    "it stays on it (its credit note's unapplied part is the customer's "
                    "credit already)"
                )
        now, who = datetime.now(UTC), current_principal().subject
        total = Money.zero(rows[0].currency)
        for row in rows:
            head = heads[row.invoice_id]
            amount = Money(row.amount, row.currency)
            before = account_of(head)
            after = Account(before.total, before.paid - amount, before.credited, before.status)
            await session.execute(
                invoices.update()
                .where(invoices.c.id == head.id)
                .values(amount_paid=after.paid.amount, status=status_of(after, before.status))
            )
            await session.execute(
                payment_allocations.update()
                .where(payment_allocations.c.id == row.id)
                .values(unallocated_at=now, unallocated_by=who)
            )
            total = total + amount
        return total.rounded()


def _credit_to_apply(asked: Money | None, balance: Money, credit: Money) -> Money:
    """What to pay out of the credit: as asked (in the invoice's currency, at most the balance
    and the credit), else as much as both allow."""
    problems = Violations()
    if asked is None:
        asked = min(balance, credit)
        if asked.amount <= 0:
            raise InvalidArgument.of(
                "amount", f"nothing to apply: credit {credit.rounded()}, balance {balance}"
            )
    elif asked.currency != balance.currency:
        problems.add("amount.currency", f"must be the invoice's currency, {balance.currency}")
    else:
        if asked.amount > balance.amount:
            problems.add("amount", f"exceeds the invoice's balance of {balance}")
        if asked.amount > credit.amount:
            problems.add("amount", f"exceeds the customer's credit of {credit.rounded()}")
    problems.raise_if_any()
    return asked.rounded()


def _nothing_to_unallocate(payment_id: str, allocation_id: str, invoice_id: str) -> NoReturn:
    if allocation_id:
        raise InvalidArgument.of(
            "allocation_id", f"no active allocation {allocation_id} of this payment"
        )
    if invoice_id:
        raise InvalidArgument.of(
            "invoice_id", f"this payment has nothing allocated to invoice {invoice_id}"
        )
    raise FailedPrecondition(f"payment {payment_id} has nothing allocated")
