"""Revenue: invoices less credit notes issued in a range of days, by issue month (UTC), per
channel (the order's; "quote" for invoices made from quotes, "unassigned" for free credit
notes) or in all, per currency; totals over the range."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from billing.application.fields import as_of_in, end_of
from billing.application.ports import UnitOfWork
from billing.domain.revenue import Row, revenue
from servicekit.errors import Violations

GROUPINGS = ("", "channel")


async def revenue_report(
    uow: UnitOfWork, from_date: str, to_date: str, group_by: str
) -> tuple[list[Row], list[Row]]:
    """From `from_date` (1 January of `to_date`'s year by default) to `to_date` (today by
    default), both included."""
    problems = Violations()
    last = as_of_in(problems, "to_date", to_date)
    first = as_of_in(problems, "from_date", from_date) if from_date else date(last.year, 1, 1)
    if not problems.items and first > last:
        problems.add("to_date", f"is before from_date {first.isoformat()}")
    if group_by not in GROUPINGS:
        problems.add("group_by", '"channel" or empty')
    problems.raise_if_any()
    async with uow:
        entries = await uow.ledger.revenue(datetime.combine(first, time(0), UTC), end_of(last))
    return revenue(entries, by_channel=group_by == "channel")
