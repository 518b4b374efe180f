"""Rates from a CSV file and dunning against the real broker and database: a bad file refused by
line and field with nothing stored; an invoice 40 days overdue reminded once at its level (a PDF),
its customer held (CustomerCreditHoldChanged) and released once it is paid."""

from __future__ import annotations

import asyncio
import getpass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from billing.import_rates import load, main
from oms.billing.v1 import billing_pb2 as pb
from oms.events.v1 import billing_pb2 as events
from services.billing.tests.integration.conftest import FINANCE, Billing, Start, eur, refused

TODAY = datetime.now(UTC).date()


async def test_a_rates_file_is_stored_all_or_nothing(service: Billing) -> None:
    bad = pb.ImportExchangeRatesRequest(
        base_currency="EUR", csv="date,currency,rate\n2026-03-01,USD,1.08\n2026-03-01,USD,x\n"
    )
    assert set(await refused(service.stub.ImportExchangeRates(bad, metadata=FINANCE))) == {
        "lines[3].rate"
    }
    assert await service.sql("SELECT count(*) FROM exchange_rates") == [(0,)]
    good = pb.ImportExchangeRatesRequest(
        base_currency="EUR", csv="date,currency,rate\n2026-03-01,USD,1.08\n2026-03-02,USD,1.1\n"
    )
    reply = await service.stub.ImportExchangeRates(good, metadata=FINANCE)
    assert (reply.set, reply.unchanged) == (2, 0)
    listed = await service.stub.ListExchangeRates(
        pb.ListExchangeRatesRequest(base_currency="EUR"), metadata=FINANCE
    )
    assert [(r.effective_from, r.rate, r.set_by) for r in listed.rates] == [
        ("2026-03-02", "1.1", "fiona"),
        ("2026-03-01", "1.08", "fiona"),
    ]
    assert len(await service.changes("exchange_rate", "EUR/USD")) == 2


async def test_an_invoice_overdue_too_long_is_reminded_once_and_holds_its_customer(
    start_billing: Start,
) -> None:
    async with start_billing(credit_hold_after_days=30) as service, service.log() as log:
        late = await service.invoice("C-D1")
        await service.due(late.id, TODAY - timedelta(days=40))
        run = await service.stub.RunDunning(pb.RunDunningRequest(), metadata=FINANCE)
        (reminder,) = run.reminders
        assert (reminder.customer_id, reminder.level) == ("C-D1", 3)
        assert [(i.number, i.open.amount, i.days_overdue) for i in reminder.invoices] == [
            (late.number, "37.50", 40)
        ]
        again = await service.stub.RunDunning(pb.RunDunningRequest(), metadata=FINANCE)
        assert list(again.reminders) == []
        pdf = await service.stub.RenderReminder(
            pb.RenderReminderRequest(reminder_id=reminder.id), metadata=FINANCE
        )
        assert pdf.pdf.startswith(b"%PDF")
        overdue = await service.stub.ListOverdue(pb.ListOverdueRequest(), metadata=FINANCE)
        (customer,) = overdue.customers
        assert customer.credit_hold
        assert [(i.level_due, i.level_sent) for i in customer.invoices] == [(3, 3)]

        def announced() -> list[object]:
            return [
                m
                for _, m in log.seen
                if isinstance(m, events.ReminderSent | events.CustomerCreditHoldChanged)
            ]

        async def until(count: int) -> None:
            """Reads the customer's events until `count` of dunning's have come."""
            seen = 0
            while len(announced()) < count:
                seen += 1
                await log.wait_for("C-D1", count=seen)

        await until(2)
        # The reminder comes from the run, the hold from the overdue loop: either may be first.
        first_two = announced()[:2]
        (sent,) = [m for m in first_two if isinstance(m, events.ReminderSent)]
        (held,) = [m for m in first_two if isinstance(m, events.CustomerCreditHoldChanged)]
        assert list(sent.invoice_ids) == [late.id]
        assert (held.on_hold, held.reason) == (True, f"{late.number} is 40 days overdue")

        await service.stub.RecordPayment(
            pb.RecordPaymentRequest(invoice_id=late.id, amount=eur("37.50")), metadata=FINANCE
        )
        await until(3)  # the overdue loop (every 0.3 s) releases it
        released = announced()[2]
        assert isinstance(released, events.CustomerCreditHoldChanged)
        assert (released.on_hold, released.reason) == (False, "")
        assert await service.sql("SELECT count(*) FROM credit_holds") == [(0,)]


async def test_the_command_line_loads_a_rates_file_through_the_same_use_case(
    service: Billing, tmp_path: Path
) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2026-03-01,GBP,0.85\n", encoding="utf-8")
    assert await load(service.url, "EUR", rates.read_text()) == "1 rates set, 0 unchanged"
    listed = await service.stub.ListExchangeRates(
        pb.ListExchangeRatesRequest(base_currency="EUR", quote_currency="GBP"), metadata=FINANCE
    )
    assert [(r.rate, r.set_by) for r in listed.rates] == [("0.85", f"cli:{getpass.getuser()}")]
    rates.write_text("date,currency,rate\n2026-03-01,GBP,zero\n", encoding="utf-8")
    assert await asyncio.to_thread(main, [str(rates), "--database-url", service.url]) == 1
