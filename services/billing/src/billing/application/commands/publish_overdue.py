"""Invoices falling overdue: once an invoice passes its due date unpaid, InvoiceOverdue is
published for it -- once per invoice, however many replicas run the loop (servicehost.periodic)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from billing.application.ports import UnitOfWork

BATCH = 500


@dataclass(frozen=True)
class PublishOverdue:
    # Invoices due before this day (UTC); today when None.
    today: date | None = None


async def publish_overdue(new_uow: Callable[[], UnitOfWork], command: PublishOverdue) -> int:
    """Marks every open invoice due before the day and not marked yet, with its InvoiceOverdue,
    in batches of one transaction each; rows another replica holds are skipped, not waited for.
    Gives how many were marked."""
    today = command.today or datetime.now(UTC).date()
    marked = 0
    while True:
        async with new_uow() as uow:
            invoices = await uow.invoices.falling_overdue(today, BATCH)
            now = datetime.now(UTC)
            for invoice in invoices:
                events = invoice.fall_overdue(now)
                await uow.invoices.save(invoice)
                await uow.publish(events)
                await uow.audit.record(
                    "invoice",
                    invoice.id,
                    "overdue",
                    after={"due_date": invoice.due_date, "overdue_at": now},
                )
        marked += len(invoices)
        if len(invoices) < BATCH:
            return marked
