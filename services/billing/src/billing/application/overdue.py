"""Overdue invoices: once an invoice passes its due date unpaid, InvoiceOverdue is published for
it -- once per invoice, however many replicas run the loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from billing.adapters.tables import invoices
from billing.application.allocation import account_of
from billing.application.records import audit
from billing.domain.settlement import OPEN, PARTIALLY_PAID
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from pricing.wire import money_to_proto
from servicekit.context import Principal, acting
from servicekit.db import Database

log = logging.getLogger(__name__)
BATCH = 500


class Overdue:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def publish_due(self, today: date | None = None) -> int:
        """Marks every open invoice due before `today` (UTC) and not marked yet, with its
        InvoiceOverdue, in batches; rows another replica holds are skipped, not waited for.
        Gives how many were marked."""
        today = today or datetime.now(UTC).date()
        marked = 0
        while True:
            async with self.database.transaction() as session:
                heads = (
                    await session.execute(
                        select(invoices)
                        .where(
                            invoices.c.overdue_at.is_(None),
                            invoices.c.due_date < today,
                            invoices.c.status.in_([OPEN, PARTIALLY_PAID]),
                        )
                        .order_by(invoices.c.due_date, invoices.c.number)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
                now = datetime.now(UTC)
                for head in heads:
                    await session.execute(
                        invoices.update().where(invoices.c.id == head.id).values(overdue_at=now)
                    )
                    await self.outbox.add(
                        session,
                        events.InvoiceOverdue(
                            invoice_id=head.id,
                            number=head.number,
                            order_id=head.order_id or "",
                            customer_id=head.customer_id,
                            due_date=head.due_date.isoformat(),
                            balance=money_to_proto(account_of(head).balance.rounded()),
                        ),
                        key=head.customer_id,
                    )
                    await audit.record(
                        session,
                        "invoice",
                        head.id,
                        "overdue",
                        after={"due_date": head.due_date, "overdue_at": now},
                    )
            marked += len(heads)
            if len(heads) < BATCH:
                return marked

    async def run_forever(self, interval_seconds: float) -> None:
        """The overdue loop (setting overdue_interval_seconds)."""
        while True:
            try:
                with acting(Principal("system:overdue", ("system",))):
                    if marked := await self.publish_due():
                        log.info("%d invoices fell overdue", marked)
            except SQLAlchemyError:
                log.exception("looking for overdue invoices failed; retrying")
            await asyncio.sleep(interval_seconds)
