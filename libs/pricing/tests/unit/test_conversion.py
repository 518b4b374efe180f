"""A report's amounts in one reporting currency: the pair's rate or the opposite one inverted,
one rounding per currency, a currency without a rate listed with the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pricing.conversion import StatedRate, rate_into, reporting_total
from pricing.money import Money

DAY = date(2026, 3, 2)
EUR_USD = StatedRate("EUR", "USD", Decimal("1.25"), date(2026, 3, 1))
GBP_EUR = StatedRate("GBP", "EUR", Decimal("1.17"), date(2026, 2, 1))


def test_the_pairs_own_rate_wins_over_the_opposite_one_inverted() -> None:
    usd = rate_into("USD", "EUR", [EUR_USD])
    assert usd is not None
    assert (usd.inverted, usd.factor, usd.apply(Decimal("10"))) == (
        True,
        Decimal("0.800000000000"),
        Decimal("8"),
    )
    own = StatedRate("USD", "EUR", Decimal("0.79"), DAY)
    assert rate_into("USD", "EUR", [EUR_USD, own]) == rate_into("USD", "EUR", [own])
    assert rate_into("JPY", "EUR", [EUR_USD, GBP_EUR]) is None


def test_each_currency_is_converted_once_and_one_without_a_rate_is_listed() -> None:
    rates = {"USD": rate_into("USD", "EUR", [EUR_USD]), "GBP": rate_into("GBP", "EUR", [GBP_EUR])}
    total = reporting_total(
        {"EUR": Decimal("1"), "USD": Decimal("0.015"), "GBP": Decimal("3.333"), "JPY": Decimal(5)},
        "EUR",
        DAY,
        rates,
    )
    shown = {c.amount.currency: (c.converted, c.missing) for c in total.conversions}
    assert shown == {
        "EUR": (Money(Decimal("1.00"), "EUR"), ""),
        "GBP": (Money(Decimal("3.90"), "EUR"), ""),  # 3.33 x 1.17 = 3.8961
        "JPY": (None, "no exchange rate JPY->EUR on 2026-03-02"),
        "USD": (Money(Decimal("0.02"), "EUR"), ""),  # 0.02 USD (its own cents) / 1.25 = 0.016
    }
    assert (total.total, total.complete) == (Money(Decimal("4.92"), "EUR"), False)


@given(st.dictionaries(st.sampled_from(["EUR", "USD", "GBP"]), st.integers(0, 10**12)))
def test_the_total_is_the_sum_of_the_rounded_conversions(cents: dict[str, int]) -> None:
    amounts = {c: Decimal(n).scaleb(-2) for c, n in cents.items()}
    rates = {"USD": rate_into("USD", "EUR", [EUR_USD]), "GBP": rate_into("GBP", "EUR", [GBP_EUR])}
    total = reporting_total(amounts, "EUR", DAY, rates)
    assert total.complete
    assert total.total.amount == sum(
        (c.converted.amount for c in total.conversions if c.converted is not None), Decimal(0)
    )
    for conversion in total.conversions:
        assert conversion.converted is not None
        assert conversion.converted.amount == conversion.converted.amount.quantize(Decimal("0.01"))
