"""Payments sent to suppliers in PostgreSQL: supplier_payments and supplier_payment_allocations
(a payment sent only ever gains allocations of its advance), read back with each bill's supplier
reference."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, tuple_

from billing.adapters.tables import bills, supplier_payment_allocations, supplier_payments
from billing.domain.supplier_payments import SupplierAllocation, SupplierPayment
from pricing.money import Money
from servicekit.db import Transaction


class SqlSupplierPayments:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, payment: SupplierPayment) -> None:
        await self.session.execute(
            supplier_payments.insert().values(
                id=payment.id,
                supplier_id=payment.supplier_id,
                currency=payment.amount.currency,
                amount=payment.amount.amount,
                unapplied=payment.unapplied.amount,
                reference=payment.reference,
                paid_on=payment.paid_on,
                recorded_at=payment.recorded_at,
                recorded_by=payment.recorded_by,
            )
        )
        for x in payment.allocations:
            await self.session.execute(
                supplier_payment_allocations.insert().values(
                    payment_id=payment.id,
                    bill_id=x.bill_id,
                    position=x.position,
                    amount=x.amount.amount,
                    allocated_at=x.allocated_at,
                )
            )

    async def get(self, payment_id: str) -> SupplierPayment | None:
        found = await self._all(_query().where(supplier_payments.c.id == payment_id))
        return found[0] if found else None

    async def locked(self, payment_id: str) -> SupplierPayment | None:
        query = _query().where(supplier_payments.c.id == payment_id).with_for_update()
        found = await self._all(query)
        return found[0] if found else None

    async def apply(self, payment: SupplierPayment, allocation: SupplierAllocation) -> None:
        await self.session.execute(
            supplier_payments.update()
            .where(supplier_payments.c.id == payment.id)
            .values(unapplied=payment.unapplied.amount)
        )
        await self.session.execute(
            supplier_payment_allocations.insert().values(
                payment_id=payment.id,
                bill_id=allocation.bill_id,
                position=allocation.position,
                amount=allocation.amount.amount,
                allocated_at=allocation.allocated_at,
            )
        )

    async def page(
        self, supplier_id: str, bill_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[SupplierPayment]:
        query = _query().limit(limit)
        if supplier_id:
            query = query.where(supplier_payments.c.supplier_id == supplier_id)
        if bill_id:
            paid = select(supplier_payment_allocations.c.payment_id).where(
                supplier_payment_allocations.c.bill_id == bill_id
            )
            query = query.where(supplier_payments.c.id.in_(paid))
        if after is not None:
            key = tuple_(supplier_payments.c.recorded_at, supplier_payments.c.id)
            query = query.where(key < after)
        return await self._all(query)

    async def _all(self, query: Select[Any]) -> list[SupplierPayment]:
        heads = (await self.session.execute(query)).all()
        shares = await self._shares([h.id for h in heads])
        return [
            SupplierPayment(
                h.id,
                h.supplier_id,
                Money(h.amount, h.currency),
                h.reference,
                h.paid_on,
                Money(h.unapplied, h.currency),
                h.recorded_at,
                h.recorded_by,
                shares.get(h.id, []),
            )
            for h in heads
        ]

    async def _shares(self, payment_ids: list[str]) -> dict[str, list[SupplierAllocation]]:
        if not payment_ids:
            return {}
        a = supplier_payment_allocations.c
        shares: dict[str, list[SupplierAllocation]] = {}
        for r in await self.session.execute(
            select(supplier_payment_allocations, bills.c.supplier_reference, bills.c.currency)
            .join(bills, bills.c.id == a.bill_id)
            .where(a.payment_id.in_(payment_ids))
            .order_by(a.payment_id, a.position)
        ):
            shares.setdefault(r.payment_id, []).append(
                SupplierAllocation(
                    r.bill_id,
                    Money(r.amount, r.currency),
                    r.position,
                    r.allocated_at,
                    r.supplier_reference,
                )
            )
        return shares


def _query() -> Select[Any]:
    """Newest first."""
    return select(supplier_payments).order_by(
        supplier_payments.c.recorded_at.desc(), supplier_payments.c.id.desc()
    )
