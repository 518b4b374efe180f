"""What the dunning repository (and the rate in force) must do, run against the fakes and
PostgreSQL like tests/repository_contracts.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing.domain.customers import Customer
from billing.domain.dunning import CreditHold, Overdue, Reminder
from billing.domain.exchange import Rate, SetRate
from servicekit.errors import AlreadyExists
from services.billing.tests.repository_contracts import (
    NOW,
    SECOND,
    TODAY,
    Check,
    Units,
    added,
    an_id,
    an_invoice,
    eur,
)


def reminded(reminder_id: str, invoice_id: str, level: int, at_second: int = 0) -> Reminder:
    item = Overdue(invoice_id, "INV-2026-000001", "C-1", TODAY, eur("37.50"), 8, level, level)
    return Reminder(reminder_id, "C-1", level, NOW + at_second * SECOND, "fiona", (item,))


async def open_invoices_are_read_with_what_is_open_and_levels_sent(units: Units) -> None:
    late = an_invoice("INV-2026-000001", due=TODAY - timedelta(days=8))
    other = an_invoice("INV-2026-000002", "C-2", due=TODAY - timedelta(days=1))
    not_due = an_invoice("INV-2026-000003", due=TODAY)
    paid = an_invoice("INV-2026-000004", due=TODAY - timedelta(days=30))
    paid.pay(eur("37.50"), an_id())
    late.pay(eur("7.50"), an_id())
    await added(units, late, other, not_due, paid)
    async with units() as uow:
        found = await uow.dunning.open_invoices(TODAY, "", lock=True)
        mine = await uow.dunning.open_invoices(TODAY, "C-1")
        await uow.customers.keep(Customer("C-1", "Acme", "net 14"))
    assert sorted((i.number, str(i.open)) for i in found) == [
        ("INV-2026-000001", "30.00 EUR"),
        ("INV-2026-000002", "37.50 EUR"),
    ]
    assert [i.invoice_id for i in mine] == [late.id]
    first, second = an_id(), an_id()
    async with units() as uow:
        await uow.dunning.add_reminder(reminded(first, late.id, 1))
        await uow.dunning.add_reminder(reminded(second, late.id, 2, at_second=1))
    with pytest.raises(AlreadyExists):
        async with units() as uow:
            await uow.dunning.add_reminder(reminded(an_id(), late.id, 2, at_second=2))
    async with units() as uow:
        assert await uow.dunning.levels_sent([late.id, other.id]) == {late.id: 2}
        newest = await uow.dunning.reminders("C-1", "", None, 1)
        rest = await uow.dunning.reminders("C-1", "", (newest[0].sent_at, newest[0].id), 5)
        one = await uow.dunning.reminders("", first, None, 5)
        assert await uow.dunning.names(["C-1", "C-9"]) == {"C-1": "Acme"}
    assert [r.id for r in newest + rest] == [second, first]
    assert one == [reminded(first, late.id, 1)]


async def credit_holds_are_kept_until_dropped(units: Units) -> None:
    late = an_invoice("INV-2026-000001", due=TODAY - timedelta(days=40))
    paid = an_invoice("INV-2026-000002", due=TODAY - timedelta(days=40))
    paid.pay(eur("37.50"), an_id())
    await added(units, late, paid)
    hold = CreditHold("C-1", "INV-2026-000001 is 40 days overdue", (late.id, paid.id), NOW)
    async with units() as uow:
        assert await uow.dunning.put_hold(hold)
        assert not await uow.dunning.put_hold(CreditHold("C-1", "again", (), NOW))  # held
    async with units() as uow:
        assert await uow.dunning.holds(lock=True) == [hold]
        assert await uow.dunning.settled([late.id, paid.id]) == {paid.id}
        await uow.dunning.drop_hold("C-1")
    async with units() as uow:
        assert await uow.dunning.holds() == []


async def the_rate_in_force_comes_with_its_day(units: Units) -> None:
    monday = date(2026, 3, 2)
    async with units() as uow:
        await uow.rates.put(SetRate(Rate("EUR", "USD", Decimal("1.08"), monday), NOW, "fiona"))
    async with units() as uow:
        assert await uow.rates.in_force("EUR", "USD", monday + timedelta(days=3)) == Rate(
            "EUR", "USD", Decimal("1.08"), monday
        )
        assert await uow.rates.in_force("EUR", "USD", monday - timedelta(days=1)) is None
        assert await uow.rates.in_force("USD", "EUR", monday) is None


DUNNING_CHECKS: list[Check] = [
    open_invoices_are_read_with_what_is_open_and_levels_sent,
    credit_holds_are_kept_until_dropped,
    the_rate_in_force_comes_with_its_day,
]
