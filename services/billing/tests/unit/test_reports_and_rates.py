"""Reports, exchange rates and PDFs on the fakes: AR ageing as of a day, revenue by channel, rates
set once per pair and day, documents printed for the customer by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from billing.application.commands.issue_credit_note import IssueCreditNote, issue_adjustment
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.commands.set_exchange_rate import SetExchangeRate, set_exchange_rate
from billing.application.queries.aging import ar_aging
from billing.application.queries.documents import render_credit_note, render_invoice
from billing.application.queries.exchange_rates import list_exchange_rates
from billing.application.queries.revenue import revenue_report
from billing.application.reactions.on_customer_registered import on_customer_registered
from billing.domain.customers import Customer
from billing.domain.events import ExchangeRateSet
from billing.domain.receivables import DAYS_1_30
from servicekit.errors import InvalidArgument, NotFound
from services.billing.tests.unit.builders import (
    a_shipment,
    amount,
    an_order,
    as_user,
    eur,
    invoiced,
    of_kind,
    placed,
    shipped,
)
from services.billing.tests.unit.fakes import FakeBilling, FakePrinter


def fields(error: InvalidArgument) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


async def test_ar_ageing_buckets_what_was_open_as_of_the_day_with_credit_beside() -> None:
    billing = FakeBilling()
    late = await invoiced(billing, "C-1")
    await invoiced(billing, "C-2", quantity=1)
    billing.state.invoices[late.id].due_date = late.due_date - timedelta(days=70)
    with as_user():
        await record_payment(billing(), RecordPayment(late.id, amount("7.50")))
        await issue_adjustment(
            billing(), IssueCreditNote(amount("4.00"), "goodwill", customer_id="C-1")
        )
    as_of = late.issued_at.date() + timedelta(days=1)
    day, aging = await ar_aging(billing(), as_of.isoformat(), "C-1")
    (line,) = aging.lines
    assert day == as_of
    assert (line.total, line.bucket("days_31_60"), line.credit) == (
        eur("30.00"),
        eur("30.00"),
        eur("4.00"),
    )
    _, every = await ar_aging(billing(), as_of.isoformat())
    assert [t.total for t in every.totals] == [eur("42.50")]
    _, before = await ar_aging(billing(), (late.issued_at.date() - timedelta(days=1)).isoformat())
    assert before.lines == []
    with pytest.raises(InvalidArgument) as error:
        await ar_aging(billing(), "yesterday")
    assert fields(error.value) == {"as_of": "a date as YYYY-MM-DD"}
    assert DAYS_1_30 == "days_1_30"


async def test_revenue_per_month_by_channel_net_of_credit_notes() -> None:
    billing = FakeBilling()
    shop = an_order("C-1", channel="shop")
    await placed(billing, shop)
    await shipped(billing, a_shipment(shop, 2))
    direct = await invoiced(billing, "C-2", quantity=1)
    with as_user():
        await issue_adjustment(
            billing(), IssueCreditNote(amount("5.00"), "x", invoice_id=direct.id)
        )
        await issue_adjustment(billing(), IssueCreditNote(amount("1.00"), "y", customer_id="C-3"))
    today = datetime.now(UTC).date().isoformat()
    rows, totals = await revenue_report(billing(), "", today, "channel")
    assert sorted((t.channel, t.invoiced, t.credited, t.net) for t in totals) == [
        ("direct", eur("12.50"), eur("5.00"), eur("7.50")),
        ("shop", eur("25.00"), eur("0"), eur("25.00")),
        ("unassigned", eur("0"), eur("1.00"), eur("-1.00")),
    ]
    _, (everything,) = await revenue_report(billing(), today, today, "")
    assert (everything.channel, everything.net) == ("all", eur("31.50"))
    with pytest.raises(InvalidArgument) as error:
        await revenue_report(billing(), "2026-02-01", "2026-01-01", "week")
    assert set(fields(error.value)) == {"to_date", "group_by"}
    assert len(rows) == 3


async def test_a_rate_is_set_once_per_pair_and_day_and_listed_latest_first() -> None:
    billing = FakeBilling()
    with as_user():
        first = await set_exchange_rate(
            billing(), SetExchangeRate("USD", "EUR", "0.92", "2026-03-02")
        )
        same = await set_exchange_rate(
            billing(), SetExchangeRate("USD", "EUR", "0.920", "2026-03-02")
        )
        await set_exchange_rate(billing(), SetExchangeRate("USD", "EUR", "0.95", "2026-03-02"))
        await set_exchange_rate(billing(), SetExchangeRate("USD", "EUR", "0.9", "2026-03-06"))
        with pytest.raises(InvalidArgument) as error:
            await set_exchange_rate(billing(), SetExchangeRate("EUR", "EUR", "-1"))
    assert (first.set_at, first.set_by) == (same.set_at, "fiona")
    assert [e.rate for e in of_kind(billing, ExchangeRateSet)] == [
        Decimal("0.92"),
        Decimal("0.95"),
        Decimal("0.9"),
    ]
    replaced = [c for c in billing.changes if c.before is not None]
    assert [(c.entity_id, c.before["rate"], c.after["rate"]) for c in replaced] == [
        ("USD/EUR", "0.92", "0.95")
    ]
    assert set(fields(error.value)) == {"quote_currency", "rate"}
    page, token = await list_exchange_rates(billing(), "USD", "", 1, "")
    rest, last = await list_exchange_rates(billing(), "USD", "EUR", 5, token)
    assert [str(r.rate.effective_from) for r in page + rest] == ["2026-03-06", "2026-03-02"]
    assert last == ""
    with pytest.raises(InvalidArgument):
        await list_exchange_rates(billing(), "", "", 0, "bm90IGEgdG9rZW4=")


async def test_invoices_and_credit_notes_are_printed_for_the_customer_by_name() -> None:
    billing = FakeBilling()
    async with billing() as uow:
        await on_customer_registered(uow, Customer("C-1", "Acme", "net 30"))
    invoice = await invoiced(billing)
    with as_user():
        note = await issue_adjustment(
            billing(), IssueCreditNote(amount("1.00"), "x", invoice_id=invoice.id)
        )
    pdf, name = await render_invoice(billing(), FakePrinter(), invoice.id)
    assert (pdf, name) == (
        f"invoice {invoice.number} for Acme".encode(),
        f"invoice-{invoice.number}.pdf",
    )
    pdf, name = await render_credit_note(billing(), FakePrinter(), note.id)
    assert name == f"credit-note-{note.number}.pdf"
    assert pdf.endswith(b"for Acme")
    with pytest.raises(NotFound):
        await render_invoice(billing(), FakePrinter(), "nope")
    with pytest.raises(NotFound):
        await render_credit_note(billing(), FakePrinter(), "nope")
