"""RunDunning: a reminder per customer at the highest level its overdue invoices reached and were
not reminded at yet (ReminderSent); each (invoice, level) once, so running again the same day
sends nothing new. Customers overdue past the credit-hold days are held (see review_holds)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from billing.application.dunning import overdue_as_of, review_holds
from billing.application.fields import as_of_in
from billing.application.ports import UnitOfWork
from billing.domain.dunning import DunningPolicy, Reminder, remind, reminders_due
from servicekit.context import current_principal
from servicekit.errors import Violations


@dataclass(frozen=True)
class RunDunning:
    # ISO date days overdue are counted to; today (UTC) when empty.
    as_of: str = ""


async def run_dunning(
    uow: UnitOfWork, policy: DunningPolicy, command: RunDunning
) -> list[Reminder]:
    problems = Violations()
    day = as_of_in(problems, "as_of", command.as_of)
    problems.raise_if_any()
    sent = []
    async with uow:
        items = await overdue_as_of(uow, policy, day, lock=True)
        now = datetime.now(UTC)
        for customer_id, due in reminders_due(items).items():
            reminder, events = remind(
                str(uuid.uuid4()), customer_id, due, now, current_principal().subject
            )
            await uow.dunning.add_reminder(reminder)
            await uow.publish(events)
            await uow.audit.record(
                "reminder",
                reminder.id,
                "sent",
                after={
                    "customer_id": customer_id,
                    "level": reminder.level,
                    "invoices": [i.number for i in reminder.invoices],
                },
            )
            sent.append(reminder)
        await review_holds(uow, policy, items, now)
    return sent


async def review_credit_holds(uow: UnitOfWork, policy: DunningPolicy) -> None:
    """The overdue loop's part: holds and releases as of today."""
    async with uow:
        now = datetime.now(UTC)
        items = await overdue_as_of(uow, policy, now.date())
        await review_holds(uow, policy, items, now)
