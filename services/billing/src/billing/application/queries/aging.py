"""Receivables and payables aged as of a day: what was open on each invoice (bill) by then, in
buckets by days past its due date, per customer (supplier) and currency; credit beside."""

from __future__ import annotations

from datetime import date

from billing.application.fields import as_of_in, end_of
from billing.application.ports import UnitOfWork
from billing.domain.receivables import Aging, age
from servicekit.errors import Violations


async def ar_aging(uow: UnitOfWork, as_of: str, customer_id: str = "") -> tuple[date, Aging]:
    """Every invoice issued by the end of `as_of` (today by default), less the allocations in
    force and the credit notes applied by then; the customer's credit as of then."""
    day = _day(as_of)
    async with uow:
        items, credits = await uow.ledger.receivables(end_of(day), customer_id)
    return day, age(items, day, credits)


async def ap_aging(uow: UnitOfWork, as_of: str, supplier_id: str = "") -> tuple[date, Aging]:
    """Every bill recorded by the end of `as_of` (held ones too: they are owed), less what was
    paid on it by then; advances to suppliers as their credit."""
    day = _day(as_of)
    async with uow:
        items, advances = await uow.ledger.payables(end_of(day), supplier_id)
    return day, age(items, day, advances)


def _day(as_of: str) -> date:
    problems = Violations()
    day = as_of_in(problems, "as_of", as_of)
    problems.raise_if_any()
    return day
