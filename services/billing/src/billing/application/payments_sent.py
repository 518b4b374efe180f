"""Payments sent to suppliers: allocated to their payable bills like customer payments to
invoices (as asked, else oldest due first; held bills cannot be paid), the rest an advance. One
transaction with its events and its entry in the change log; retried safely under its request id.
Bills are locked by id."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import bills, supplier_payment_allocations, supplier_payments
from billing.application.fields import day_in, money_in
from billing.application.records import RECORD_SUPPLIER_PAYMENT, Retry, audit, claim, complete
from billing.domain.payables import HELD, OPEN, PAID, PARTIALLY_PAID, bill_status
from billing.domain.receivables import OpenItem, Plan, Requested, check_amount, plan
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.types.v1 import types_pb2
from pricing.money import Money
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import NotFound, Violations
from servicekit.paging import newest_after, newest_page, page_limit

MAX_ID = 100
MAX_REFERENCE = 200


@dataclass(frozen=True)
class SupplierAllocation:
    bill_id: str
    supplier_reference: str
    amount: Money


@dataclass(frozen=True)
class SupplierPayment:
    id: str
    supplier_id: str
    amount: Money
    reference: str
    paid_on: date
    unapplied: Money
    recorded_at: datetime
    recorded_by: str
    allocations: tuple[SupplierAllocation, ...] = field(default_factory=tuple)

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of payments sent are ordered by."""
        return self.recorded_at


class PaymentsSent:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def record(
        self,
        supplier_id: str,
        amount: types_pb2.Money,
        reference: str,
        paid_on: str,
        allocations: Sequence[Any],
        retry: Retry,
    ) -> SupplierPayment:
        """Money sent to a supplier, allocated to its payable bills as asked (or oldest due
        first); what no bill takes is an advance. Held bills cannot be paid."""
        money, day, requested = _request_in(supplier_id, amount, reference, paid_on, allocations)
        async with self.database.transaction() as session:
            done = await claim(session, RECORD_SUPPLIER_PAYMENT, retry)
            if done is not None:
                return await _payment_in(session, done)
            heads, where = await _planned(session, supplier_id, money, requested)
            payment_id, now = str(uuid.uuid4()), datetime.now(UTC)
            await session.execute(
                supplier_payments.insert().values(
                    id=payment_id,
                    supplier_id=supplier_id,
                    currency=money.currency,
                    amount=money.amount,
                    unapplied=where.unapplied.amount,
                    reference=reference,
                    paid_on=day,
                    recorded_at=now,
                    recorded_by=current_principal().subject,
                )
            )
            for position, allocation in enumerate(where.allocations):
                await self._allocate(
                    session, payment_id, heads[allocation.item_id], allocation.amount, position
                )
            payment = await _payment_in(session, payment_id)
            await audit.record(
                session, "supplier_payment", payment_id, "recorded", after=_facts(payment)
            )
            await complete(session, RECORD_SUPPLIER_PAYMENT, retry, payment_id)
        return payment

    async def _allocate(
        self, session: AsyncSession, payment_id: str, head: Row[Any], amount: Money, position: int
    ) -> None:
        """`amount` of the payment onto the (locked) bill, with BillPaid once it is paid off."""
        paid = Money(head.amount_paid, head.currency) + amount
        status = bill_status(Money(head.total, head.currency), paid, head.match_status)
        await session.execute(
            supplier_payment_allocations.insert().values(
                payment_id=payment_id,
                bill_id=head.id,
                position=position,
                amount=amount.amount,
                allocated_at=datetime.now(UTC),
            )
        )
        await session.execute(
            bills.update()
            .where(bills.c.id == head.id)
            .values(amount_paid=paid.amount, status=status)
        )
        if status == PAID:
            await self.outbox.add(
                session,
                events.BillPaid(
                    bill_id=head.id,
                    purchase_order_id=head.purchase_order_id,
                    supplier_id=head.supplier_id,
                ),
                key=head.purchase_order_id,
            )

    async def page(
        self, supplier_id: str, bill_id: str, page_size: int, token: str
    ) -> tuple[list[SupplierPayment], str]:
        limit = page_limit(page_size)
        after = newest_after(token)
        async with self.database.transaction() as session:
            found = await find_payments_sent(
                session, supplier_id, bill_id, after=after, limit=limit + 1
            )
        return newest_page(found, limit)


