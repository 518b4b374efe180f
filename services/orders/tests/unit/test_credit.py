"""Credit control across currencies, without I/O: finance's rates convert every figure into the
limit's currency, and a missing rate (or an unknown customer) holds the order with the reason."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain.credit import ExchangeRate, Exposure, exchange_rate, into, unregistered
from pricing.money import Money

EUR_LIMIT = Money.of("1000", "EUR")
DAY = date(2026, 12, 1)


def test_a_limit_in_another_currency_is_converted_with_finances_rate() -> None:
    rates = into("EUR", [ExchangeRate("USD", "EUR", Decimal("0.5"), DAY)])
    exposure = Exposure(EUR_LIMIT, (Money.of("900", "EUR"),), (), rates)
    assert exposure.refuses(Money.of("200", "USD")) == ""  # 100 EUR: exactly at the limit
    assert exposure.refuses(Money.of("202", "USD")) == (
        "credit limit 1000.00 EUR exceeded: exposure would be 1001.00 EUR (open invoices"
        " 900.00 EUR, open orders 0.00 EUR, this order 101.00 EUR from 202.00 USD);"
        " at rates USD->EUR 0.5"
    )


def test_the_hold_keeps_the_rates_it_converted_with_inverse_ones_too() -> None:
    rates = into("EUR", [ExchangeRate("EUR", "USD", Decimal("1.25"), DAY)])
    exposure = Exposure(EUR_LIMIT, (Money.of("100", "USD"),), (), rates)
    assert exposure.refuses(Money.of("1200", "USD")).endswith("; at rates USD->EUR 0.8")


def test_without_a_rate_the_order_is_held_with_the_reason() -> None:
    exposure = Exposure(EUR_LIMIT)
    assert exposure.refuses(Money.of("1", "USD")) == (
        "no exchange rate USD->EUR for the credit limit"
    )
    # a balance owed in a currency without a rate cannot be weighed either
    owed = Exposure(EUR_LIMIT, (Money.of("5", "GBP"),))
    assert owed.refuses(Money.of("1", "EUR")) == "no exchange rate GBP->EUR for the credit limit"
    # nothing owed in it: nothing to convert
    assert Exposure(EUR_LIMIT, (Money.zero("GBP"),)).refuses(Money.of("1", "EUR")) == ""


def test_an_unknown_customer_and_no_limit() -> None:
    assert unregistered("C-9").refuses(Money.of("1", "EUR")) == (
        "customer C-9 is not registered: credit is unknown"
    )
    assert Exposure(None).refuses(Money.of("999999", "EUR")) == ""


def test_a_direct_rate_wins_over_the_inverse_of_the_other_direction() -> None:
    both = [
        ExchangeRate("EUR", "USD", Decimal("2"), DAY),
        ExchangeRate("GBP", "EUR", Decimal("1.2"), DAY),
        ExchangeRate("EUR", "GBP", Decimal("0.5"), DAY),
    ]
    assert into("EUR", both) == {"USD": Decimal("0.5"), "GBP": Decimal("1.2")}


@pytest.mark.parametrize(
    ("base", "quote", "rate", "day"),
    [
        ("USD", "USD", "1", "2026-12-01"),
        ("USD", "XYZ", "1", "2026-12-01"),
        ("USD", "EUR", "0", "2026-12-01"),
        ("USD", "EUR", "1e3", "2026-12-01"),
        ("USD", "EUR", "1", "tomorrow"),
    ],
)
def test_a_rate_that_cannot_be_used_is_refused(base: str, quote: str, rate: str, day: str) -> None:
    with pytest.raises(ValueError):
        exchange_rate(base, quote, rate, day)


cents = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c).scaleb(-2))
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4)


@given(cents, cents, cents, cents, rates)
def test_an_order_is_refused_exactly_when_the_converted_exposure_passes_the_limit(
    limit: Decimal, owed: Decimal, on_order: Decimal, order: Decimal, rate: Decimal
) -> None:
    exposure = Exposure(
        Money(limit, "EUR"),
        (Money(owed, "USD"),),
        (Money(on_order, "EUR"),),
        {"USD": rate},
    )
    over = owed * rate + on_order + order * rate > limit
    assert bool(exposure.refuses(Money(order, "USD"))) == over
