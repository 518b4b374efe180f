"""Dunning in PostgreSQL: the open invoices it reads, the reminders sent (each invoice at each
level once, by primary key) and the credit holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from billing.adapters.dunning_tables import (
    credit_holds,
    dunning_reminder_invoices,
    dunning_reminders,
)
from billing.adapters.tables import customers, invoices
from billing.domain.dunning import CreditHold, OpenInvoice, Overdue, Reminder
from billing.domain.invoices import OPEN, PARTIALLY_PAID
from pricing.money import Money
from servicekit.db import Transaction
from servicekit.errors import AlreadyExists


class SqlDunning:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def open_invoices(
        self, due_before: date, customer_id: str, *, lock: bool = False
    ) -> list[OpenInvoice]:
        i = invoices.c
        query = select(
            i.id,
            i.number,
            i.customer_id,
            i.due_date,
            i.currency,
            i.total,
            i.amount_paid,
            i.amount_credited,
        ).where(i.status.in_((OPEN, PARTIALLY_PAID)), i.due_date < due_before)
        if customer_id:
            query = query.where(i.customer_id == customer_id)
        if lock:
            query = query.order_by(i.number).with_for_update()
        return [
            OpenInvoice(
                r.id,
                r.number,
                r.customer_id,
                r.due_date,
                Money(r.total - r.amount_paid - r.amount_credited, r.currency).rounded(),
            )
            for r in await self.session.execute(query)
        ]

    async def levels_sent(self, invoice_ids: Sequence[str]) -> dict[str, int]:
        c = dunning_reminder_invoices.c
        rows = await self.session.execute(
            select(c.invoice_id, func.max(c.level))
            .where(c.invoice_id.in_(list(invoice_ids)))
            .group_by(c.invoice_id)
        )
        return {invoice_id: int(level) for invoice_id, level in rows}

    async def add_reminder(self, reminder: Reminder) -> None:
        try:
            async with self.session.begin_nested():
                await self._add_reminder(reminder)
        except IntegrityError as error:
            raise AlreadyExists(
                f"reminder {reminder.id}: an invoice was reminded at level {reminder.level}"
            ) from error

    async def _add_reminder(self, reminder: Reminder) -> None:
        await self.session.execute(
            insert(dunning_reminders).values(
                id=reminder.id,
                customer_id=reminder.customer_id,
                level=reminder.level,
                sent_at=reminder.sent_at,
                sent_by=reminder.sent_by,
            )
        )
        await self.session.execute(
            insert(dunning_reminder_invoices),
            [
                {
                    "invoice_id": i.invoice_id,
                    "level": i.level_sent,
                    "reminder_id": reminder.id,
                    "position": position,
                    "number": i.number,
                    "due_date": i.due_date,
                    "currency": i.open.currency,
                    "open": i.open.amount,
                    "days_overdue": i.days_overdue,
                }
                for position, i in enumerate(reminder.invoices)
            ],
        )

    async def reminders(
        self, customer_id: str, reminder_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Reminder]:
        r = dunning_reminders.c
        query = select(dunning_reminders).order_by(r.sent_at.desc(), r.id.desc()).limit(limit)
        if customer_id:
            query = query.where(r.customer_id == customer_id)
        if reminder_id:
            query = query.where(r.id == reminder_id)
        if after:
            query = query.where(tuple_(r.sent_at, r.id) < after)
        heads = (await self.session.execute(query)).all()
        c = dunning_reminder_invoices.c
        lines = await self.session.execute(
            select(dunning_reminder_invoices)
            .where(c.reminder_id.in_([h.id for h in heads]))
            .order_by(c.reminder_id, c.position)
        )
        listed: dict[str, list[Overdue]] = {}
        for line in lines:
            listed.setdefault(line.reminder_id, []).append(
                Overdue(
                    line.invoice_id,
                    line.number,
                    "",
                    line.due_date,
                    Money(Decimal(line.open), line.currency),
                    line.days_overdue,
                    line.level,
                    line.level,
                )
            )
        return [
            Reminder(
                h.id,
                h.customer_id,
                h.level,
                h.sent_at,
                h.sent_by,
                tuple(
                    Overdue(**{**o.__dict__, "customer_id": h.customer_id})
                    for o in listed.get(h.id, [])
                ),
            )
            for h in heads
        ]

    async def names(self, customer_ids: Sequence[str]) -> dict[str, str]:
        c = customers.c
        rows = await self.session.execute(
            select(c.customer_id, c.name).where(c.customer_id.in_(list(customer_ids)))
        )
        return {r.customer_id: r.name for r in rows}

    async def holds(self, *, lock: bool = False) -> list[CreditHold]:
        query = select(credit_holds).order_by(credit_holds.c.customer_id)
        rows = await self.session.execute(query.with_for_update() if lock else query)
        return [CreditHold(r.customer_id, r.reason, tuple(r.invoice_ids), r.since) for r in rows]

    async def put_hold(self, hold: CreditHold) -> bool:
        inserted = await self.session.execute(
            insert(credit_holds)
            .values(
                customer_id=hold.customer_id,
                reason=hold.reason,
                invoice_ids=list(hold.invoice_ids),
                since=hold.since,
            )
            .on_conflict_do_nothing()
            .returning(credit_holds.c.customer_id)
        )
        return inserted.first() is not None

    async def drop_hold(self, customer_id: str) -> None:
        await self.session.execute(
            delete(credit_holds).where(credit_holds.c.customer_id == customer_id)
        )

    async def settled(self, invoice_ids: Sequence[str]) -> set[str]:
        i = invoices.c
        rows = await self.session.execute(
            select(i.id).where(i.id.in_(list(invoice_ids)), i.status.not_in((OPEN, PARTIALLY_PAID)))
        )
        return {invoice_id for (invoice_id,) in rows}
