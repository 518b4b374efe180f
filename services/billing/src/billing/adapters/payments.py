"""Payments received in PostgreSQL: the payments and payment_allocations tables, read back with
their invoices' numbers. A customer's payment reference is the natural key
(`uq_payments_customer_reference`): a second payment under it waits for the first's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from billing.adapters.tables import (
    PAYMENT_NATURAL_KEY,
    invoices,
    payment_allocations,
    payments,
)
from billing.domain.payments import Payment, PaymentAllocation
from pricing.money import Money
from servicekit.db import Transaction


def _state(payment: Payment) -> tuple[Any, ...]:
    return (
        payment.invoice_id,
        payment.unapplied,
        {a.id: (a.unallocated_at, a.unallocated_by) for a in payment.allocations},
    )


class SqlPayments:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        self._read: dict[str, tuple[Any, ...]] = {}

    async def add(self, payment: Payment) -> bool:
        inserted = await self.session.execute(
            insert(payments)
            .values(
                id=payment.id,
                invoice_id=payment.invoice_id or None,
                customer_id=payment.customer_id,
                currency=payment.amount.currency,
                amount=payment.amount.amount,
                reference=payment.reference,
                received_on=payment.received_on,
                recorded_at=payment.recorded_at,
                recorded_by=payment.recorded_by,
                kind=payment.kind,
                unapplied=payment.unapplied.amount if payment.unapplied else 0,
                fingerprint=payment.fingerprint,
            )
            .on_conflict_do_nothing(
                index_elements=[payments.c.customer_id, payments.c.reference],
                index_where=PAYMENT_NATURAL_KEY,
            )
            .returning(payments.c.id)
        )
        if inserted.first() is None:
            return False
        self._read[payment.id] = (payment.invoice_id, payment.unapplied, {})
        await self.save(payment)
        return True

    async def of_reference(self, customer_id: str, reference: str) -> Payment:
        first = (
            await self.session.execute(
                select(payments.c.id).where(
                    payments.c.customer_id == customer_id,
                    payments.c.reference == reference,
                    PAYMENT_NATURAL_KEY,
                )
            )
        ).scalar_one()
        found = await self.get(first)
        assert found is not None
        return found

    async def get(self, payment_id: str) -> Payment | None:
        found = await self._all(_query().where(payments.c.id == payment_id))
        return found[0] if found else None

    async def lock_active(self, allocation_ids: Collection[str]) -> int:
        active = await self.session.execute(
            select(payment_allocations.c.id)
            .where(
                payment_allocations.c.id.in_(list(allocation_ids)),
                payment_allocations.c.unallocated_at.is_(None),
            )
            .with_for_update()
        )
        return len(active.all())

    async def save(self, payment: Payment) -> None:
        before = self._read.get(payment.id) or ("", None, {})
        after = _state(payment)
        if before[:2] != after[:2]:
            await self.session.execute(
                payments.update()
                .where(payments.c.id == payment.id)
                .values(
                    invoice_id=payment.invoice_id or None,
                    unapplied=payment.unapplied.amount if payment.unapplied else 0,
                )
            )
        for allocation in payment.allocations:
            if allocation.id not in before[2]:
                await self._insert(payment, allocation)
            elif before[2][allocation.id] != after[2][allocation.id]:
                await self.session.execute(
                    payment_allocations.update()
                    .where(payment_allocations.c.id == allocation.id)
                    .values(
                        unallocated_at=allocation.unallocated_at,
                        unallocated_by=allocation.unallocated_by,
                    )
                )
        self._read[payment.id] = after

    async def _insert(self, payment: Payment, allocation: PaymentAllocation) -> None:
        await self.session.execute(
            payment_allocations.insert().values(
                id=allocation.id,
                payment_id=payment.id,
                invoice_id=allocation.invoice_id,
                customer_id=payment.customer_id,
                currency=allocation.amount.currency,
                amount=allocation.amount.amount,
                position=allocation.position,
                allocated_at=allocation.allocated_at,
                unallocated_at=allocation.unallocated_at,
                unallocated_by=allocation.unallocated_by or None,
            )
        )

    async def page(
        self, invoice_id: str, customer_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Payment]:
        query = _query().limit(limit)
        if invoice_id:
            allocated = select(payment_allocations.c.payment_id).where(
                payment_allocations.c.invoice_id == invoice_id
            )
            query = query.where(
                or_(payments.c.invoice_id == invoice_id, payments.c.id.in_(allocated))
            )
        if customer_id:
            query = query.where(payments.c.customer_id == customer_id)
        if after is not None:
            query = query.where(tuple_(payments.c.recorded_at, payments.c.id) < after)
        return await self._all(query)

    async def _all(self, query: Select[Any]) -> list[Payment]:
        rows = (await self.session.execute(query)).all()
        allocations = await self._allocations([r.id for r in rows])
        found = [
            Payment(
                r.id,
                r.customer_id,
                Money(r.amount, r.currency),
                r.reference,
                r.received_on,
                r.recorded_at,
                r.recorded_by,
                r.kind,
                r.invoice_id or "",
                Money(r.unapplied, r.currency),
                r.fingerprint,
                allocations.get(r.id, []),
                r.number or "",
                r.order_id or "",
            )
            for r in rows
        ]
        for payment in found:
            self._read[payment.id] = _state(payment)
        return found

    async def _allocations(self, payment_ids: list[str]) -> dict[str, list[PaymentAllocation]]:
        if not payment_ids:
            return {}
        found: dict[str, list[PaymentAllocation]] = {}
        rows = await self.session.execute(
            select(payment_allocations, invoices.c.number)
            .join(invoices, invoices.c.id == payment_allocations.c.invoice_id)
            .where(payment_allocations.c.payment_id.in_(payment_ids))
            .order_by(payment_allocations.c.payment_id, payment_allocations.c.position)
        )
        for a in rows:
            found.setdefault(a.payment_id, []).append(
                PaymentAllocation(
                    a.id,
                    a.invoice_id,
                    Money(a.amount, a.currency),
                    a.position,
                    a.allocated_at,
                    a.unallocated_at,
                    a.unallocated_by or "",
                    a.number,
                )
            )
        return found


def _query() -> Select[Any]:
    """Newest first, with the invoice's number and order."""
    return (
        select(payments, invoices.c.number, invoices.c.order_id)
        .outerjoin(invoices, invoices.c.id == payments.c.invoice_id)
        .order_by(payments.c.recorded_at.desc(), payments.c.id.desc())
    )
