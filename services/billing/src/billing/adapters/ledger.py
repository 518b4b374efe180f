"""Billing's records as the reports read them from PostgreSQL: what was open on each invoice and
bill as of an instant, the customers' credit and suppliers' advances then, and the invoices and
credit notes issued in a range, with the channel of the order each came from."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, null, or_, select

from billing.adapters.tables import (
    bills,
    credit_notes,
    customer_credit_entries,
    invoices,
    order_copies,
    payment_allocations,
    supplier_payment_allocations,
    supplier_payments,
)
from billing.domain.receivables import AgedItem
from billing.domain.revenue import QUOTE, UNASSIGNED, Entry, document_tax
from pricing.money import Money
from servicekit.db import Transaction


def _open(total: Decimal, *taken: Decimal | None) -> Decimal:
    return max(total - sum((t or Decimal(0) for t in taken), Decimal(0)), Decimal(0))


class SqlLedger:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def receivables(
        self, end: datetime, customer_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        a = payment_allocations.c
        in_force = and_(
            a.allocated_at < end, or_(a.unallocated_at.is_(None), a.unallocated_at >= end)
        )
        paid = (
            select(a.invoice_id, func.sum(a.amount).label("paid"))
            .where(in_force)
            .group_by(a.invoice_id)
            .subquery()
        )
        n = credit_notes.c
        credited = (
            select(n.invoice_id, func.sum(n.total - n.unapplied).label("credited"))
            .where(n.issued_at < end, n.invoice_id.is_not(None))
            .group_by(n.invoice_id)
            .subquery()
        )
        i = invoices.c
        query = (
            select(i.customer_id, i.currency, i.due_date, i.total, paid.c.paid, credited.c.credited)
            .outerjoin(paid, paid.c.invoice_id == i.id)
            .outerjoin(credited, credited.c.invoice_id == i.id)
            .where(i.issued_at < end)
        )
        e = customer_credit_entries.c
        credit_query = (
            select(e.customer_id, e.currency, func.sum(e.amount))
            .where(e.at < end)
            .group_by(e.customer_id, e.currency)
        )
        if customer_id:
            query = query.where(i.customer_id == customer_id)
            credit_query = credit_query.where(e.customer_id == customer_id)
        rows = (await self.session.execute(query)).all()
        credits = (await self.session.execute(credit_query)).all()
        items = [
            AgedItem(
                r.customer_id,
                r.due_date,
                Money(_open(r.total, r.paid, r.credited), r.currency).rounded(),
            )
            for r in rows
        ]
        return items, {(c, cur): Money(amount, cur).rounded() for c, cur, amount in credits}

    async def payables(
        self, end: datetime, supplier_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        a = supplier_payment_allocations.c
        paid = (
            select(a.bill_id, func.sum(a.amount).label("paid"))
            .where(a.allocated_at < end)
            .group_by(a.bill_id)
            .subquery()
        )
        query = (
            select(
                bills.c.supplier_id, bills.c.currency, bills.c.due_date, bills.c.total, paid.c.paid
            )
            .outerjoin(paid, paid.c.bill_id == bills.c.id)
            .where(bills.c.recorded_at < end)
        )
        p = supplier_payments.c
        advances = (
            select(p.supplier_id, p.currency, func.sum(p.unapplied))
            .where(p.recorded_at < end)
            .group_by(p.supplier_id, p.currency)
        )
        if supplier_id:
            query = query.where(bills.c.supplier_id == supplier_id)
            advances = advances.where(p.supplier_id == supplier_id)
        rows = (await self.session.execute(query)).all()
        credits = (await self.session.execute(advances)).all()
        items = [
            AgedItem(r.supplier_id, r.due_date, Money(_open(r.total, r.paid), r.currency).rounded())
            for r in rows
        ]
        return items, {(s, cur): Money(amount, cur).rounded() for s, cur, amount in credits}

    async def revenue(self, start: datetime, end: datetime) -> list[Entry]:
        channel = case(
            (invoices.c.order_id.is_(None), QUOTE), else_=func.coalesce(order_copies.c.channel, "")
        )
        invoiced = (
            select(
                invoices.c.issued_at,
                invoices.c.currency,
                invoices.c.total,
                channel,
                invoices.c.document,
                invoices.c.taxes,
            )
            .outerjoin(order_copies, order_copies.c.order_id == invoices.c.order_id)
            .where(invoices.c.issued_at >= start, invoices.c.issued_at < end)
        )
        credited = (
            select(
                credit_notes.c.issued_at,
                credit_notes.c.currency,
                credit_notes.c.total,
                case((credit_notes.c.invoice_id.is_(None), UNASSIGNED), else_=channel),
                null(),
                credit_notes.c.taxes,
            )
            .outerjoin(invoices, invoices.c.id == credit_notes.c.invoice_id)
            .outerjoin(order_copies, order_copies.c.order_id == invoices.c.order_id)
            .where(credit_notes.c.issued_at >= start, credit_notes.c.issued_at < end)
        )
        return [
            Entry(
                at.astimezone(UTC).date(),
                kind,
                Money(total, currency),
                credit,
                _stated_tax(taxes) if taxes else document_tax(document),
            )
            for credit, query in ((False, invoiced), (True, credited))
            for at, currency, total, kind, document, taxes in (
                await self.session.execute(query)
            ).all()
        ]


def _stated_tax(taxes: list[dict[str, str]]) -> Decimal:
    """The tax a document states per (code, rate) (invoices.taxes, credit_notes.taxes: every
    invoice and credit note issued since they are kept), summed."""
    return sum((Decimal(t["amount"]) for t in taxes), Decimal(0))