def _request_in(
    supplier_id: str,
    amount: types_pb2.Money,
    reference: str,
    paid_on: str,
    allocations: Sequence[Any],
) -> tuple[Money, date, list[Requested]]:
    """The request's fields as values, or every field at fault at once."""
    problems = Violations()
    if not supplier_id.strip() or len(supplier_id) > MAX_ID:
        problems.add("supplier_id", f"required, at most {MAX_ID} characters")
    money = money_in(problems, "amount", amount)
    if money is not None:
        check_amount(problems, "amount", money)
    if len(reference) > MAX_REFERENCE:
        problems.add("reference", f"at most {MAX_REFERENCE} characters")
    day = day_in(problems, "paid_on", paid_on)
    requested = []
    for i, ask in enumerate(allocations):
        share = money_in(problems, f"allocations[{i}].amount", ask.amount)
        if share is not None:
            requested.append(Requested(ask.bill_id, share))
    problems.raise_if_any()
    assert money is not None
    return money, day, requested


async def _planned(
    session: AsyncSession, supplier_id: str, money: Money, requested: list[Requested]
) -> tuple[dict[str, Row[Any]], Plan]:
    """The bills the payment goes to (locked) and how much each takes."""
    query = select(bills).order_by(bills.c.id).with_for_update()
    if requested:
        query = query.where(bills.c.id.in_([r.item_id for r in requested]))
    else:
        query = query.where(
            bills.c.supplier_id == supplier_id,
            bills.c.currency == money.currency,
            bills.c.status.in_([OPEN, PARTIALLY_PAID]),
        )
    heads = {h.id: h for h in (await session.execute(query)).all()}
    items = {
        h.id: OpenItem(
            h.id,
            h.supplier_id,
            h.due_date,
            Money(h.total - h.amount_paid, h.currency).rounded(),
            h.supplier_reference,
            h.status != HELD,
        )
        for h in heads.values()
    }
    where = plan(
        money,
        supplier_id,
        items,
        requested or None,
        id_field="bill_id",
        what="bill",
        party="supplier",
    )
    return heads, where


def _facts(payment: SupplierPayment) -> dict[str, Any]:
    return {
        "supplier_id": payment.supplier_id,
        "amount": str(payment.amount),
        "reference": payment.reference,
        "paid_on": payment.paid_on,
        "allocations": [
            {"bill_id": a.bill_id, "amount": str(a.amount)} for a in payment.allocations
        ],
        "unapplied": str(payment.unapplied),
    }


async def _payment_in(session: AsyncSession, payment_id: str) -> SupplierPayment:
    found = await find_payments_sent(session, payment_id=payment_id)
    if not found:
        raise NotFound(f"payment sent {payment_id} not found")
    return found[0]


async def find_payments_sent(
    session: AsyncSession,
    supplier_id: str = "",
    bill_id: str = "",
    payment_id: str = "",
    *,
    after: tuple[datetime, str] | None = None,
    limit: int | None = None,
) -> list[SupplierPayment]:
    """Newest first; `after` is the (recorded_at, id) of the last payment already seen."""
    query = (
        select(supplier_payments)
        .order_by(supplier_payments.c.recorded_at.desc(), supplier_payments.c.id.desc())
        .limit(limit)
    )
    if supplier_id:
        query = query.where(supplier_payments.c.supplier_id == supplier_id)
    if payment_id:
        query = query.where(supplier_payments.c.id == payment_id)
    if bill_id:
        query = query.where(
            supplier_payments.c.id.in_(
                select(supplier_payment_allocations.c.payment_id).where(
                    supplier_payment_allocations.c.bill_id == bill_id
                )
            )
        )
    if after is not None:
        query = query.where(tuple_(supplier_payments.c.recorded_at, supplier_payments.c.id) < after)
    heads = (await session.execute(query)).all()
    shares = await _shares(session, [h.id for h in heads])
    return [
        SupplierPayment(
            h.id,
            h.supplier_id,
            Money(h.amount, h.currency).trimmed(),
            h.reference,
            h.paid_on,
            Money(h.unapplied, h.currency).trimmed(),
            h.recorded_at,
            h.recorded_by,
            tuple(shares.get(h.id, [])),
        )
        for h in heads
    ]


async def _shares(
    session: AsyncSession, payment_ids: list[str]
) -> dict[str, list[SupplierAllocation]]:
    shares: dict[str, list[SupplierAllocation]] = {}
    for r in await session.execute(
        select(supplier_payment_allocations, bills.c.supplier_reference, bills.c.currency)
        .join(bills, bills.c.id == supplier_payment_allocations.c.bill_id)
        .where(supplier_payment_allocations.c.payment_id.in_(payment_ids))
        .order_by(
            supplier_payment_allocations.c.payment_id, supplier_payment_allocations.c.position
        )
    ):
        amount = Money(r.amount, r.currency).trimmed()
        shares.setdefault(r.payment_id, []).append(
            SupplierAllocation(r.bill_id, r.supplier_reference, amount)
        )
    return shares
