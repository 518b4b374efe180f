"""Exchange rates finance may set, and amounts converted with them: the rules, without a
database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.exchange import converted, pair_in, rate_in, rate_text
from pricing.money import Money
from servicekit.errors import Violations


def faults(check: object) -> dict[str, str]:
    problems = Violations()
    check(problems)  # type: ignore[operator]
    return {v.field: v.description for v in problems.items}


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("0", "must be more than zero"),
        ("-1.08", "must be more than zero"),
        ("1.0000000000001", "at most 12 decimals"),
        ("1000000000000", "at most 12 digits before the point"),
        ("1" + "0" * 39, "at most 12 digits before the point"),
        ("1e3", "'1e3' is not a plain decimal amount"),
        ("NaN", "'NaN' is not a plain decimal amount"),
        ("soon", "'soon' is not a decimal amount"),
    ],
)
def test_a_rate_is_a_plain_positive_decimal_that_fits_its_column(text: str, fault: str) -> None:
    assert faults(lambda p: rate_in(p, "rate", text)) == {"rate": fault}


def test_good_rates_are_kept_as_sent_and_shown_without_trailing_zeros() -> None:
    problems = Violations()
    assert rate_in(problems, "rate", "0.000000000001") == Decimal("0.000000000001")
    assert rate_in(problems, "rate", "999999999999.5") == Decimal("999999999999.5")
    assert problems.items == []
    assert rate_text(Decimal("1.084200000000")) == "1.0842"
    assert rate_text(Decimal("100.000")) == "100"


def test_a_pair_is_two_known_and_different_currencies() -> None:
    assert faults(lambda p: pair_in(p, "USD", "EUR")) == {}
    assert faults(lambda p: pair_in(p, "EUR", "EUR")) == {
        "quote_currency": "must differ from base_currency"
    }
    assert set(faults(lambda p: pair_in(p, "XXX", ""))) == {"base_currency", "quote_currency"}


def test_an_amount_is_converted_by_the_pair_or_by_the_inverse_of_the_other_way() -> None:
    dollars = Money(Decimal("100.00"), "USD")
    assert converted(dollars, "USD", None, None) == dollars
    assert converted(dollars, "EUR", Decimal("0.9"), Decimal("5")) == Money(
        Decimal("90.000"), "EUR"
    )
    assert converted(dollars, "EUR", None, Decimal("1.25")) == Money(Decimal("80"), "EUR")
    assert converted(dollars, "EUR", None, None) is None


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(1000), places=4),
)
def test_converting_with_a_rate_or_by_its_inverse_agrees_far_below_a_cent(
    amount: Decimal, rate: Decimal
) -> None:
    money = Money(amount, "USD")
    direct = converted(money, "EUR", rate, None)
    inverse = converted(money, "EUR", None, 1 / rate)
    assert direct is not None
    assert inverse is not None
    assert direct.currency == inverse.currency == "EUR"
    assert abs(direct.amount - inverse.amount) < Decimal("0.000001")
