"""Payments received as callers see them: with where their money went, read in the transaction
at hand, newest first in pages; and the facts of a payment its change log keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoices, payment_allocations, payments
from pricing.money import Money
from servicekit.errors import NotFound

RECEIVED, CREDIT = "received", "credit"


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

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of payments are ordered by."""
        return self.recorded_at


def facts(payment: Payment) -> dict[str, Any]:
    """What the change log keeps of a payment: its money and where it is allocated now."""
    return {
        "kind": payment.kind,
        "customer_id": payment.customer_id,
        "amount": str(payment.amount),
        "reference": payment.reference,
        "received_on": payment.received_on,
        "allocations": [
            {"invoice_id": a.invoice_id, "amount": str(a.amount)}
            for a in payment.allocations
            if a.unallocated_at is None
        ],
        "unapplied": str(payment.unapplied) if payment.unapplied else "0",
    }


async def find_payments(
    session: AsyncSession,
    *,
    invoice_id: str = "",
    customer_id: str = "",
    payment_id: str = "",
    after: tuple[datetime, str] | None = None,
    limit: int | None = None,
) -> list[Payment]:
    """Payments, newest first; `after` is the (recorded_at, id) of the last one already seen."""
    query = (
        select(payments, invoices.c.number, invoices.c.order_id)
        .outerjoin(invoices, invoices.c.id == payments.c.invoice_id)
        .order_by(payments.c.recorded_at.desc(), payments.c.id.desc())
        .limit(limit)
    )
    if invoice_id:
        allocated = select(payment_allocations.c.payment_id).where(
            payment_allocations.c.invoice_id == invoice_id
        )
        query = query.where(or_(payments.c.invoice_id == invoice_id, payments.c.id.in_(allocated)))
    if customer_id:
        query = query.where(payments.c.customer_id == customer_id)
    if payment_id:
        query = query.where(payments.c.id == payment_id)
    if after is not None:
        query = query.where(tuple_(payments.c.recorded_at, payments.c.id) < after)
    rows = (await session.execute(query)).all()
    allocations = await _allocations(session, [r.id for r in rows])
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


async def _allocations(
    session: AsyncSession, payment_ids: list[str]
) -> dict[str, list[AllocationView]]:
    found: dict[str, list[AllocationView]] = {}
    rows = await session.execute(
        select(payment_allocations, invoices.c.number)
        .join(invoices, invoices.c.id == payment_allocations.c.invoice_id)
        .where(payment_allocations.c.payment_id.in_(payment_ids))
        .order_by(payment_allocations.c.payment_id, payment_allocations.c.position)
    )
    for a in rows:
        found.setdefault(a.payment_id, []).append(
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
    return found


async def payment_in(session: AsyncSession, payment_id: str) -> Payment:
    found = await find_payments(session, payment_id=payment_id)
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
