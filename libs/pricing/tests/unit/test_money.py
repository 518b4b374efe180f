from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import InvalidMoney, Money, Rounding, minor_units


def test_rounds_to_each_currencys_minor_unit() -> None:
    assert Money.of("2.675", "EUR").rounded().amount == Decimal("2.68")
    assert Money.of("2.675", "EUR").rounded(Rounding.HALF_EVEN).amount == Decimal("2.68")
    assert Money.of("2.665", "EUR").rounded(Rounding.HALF_EVEN).amount == Decimal("2.66")
    assert Money.of("1234.5", "JPY").rounded().amount == Decimal("1235")
    assert Money.of("1.2345", "KWD").rounded().amount == Decimal("1.235")


def test_trimming_keeps_the_minor_unit_and_any_extra_precision() -> None:
    assert str(Money(Decimal("12.500000"), "EUR").trimmed().amount) == "12.50"
    assert str(Money(Decimal("0.125000"), "EUR").trimmed().amount) == "0.125"
    assert str(Money(Decimal("1500.000000"), "JPY").trimmed().amount) == "1500"


def test_currencies_do_not_mix() -> None:
    with pytest.raises(InvalidMoney, match="EUR with USD"):
        _ = Money.of("1", "EUR") + Money.of("1", "USD")


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1e3", "1.2.3"])
def test_rejects_what_is_not_a_plain_decimal(text: str) -> None:
    with pytest.raises(InvalidMoney):
        Money.of(text, "EUR")


def test_rejects_unknown_currency() -> None:
    with pytest.raises(InvalidMoney, match="unknown currency"):
        Money.of("1", "XXX")


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=6),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_rounding_moves_an_amount_by_at_most_half_a_minor_unit(
    amount: Decimal, currency: str
) -> None:
    rounded = Money(amount, currency).rounded()
    assert abs(rounded.amount - amount) <= Decimal(1).scaleb(-minor_units(currency)) / 2
    assert rounded.amount.as_tuple().exponent == -minor_units(currency)
