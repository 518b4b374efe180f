from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.domain.invoices import invoice_number
from billing.domain.orders import CannotInvoice, OrderLine, invoice_lines, invoice_total
from pricing.money import Money, minor_units


def ordered(currency: str, *prices: str) -> dict[str, OrderLine]:
    return {
        f"l{i}": OrderLine(f"l{i}", f"p{i}", f"SKU-{i}", 10, Money.of(price, currency))
        for i, price in enumerate(prices)
    }


@pytest.mark.parametrize(
    ("currency", "price", "quantity", "expected"),
    [("EUR", "0.333", 3, "1.00"), ("JPY", "99.5", 3, "299"), ("KWD", "1.2345", 2, "2.469")],
)
def test_a_line_is_rounded_half_up_to_the_currencys_minor_unit(
    currency: str, price: str, quantity: int, expected: str
) -> None:
    (line,) = invoice_lines(ordered(currency, price), [("l0", quantity)])
    assert line.total.amount == Decimal(expected)


def test_a_shipment_cannot_bill_a_line_it_did_not_order_or_more_than_ordered() -> None:
    with pytest.raises(CannotInvoice, match="not on the order"):
        invoice_lines(ordered("EUR", "1"), [("l9", 1)])
    with pytest.raises(CannotInvoice, match="ordered 10"):
        invoice_lines(ordered("EUR", "1"), [("l0", 11)])


def test_numbers_are_per_year_and_zero_padded() -> None:
    assert invoice_number(2026, 42) == "INV-2026-000042"


@given(
    st.lists(st.decimals(min_value=0, max_value=10000, places=4), min_size=1, max_size=20),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_the_total_is_the_sum_of_the_rounded_lines_to_the_minor_unit(
    prices: list[Decimal], currency: str
) -> None:
    order = ordered(currency, *[str(p) for p in prices])
    lines = invoice_lines(order, [(line_id, 3) for line_id in order])
    total = invoice_total(lines, currency)
    assert total.amount == sum(line.total.amount for line in lines)
    assert total.amount.as_tuple().exponent >= -minor_units(currency)
