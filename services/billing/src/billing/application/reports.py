"""Reports read from billing's own tables: receivables and payables aged as of a day, revenue
per month and channel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

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
from billing.application.fields import as_of_in
from billing.application.payment_views import paid_as_of
from billing.domain.receivables import AgedItem, Aging, age
from billing.domain.revenue import QUOTE, Entry, Row, revenue
from pricing.money import Money
from servicekit.db import Database
from servicekit.errors import Violations

# Free credit notes (for a customer, no invoice) belong to no channel.
UNASSIGNED = "unassigned"
GROUPINGS = ("", "channel")


def end_of(day: date) -> datetime:
    """The first instant after `day` (UTC): what happened before it happened by that day."""
    return datetime.combine(day + timedelta(days=1), time(0), UTC)


def _open(total: Decimal, *taken: Decimal | None) -> Decimal:
    return max(total - sum((t or Decimal(0) for t in taken), Decimal(0)), Decimal(0))


class Reports:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def receivables(self, as_of: str, customer_id: str = "") -> tuple[date, Aging]:
        """Every invoice issued by the end of `as_of`, less the allocations in force and the
        credit notes applied by then, aged by its due date; customer credit as of then."""
        problems = Violations()
        day = as_of_in(problems, "as_of", as_of)
        problems.raise_if_any()
        end = end_of(day)
        paid = (
            select(
                payment_allocations.c.invoice_id,
                func.sum(payment_allocations.c.amount).label("paid"),
            )
            .where(paid_as_of(end))
            .group_by(payment_allocations.c.invoice_id)
            .subquery()
        )
        credited = (
            select(
                credit_notes.c.invoice_id,
                func.sum(credit_notes.c.total - credit_notes.c.unapplied).label("credited"),
            )
            .where(credit_notes.c.issued_at < end, credit_notes.c.invoice_id.is_not(None))
            .group_by(credit_notes.c.invoice_id)
            .subquery()
        )
        query = (
            select(
                invoices.c.customer_id,
                invoices.c.currency,
                invoices.c.due_date,
                invoices.c.total,
                paid.c.paid,
                credited.c.credited,
            )
            .outerjoin(paid, paid.c.invoice_id == invoices.c.id)
            .outerjoin(credited, credited.c.invoice_id == invoices.c.id)
            .where(invoices.c.issued_at < end)
        )
        credit_query = (
            select(
                customer_credit_entries.c.customer_id,
                customer_credit_entries.c.currency,
                func.sum(customer_credit_entries.c.amount),
            )
            .where(customer_credit_entries.c.at < end)
            .group_by(customer_credit_entries.c.customer_id, customer_credit_entries.c.currency)
        )
        if customer_id:
            query = query.where(invoices.c.customer_id == customer_id)
            credit_query = credit_query.where(customer_credit_entries.c.customer_id == customer_id)
        async with self.database.transaction() as session:
            rows = (await session.execute(query)).all()
            credits = (await session.execute(credit_query)).all()
        items = [
            AgedItem(
                r.customer_id,
                r.due_date,
                Money(_open(r.total, r.paid, r.credited), r.currency).rounded(),
            )
            for r in rows
        ]
        return day, age(
            items, day, {(c, cur): Money(amount, cur).rounded() for c, cur, amount in credits}
        )

    async def payables(self, as_of: str, supplier_id: str = "") -> tuple[date, Aging]:
        """Every bill recorded by the end of `as_of` (held ones too: they are owed), less what
        was paid on it by then, aged by its due date; advances to suppliers as their credit."""
        problems = Violations()
        day = as_of_in(problems, "as_of", as_of)
        problems.raise_if_any()
        end = end_of(day)
        paid = (
            select(
                supplier_payment_allocations.c.bill_id,
                func.sum(supplier_payment_allocations.c.amount).label("paid"),
            )
            .where(supplier_payment_allocations.c.allocated_at < end)
            .group_by(supplier_payment_allocations.c.bill_id)
            .subquery()
        )
        query = (
            select(
                bills.c.supplier_id, bills.c.currency, bills.c.due_date, bills.c.total, paid.c.paid
            )
            .outerjoin(paid, paid.c.bill_id == bills.c.id)
            .where(bills.c.recorded_at < end)
        )
        advances = (
            select(
                supplier_payments.c.supplier_id,
                supplier_payments.c.currency,
                func.sum(supplier_payments.c.unapplied),
            )
            .where(supplier_payments.c.recorded_at < end)
            .group_by(supplier_payments.c.supplier_id, supplier_payments.c.currency)
        )
        if supplier_id:
            query = query.where(bills.c.supplier_id == supplier_id)
            advances = advances.where(supplier_payments.c.supplier_id == supplier_id)
        async with self.database.transaction() as session:
            rows = (await session.execute(query)).all()
            credits = (await session.execute(advances)).all()
        items = [
            AgedItem(r.supplier_id, r.due_date, Money(_open(r.total, r.paid), r.currency).rounded())
            for r in rows
        ]
        return day, age(
            items, day, {(s, cur): Money(amount, cur).rounded() for s, cur, amount in credits}
        )

    async def revenue(
        self, from_date: str, to_date: str, group_by: str
    ) -> tuple[list[Row], list[Row]]:
        """Invoices less credit notes issued from `from_date` to `to_date` (inclusive, UTC),
        per month, by the order's channel ("quote" for invoices made from quotes) or in all."""
        problems = Violations()
        last = as_of_in(problems, "to_date", to_date)
        first = as_of_in(problems, "from_date", from_date) if from_date else date(last.year, 1, 1)
        if not problems.items and first > last:
            problems.add("to_date", f"is before from_date {first.isoformat()}")
        if group_by not in GROUPINGS:
            problems.add("group_by", '"channel" or empty')
        problems.raise_if_any()
        start, end = datetime.combine(first, time(0), UTC), end_of(last)
        channel = case(
            (invoices.c.order_id.is_(None), QUOTE), else_=func.coalesce(order_copies.c.channel, "")
        )
        invoiced = (
            select(invoices.c.issued_at, invoices.c.currency, invoices.c.total, channel)
            .outerjoin(order_copies, order_copies.c.order_id == invoices.c.order_id)
            .where(invoices.c.issued_at >= start, invoices.c.issued_at < end)
        )
        credited = (
            select(
                credit_notes.c.issued_at,
                credit_notes.c.currency,
                credit_notes.c.total,
                case((credit_notes.c.invoice_id.is_(None), UNASSIGNED), else_=channel),
            )
            .outerjoin(invoices, invoices.c.id == credit_notes.c.invoice_id)
            .outerjoin(order_copies, order_copies.c.order_id == invoices.c.order_id)
            .where(credit_notes.c.issued_at >= start, credit_notes.c.issued_at < end)
        )
        async with self.database.transaction() as session:
            entries = [
                Entry(at.astimezone(UTC).date(), kind, Money(total, currency), credit)
                for credit, query in ((False, invoiced), (True, credited))
                for at, currency, total, kind in (await session.execute(query)).all()
            ]
        return revenue(entries, by_channel=group_by == "channel")
