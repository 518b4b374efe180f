"""Currencies on the fakes: rates from a CSV file (all or nothing, by line and field), reports in
the reporting currency with the rate used per currency (or why there is none), revenue's net and
tax kept apart, and the property that AR ageing is the open documents, per currency and
converted, to the cent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.application.commands.import_exchange_rates import (
    ImportExchangeRates,
    import_exchange_rates,
)
from billing.application.conversions import in_reporting_currency
from billing.application.queries.revenue import revenue_report
from billing.domain.events import ExchangeRateSet
from billing.domain.exchange import rates_from_csv
from billing.domain.receivables import AgedItem, age
from billing.domain.revenue import Entry, revenue
from pricing.conversion import AppliedRate, StatedRate, reporting_total
from pricing.money import Money
from servicekit.errors import InvalidArgument
from services.billing.tests.unit.builders import as_user, eur, invoiced, of_kind
from services.billing.tests.unit.fakes import FakeBilling

DAY = date(2026, 3, 2)
GOOD = "date,currency,rate\n2026-03-01,USD,1.08\n2026-03-01,GBP,0.85\n\n2026-03-02,USD,1.1\n"


def fields(error: InvalidArgument) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


def test_a_rates_file_gives_one_rate_per_row_against_the_base() -> None:
    rates = rates_from_csv("EUR", GOOD)
    assert [(r.pair, r.rate, r.effective_from.isoformat()) for r in rates] == [
        ("EUR/USD", Decimal("1.08"), "2026-03-01"),
        ("EUR/GBP", Decimal("0.85"), "2026-03-01"),
        ("EUR/USD", Decimal("1.1"), "2026-03-02"),
    ]


def test_every_bad_row_is_named_by_its_line_and_field() -> None:
    text = (
        "Date,Currency,Rate\n"
        "2026-03-01,USD,1.08\n"
        "2026-02-30,USD,1.08\n"
        "2026-03-01,XXX,1\n"
        "2026-03-01,EUR,1\n"
        "2026-03-01,GBP,-1\n"
        "2026-03-01,USD,1.09\n"
        "2026-03-01,JPY\n"
    )
    with pytest.raises(InvalidArgument) as error:
        rates_from_csv("EUR", text)
    assert set(fields(error.value)) == {
        "lines[3].date",
        "lines[4].currency",
        "lines[5].currency",
        "lines[6].rate",
        "lines[7].currency",
        "lines[8]",
    }
    assert fields(error.value)["lines[7].currency"] == "repeats line 2"
    with pytest.raises(InvalidArgument) as header:
        rates_from_csv("EUR", "day,ccy,rate\n2026-03-01,USD,1\n")
    assert set(fields(header.value)) == {"lines[1]"}
    with pytest.raises(InvalidArgument) as empty:
        rates_from_csv("EUR", "date,currency,rate\n")
    assert set(fields(empty.value)) == {"csv"}


async def test_an_import_stores_all_or_nothing_and_a_repeat_changes_nothing() -> None:
    billing = FakeBilling()
    with as_user(), pytest.raises(InvalidArgument):
        await import_exchange_rates(
            billing(), ImportExchangeRates("EUR", GOOD + "2026-03-03,USD,abc\n")
        )
    assert billing.state.rates == {}
    assert billing.published == []
    with as_user():
        done = await import_exchange_rates(billing(), ImportExchangeRates("EUR", GOOD))
        again = await import_exchange_rates(billing(), ImportExchangeRates("EUR", GOOD))
    assert (done.set, done.unchanged, again.set, again.unchanged) == (3, 0, 0, 3)
    assert len(of_kind(billing, ExchangeRateSet)) == 3
    assert {c.entity_id for c in billing.changes if c.entity_type == "exchange_rate"} == {
        "EUR/USD",
        "EUR/GBP",
    }


async def test_a_report_total_names_each_rate_and_lists_a_currency_without_one() -> None:
    billing = FakeBilling()
    with as_user():
        await import_exchange_rates(billing(), ImportExchangeRates("EUR", GOOD))
    amounts = [eur("10.00"), Money.of("110.00", "USD"), Money.of("5", "JPY")]
    total = await in_reporting_currency(billing(), amounts, "EUR", DAY)
    eur_row, jpy, usd = total.conversions
    assert (eur_row.converted, eur_row.applied) == (eur("10.00"), None)
    assert usd.applied is not None
    assert usd.applied.inverted
    assert (usd.converted, usd.applied.stated.pair, str(usd.applied.factor)) == (
        eur("100.00"),
        "EUR/USD",
        "0.909090909091",
    )
    assert (jpy.converted, jpy.missing) == (None, "no exchange rate JPY->EUR on 2026-03-02")
    assert (total.total, total.complete) == (eur("110.00"), False)
    # the day before the 1.1 rate, the 1.08 one applies
    earlier = await in_reporting_currency(billing(), amounts[:2], "EUR", DAY - timedelta(days=1))
    assert earlier.total == eur("111.85")
    assert earlier.complete


def test_revenue_keeps_tax_apart_from_net_revenue() -> None:
    taxed = Entry(DAY, "shop", eur("119.00"), tax=Decimal("19.00"))
    untaxed = Entry(DAY, "shop", eur("50.00"))
    credited = Entry(DAY, "shop", eur("11.90"), credit=True, tax=Decimal("1.90"))
    _, (total,) = revenue([taxed, untaxed, credited], by_channel=False)
    assert (total.invoiced, total.invoiced_net, total.invoiced_tax) == (
        eur("169.00"),
        eur("150.00"),
        eur("19.00"),
    )
    assert (total.net_revenue, total.tax, total.net) == (eur("140.00"), eur("17.10"), eur("157.10"))


async def test_revenue_of_untaxed_invoices_is_all_net() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing, quantity=2)
    day = invoice.issued_at.date().isoformat()
    _, (total,) = await revenue_report(billing(), day, day, "")
    assert (total.net_revenue, total.tax) == (eur("25.00"), eur("0"))


# AR ageing = the open documents, per currency and in the reporting currency -------------------

CURRENCIES = ("EUR", "USD", "JPY", "KWD")
RATES = {"USD": Decimal("1.0842"), "JPY": Decimal("161.37"), "KWD": Decimal("0.3341")}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Decimal, Decimal, Decimal, int]:
    """An invoice: currency, total, paid and credited (never more than the total), days late."""
    currency = draw(st.sampled_from(CURRENCIES))
    places = {"JPY": 0, "KWD": 3}.get(currency, 2)
    unit = Decimal(1).scaleb(-places)
    cents = draw(st.integers(1, 10**8))
    total = cents * unit
    paid = draw(st.integers(0, cents)) * unit
    credited = draw(st.integers(0, cents)) * unit
    credited = min(credited, total - paid)
    return currency, total, paid, credited, draw(st.integers(-30, 400))


@settings(max_examples=200, deadline=None)
@given(st.lists(documents(), max_size=30))
def test_ar_ageing_is_the_open_documents_in_every_currency_and_converted(
    docs: list[tuple[str, Decimal, Decimal, Decimal, int]],
) -> None:
    items = [
        AgedItem(f"C-{i % 3}", DAY - timedelta(days=late), Money(t - p - c, cur).rounded())
        for i, (cur, t, p, c, late) in enumerate(docs)
    ]
    aging = age(items, DAY)
    expected: dict[str, Decimal] = {}
    for cur, total, paid, credited, _ in docs:
        expected[cur] = expected.get(cur, Decimal(0)) + total - paid - credited
    shown = {t.currency: t.total.amount for t in aging.totals}
    assert shown == {c: v for c, v in expected.items() if v > 0}
    for line in aging.totals:  # the buckets add up to the total
        assert sum(line.bucket(b).amount for b in line.buckets) == line.total.amount
    # In EUR: each currency's total converted once at the day's rate (EUR/x inverted), rounded
    # half up to the cent; the reporting total is their sum -- to the cent.
    rates = {c: AppliedRate(StatedRate("EUR", c, r, DAY), inverted=True) for c, r in RATES.items()}
    total = reporting_total(shown, "EUR", DAY, rates)
    by_hand = sum(
        (
            (v / RATES[c] if c != "EUR" else v).quantize(Decimal("0.01"), ROUND_HALF_UP)
            for c, v in shown.items()
        ),
        Decimal(0),
    )
    assert total.total == Money(by_hand, "EUR")
    assert total.complete
    assert total.total.amount == sum(
        (x.converted.amount for x in total.conversions if x.converted), Decimal(0)
    )
