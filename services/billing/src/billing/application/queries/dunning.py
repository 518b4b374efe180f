"""Dunning as read: overdue invoices per customer as of a day, the reminders sent, and one
reminder as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from billing.application.dunning import overdue_as_of
from billing.application.dunning_ports import ReminderPrinter
from billing.application.fields import as_of_in
from billing.application.ports import UnitOfWork
from billing.domain.dunning import DunningPolicy, Overdue, Reminder
from servicekit.errors import InvalidArgument, NotFound, Violations
from servicekit.paging import keyed_page, page_after, page_limit


@dataclass(frozen=True)
class OverdueCustomer:
    customer_id: str
    name: str
    invoices: list[Overdue]
    credit_hold: bool


async def list_overdue(
    uow: UnitOfWork, policy: DunningPolicy, as_of: str, customer_id: str
) -> tuple[date, list[OverdueCustomer]]:
    problems = Violations()
    day = as_of_in(problems, "as_of", as_of)
    problems.raise_if_any()
    async with uow:
        items = await overdue_as_of(uow, policy, day, customer_id)
        customers = sorted({i.customer_id for i in items})
        names = await uow.dunning.names(customers)
        held = {h.customer_id for h in await uow.dunning.holds()}
    return day, [
        OverdueCustomer(c, names.get(c, ""), [i for i in items if i.customer_id == c], c in held)
        for c in customers
    ]


async def list_reminders(
    uow: UnitOfWork, customer_id: str, page_size: int, page_token: str
) -> tuple[list[Reminder], str]:
    limit = page_limit(page_size)
    key = page_after(page_token, 2)
    after = None
    if key:
        try:
            after = (_instant(key[0]), key[1])
        except ValueError as error:
            raise InvalidArgument.of("page_token", "not a token this API issued") from error
    async with uow:
        found = await uow.dunning.reminders(customer_id, "", after, limit + 1)
    return keyed_page(found, limit, lambda r: (r.sent_at.isoformat(), r.id))


async def render_reminder(
    uow: UnitOfWork, printer: ReminderPrinter, policy: DunningPolicy, reminder_id: str
) -> tuple[bytes, str]:
    async with uow:
        found = await uow.dunning.reminders("", reminder_id, None, 1) if reminder_id else []
        if not found:
            raise NotFound(f"no reminder {reminder_id}")
        reminder = found[0]
        names = await uow.dunning.names([reminder.customer_id])
    final = reminder.level >= len(policy.level_days)
    pdf = printer.reminder(reminder, names.get(reminder.customer_id, reminder.customer_id), final)
    return pdf, f"reminder-{reminder.customer_id}-{reminder.level}-{reminder.id[:8]}.pdf"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)
