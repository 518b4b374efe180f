"""Receivables: money received from customers allocated to their invoices, customer credit, and
allocations taken back. Each use case is one transaction with its events (outbox).

Locks are always taken in one order -- the invoices (by number), then the customer's credit, then
the customer's balance -- as invoicing and credit notes take them too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, payment_allocations, payments
from billing.application.accounts import credit_of, move_balance, move_credit
from billing.application.fields import day_in, money_in
from billing.domain.receivables import OpenItem, Requested, check_amount, plan
from billing.domain.settlement import CREDITED, OPEN, PAID, PARTIALLY_PAID, Account, status_of
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.types.v1 import types_pb2
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, Violations

MAX_REFERENCE = 200
MAX_ID = 100
RECEIVED, CREDIT = "received", "credit"
# Where a customer's credit came from or went, in its history.
FROM_PAYMENT, FROM_UNALLOCATED, APPLIED = "payment", "unallocated", "applied"


@dataclass(frozen=True)
class AllocationView:
    id: str
    invoice_id: str
    invoice_number: str
    amount: Money
    allocated_at: datetime
    unallocated_at: datetime | None = None
    unallocated_by: str = ""


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
    kind: str = RECEIVED
    allocations: tuple[AllocationView, ...] = field(default_factory=tuple)
    unapplied: Money | None = None

    @property
    def allocated(self) -> Money:
        total = self.amount.times(0).rounded()
        for allocation in self.allocations:
            if allocation.unallocated_at is None:
                total = total + allocation.amount
        return total


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


class Payments:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def record(
        self, invoice_id: str, amount: types_pb2.Money, reference: str, received_on: str
    ) -> Payment:
        """Money received against one invoice: a payment with one allocation."""
        money, reference, day = _payment_in(amount, reference, received_on)
        async with self.database.transaction() as session:
            head = (
                await session.execute(
                    select(invoices).where(invoices.c.id == invoice_id).with_for_update()
                )
            ).first()
            if head is None:
                raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
            account_of(head).pay(money)  # refuses another currency, overpaying, odd amounts
            payment_id = await self._insert(
                session, head.customer_id, money.rounded(), reference, day, RECEIVED, head.id
            )
            await self._allocate(session, payment_id, head, money.rounded(), 0)
            await move_balance(session, self.outbox, head.customer_id, money.rounded().times(-1))
        return await self.get(payment_id)

    async def record_for_customer(
        self,
        customer_id: str,
        amount: types_pb2.Money,
        reference: str,
        received_on: str,
        allocations: Sequence[Any],
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
            payment_id = await self._insert(
                session, customer_id, money, reference, day, RECEIVED, unapplied=where.unapplied
            )
            for position, allocation in enumerate(where.allocations):
                await self._allocate(
                    session, payment_id, heads[allocation.item_id], allocation.amount, position
                )
            if where.unapplied.amount > 0:
                await move_credit(session, customer_id, where.unapplied, FROM_PAYMENT, payment_id)
            if where.allocations:
                await move_balance(session, self.outbox, customer_id, where.allocated.times(-1))
        return await self.get(payment_id)

    async def apply_credit(
        self, customer_id: str, invoice_id: str, amount: types_pb2.Money
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
            head = (
                await session.execute(
                    select(invoices).where(invoices.c.id == invoice_id).with_for_update()
                )
            ).first()
            if head is None:
                raise InvalidArgument.of("invoice_id", f"no invoice {invoice_id}")
            if head.customer_id != customer_id:
                raise InvalidArgument.of(
                    "invoice_id", f"invoice {head.number} is not customer {customer_id}'s"
                )
            balance = account_of(head).balance.rounded()
            credit = await credit_of(session, customer_id, head.currency)
            if money is None:
                money = min(balance, credit)
                if money.amount <= 0:
                    raise InvalidArgument.of(
                        "amount",
                        f"nothing to apply: credit {credit.rounded()}, balance {balance}",
                    )
            elif money.currency != head.currency:
                problems.add("amount.currency", f"must be the invoice's currency, {head.currency}")
            else:
                if money.amount > balance.amount:
                    problems.add("amount", f"exceeds the invoice's balance of {balance}")
                if money.amount > credit.amount:
                    problems.add("amount", f"exceeds the customer's credit of {credit.rounded()}")
            problems.raise_if_any()
            money = money.rounded()
            today = datetime.now(UTC).date()
            payment_id = await self._insert(
                session, customer_id, money, "customer credit", today, CREDIT, head.id
            )
            await self._allocate(session, payment_id, head, money, 0)
            await move_credit(session, customer_id, money.times(-1), APPLIED, payment_id)
            await move_balance(session, self.outbox, customer_id, money.times(-1))
        return await self.get(payment_id)

    async def unallocate(self, payment_id: str, allocation_id: str, invoice_id: str) -> Payment:
        """Takes a payment's allocations (all active ones, or the one named) off their
        invoices: they reopen, and the amounts become the customer's credit."""
        payment = await self.get(payment_id)
        chosen = [
            a
            for a in payment.allocations
            if a.unallocated_at is None
            and (not allocation_id or a.id == allocation_id)
            and (not invoice_id or a.invoice_id == invoice_id)
        ]
        if not chosen:
            if allocation_id:
                raise InvalidArgument.of(
                    "allocation_id", f"no active allocation {allocation_id} of this payment"
                )
            if invoice_id:
                raise InvalidArgument.of(
                    "invoice_id", f"this payment has nothing allocated to invoice {invoice_id}"
                )
            raise FailedPrecondition(f"payment {payment_id} has nothing allocated")
        async with self.database.transaction() as session:
            heads = {
                h.id: h
                for h in (
                    await session.execute(
                        select(invoices)
                        .where(invoices.c.id.in_({a.invoice_id for a in chosen}))
                        .order_by(invoices.c.number)
                        .with_for_update()
                    )
                ).all()
            }
            rows = (
                await session.execute(
                    select(payment_allocations)
                    .where(
                        payment_allocations.c.id.in_([a.id for a in chosen]),
                        payment_allocations.c.unallocated_at.is_(None),
                    )
                    .order_by(payment_allocations.c.position)
                    .with_for_update()
                )
            ).all()
            if len(rows) != len(chosen):
                raise FailedPrecondition("the allocation was just taken back by someone else")
            for row in rows:
                if heads[row.invoice_id].status == CREDITED:
                    raise FailedPrecondition(
                        f"invoice {heads[row.invoice_id].number} was credited: what was paid on "
                        "it stays on it (its credit note's unapplied part is the customer's "
                        "credit already)"
                    )
            now, who = datetime.now(UTC), current_principal().subject
            total = Money.zero(payment.amount.currency)
            for row in rows:
                head = heads[row.invoice_id]
                amount = Money(row.amount, row.currency)
                before = account_of(head)
                after = Account(before.total, before.paid - amount, before.credited, before.status)
                status = status_of(after, before.status)
                await session.execute(
                    invoices.update()
                    .where(invoices.c.id == head.id)
                    .values(amount_paid=after.paid.amount, status=status)
                )
                await session.execute(
                    payment_allocations.update()
                    .where(payment_allocations.c.id == row.id)
                    .values(unallocated_at=now, unallocated_by=who)
                )
                total = total + amount
            total = total.rounded()
            await move_credit(session, payment.customer_id, total, FROM_UNALLOCATED, payment_id)
            await move_balance(session, self.outbox, payment.customer_id, total)
        return await self.get(payment_id)

    async def _insert(
        self,
        session: AsyncSession,
        customer_id: str,
        amount: Money,
        reference: str,
        day: date,
        kind: str,
        invoice_id: str | None = None,
        unapplied: Money | None = None,
    ) -> str:
        payment_id = str(uuid.uuid4())
        await session.execute(
            payments.insert().values(
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
                unapplied=(unapplied or amount.times(0)).amount,
            )
        )
        return payment_id

    async def _allocate(
        self, session: AsyncSession, payment_id: str, head: Row[Any], amount: Money, position: int
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
        await self.outbox.add(
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
            await self.outbox.add(
                session,
                events.InvoicePaid(
                    invoice_id=head.id, order_id=head.order_id or "", customer_id=head.customer_id
                ),
                key=key,
            )

    # Queries ------------------------------------------------------------------------------

    async def find(
        self, invoice_id: str = "", customer_id: str = "", payment_id: str = ""
    ) -> list[Payment]:
        query = (
            select(payments, invoices.c.number, invoices.c.order_id)
            .outerjoin(invoices, invoices.c.id == payments.c.invoice_id)
            .order_by(payments.c.recorded_at, payments.c.id)
        )
        if invoice_id:
            allocated = select(payment_allocations.c.payment_id).where(
                payment_allocations.c.invoice_id == invoice_id
            )
            query = query.where(
                or_(payments.c.invoice_id == invoice_id, payments.c.id.in_(allocated))
            )
        if customer_id:
            query = query.where(payments.c.customer_id == customer_id)
        if payment_id:
            query = query.where(payments.c.id == payment_id)
        async with self.database.transaction() as session:
            rows = (await session.execute(query)).all()
            allocations: dict[str, list[AllocationView]] = {}
            found = await session.execute(
                select(payment_allocations, invoices.c.number)
                .join(invoices, invoices.c.id == payment_allocations.c.invoice_id)
                .where(payment_allocations.c.payment_id.in_([r.id for r in rows]))
                .order_by(payment_allocations.c.payment_id, payment_allocations.c.position)
            )
            for a in found:
                allocations.setdefault(a.payment_id, []).append(
                    AllocationView(
                        a.id,
                        a.invoice_id,
                        a.number,
                        Money(a.amount, a.currency).trimmed(),
                        a.allocated_at,
                        a.unallocated_at,
                        a.unallocated_by or "",
                    )
                )
        return [
            Payment(
                r.id,
                r.invoice_id or "",
                r.number or "",
                r.order_id or "",
                r.customer_id,
                Money(r.amount, r.currency).trimmed(),
                r.reference,
                r.received_on,
                r.recorded_at,
                r.recorded_by,
                r.kind,
                tuple(allocations.get(r.id, [])),
                Money(r.unapplied, r.currency).trimmed(),
            )
            for r in rows
        ]

    async def get(self, payment_id: str) -> Payment:
        found = await self.find(payment_id=payment_id)
        if not found:
            raise NotFound(f"payment {payment_id} not found")
        return found[0]


def paid_as_of(end: datetime) -> Any:
    """Allocations in force at `end`: made before it, not taken back before it."""
    return and_(
        payment_allocations.c.allocated_at < end,
        or_(
            payment_allocations.c.unallocated_at.is_(None),
            payment_allocations.c.unallocated_at >= end,
        ),
    )
