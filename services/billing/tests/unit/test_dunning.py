"""Dunning on the fakes: overdue invoices per customer with the level due, a run that reminds each
(invoice, level) once, reminders as PDFs, and credit holds placed for invoices overdue too long
and released once they are settled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from billing.adapters.dunning_printing import ReminderPdfPrinter
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.commands.run_dunning import (
    RunDunning,
    review_credit_holds,
    run_dunning,
)
from billing.application.queries.dunning import list_overdue, list_reminders, render_reminder
from billing.domain.dunning import DunningPolicy, Overdue, Reminder
from billing.domain.events import CustomerCreditHoldChanged, ReminderSent
from billing.domain.invoices import Invoice
from pricing.money import Money
from printing.pdf import page_text
from servicekit.errors import InvalidArgument, NotFound
from services.billing.tests.unit.builders import amount, as_user, invoiced, of_kind
from services.billing.tests.unit.fakes import FakeBilling

POLICY = DunningPolicy((7, 21, 35), credit_hold_after_days=30)


def due_days_ago(billing: FakeBilling, invoice: Invoice, days: int) -> str:
    """Makes `invoice` due `days` before its issue day; gives that issue day (ISO)."""
    issued = invoice.issued_at.date()
    billing.state.invoices[invoice.id].due_date = issued - timedelta(days=days)
    return issued.isoformat()


def test_levels_by_days_overdue() -> None:
    assert [POLICY.level_of(d) for d in (1, 6, 7, 20, 21, 35, 400)] == [0, 0, 1, 1, 2, 3, 3]


async def test_a_run_reminds_each_customer_at_its_highest_level_due_once() -> None:
    billing = FakeBilling()
    first = await invoiced(billing, "C-1")
    second = await invoiced(billing, "C-1", quantity=1)
    other = await invoiced(billing, "C-2", quantity=2)
    fresh = await invoiced(billing, "C-3")
    today = due_days_ago(billing, first, 22)
    due_days_ago(billing, second, 8)
    due_days_ago(billing, other, 3)
    due_days_ago(billing, fresh, -30)
    day, customers = await list_overdue(billing(), POLICY, today, "")
    assert [
        (c.customer_id, [(i.days_overdue, i.level_due) for i in c.invoices]) for c in customers
    ] == [
        ("C-1", [(22, 2), (8, 1)]),
        ("C-2", [(3, 0)]),
    ]
    with as_user():
        (reminder,) = await run_dunning(billing(), POLICY, RunDunning(today))
        assert await run_dunning(billing(), POLICY, RunDunning(today)) == []
    assert (reminder.customer_id, reminder.level) == ("C-1", 2)
    assert [(i.number, i.level_sent, str(i.open)) for i in reminder.invoices] == [
        (first.number, 2, "37.50 EUR"),
        (second.number, 1, "12.50 EUR"),
    ]
    (sent,) = of_kind(billing, ReminderSent)
    assert sent.invoice_ids == (first.id, second.id)
    _, after = await list_overdue(billing(), POLICY, today, "C-1")
    assert [i.level_sent for i in after[0].invoices] == [2, 1]
    # two weeks on: C-1's invoices reach levels 3 (the final one) and 2, C-2's its first
    later = (day + timedelta(days=14)).isoformat()
    with as_user():
        again, theirs = await run_dunning(billing(), POLICY, RunDunning(later))
    assert [(i.invoice_id, i.level_sent) for i in again.invoices] == [(first.id, 3), (second.id, 2)]
    assert again.level == 3
    assert (theirs.customer_id, theirs.level) == ("C-2", 1)
    page, token = await list_reminders(billing(), "C-1", 1, "")
    assert page == [again]
    assert token
    rest, _ = await list_reminders(billing(), "C-1", 1, token)
    assert rest == [reminder]


async def test_a_reminder_prints_its_invoices_and_days_overdue() -> None:
    billing = FakeBilling()
    late = await invoiced(billing, "C-1")
    today = due_days_ago(billing, late, 40)
    with as_user():
        (reminder,) = await run_dunning(billing(), POLICY, RunDunning(today))
    pdf, filename = await render_reminder(billing(), FakeReminderPrinter(), POLICY, reminder.id)
    assert pdf == f"{reminder.customer_id}|3|True|{late.number}|40".encode()
    assert filename.startswith("reminder-C-1-3-")
    with pytest.raises(NotFound):
        await render_reminder(billing(), FakeReminderPrinter(), POLICY, "nope")
    with pytest.raises(InvalidArgument):
        await run_dunning(billing(), POLICY, RunDunning("soon"))


def test_the_reminder_pdf_lists_the_invoices() -> None:
    item = Overdue(
        "i", "INV-2026-000007", "C-1", date(2026, 1, 1), Money.of("12.5", "EUR"), 40, 3, 3
    )
    reminder = Reminder("r", "C-1", 3, datetime(2026, 2, 10, tzinfo=UTC), "fiona", (item,))
    text = page_text(ReminderPdfPrinter().reminder(reminder, "Acme GmbH", final=True))
    for shown in (b"Final payment reminder", b"Acme GmbH", b"INV-2026-000007", b"40", b"12.50"):
        assert shown in text


async def test_a_customer_overdue_too_long_is_held_until_those_invoices_are_paid() -> None:
    billing = FakeBilling()
    late = await invoiced(billing, "C-1")
    today = due_days_ago(billing, late, 31)
    with as_user():
        await run_dunning(billing(), POLICY, RunDunning(today))
    (held,) = of_kind(billing, CustomerCreditHoldChanged)
    assert (held.customer_id, held.on_hold) == ("C-1", True)
    assert held.reason == f"{late.number} is 31 days overdue"
    _, customers = await list_overdue(billing(), POLICY, today, "C-1")
    assert customers[0].credit_hold
    await review_credit_holds(billing(), POLICY)  # still open: stays held
    assert len(of_kind(billing, CustomerCreditHoldChanged)) == 1
    with as_user():
        await record_payment(billing(), RecordPayment(late.id, amount("37.50")))
    await review_credit_holds(billing(), POLICY)
    released = of_kind(billing, CustomerCreditHoldChanged)[-1]
    assert (released.customer_id, released.on_hold) == ("C-1", False)
    assert billing.state.holds == {}


async def test_without_hold_days_nobody_is_held() -> None:
    billing = FakeBilling()
    late = await invoiced(billing, "C-1")
    today = due_days_ago(billing, late, 300)
    with as_user():
        await run_dunning(billing(), DunningPolicy(), RunDunning(today))
    assert of_kind(billing, CustomerCreditHoldChanged) == []


class FakeReminderPrinter:
    def reminder(self, reminder: Reminder, customer_name: str, final: bool) -> bytes:
        first = reminder.invoices[0]
        return (
            f"{customer_name}|{reminder.level}|{final}|{first.number}|{first.days_overdue}".encode()
        )
