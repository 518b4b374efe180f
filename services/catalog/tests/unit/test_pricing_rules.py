from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.domain.price_lists import PriceBreak, PriceList, new_price_list, resolve_price
from pricing.money import Money
from servicekit.errors import InvalidArgument

LIST = Money.of("10.00", "EUR")
DAY = date(2026, 11, 24)


def a_list(
    name: str,
    group: str,
    *breaks: tuple[int, str],
    valid: tuple[date | None, date | None] = (None, None),
    currency: str = "EUR",
) -> PriceList:
    return PriceList(
        name,
        name,
        currency,
        group,
        *valid,
        tuple(PriceBreak("p", q, Decimal(x)) for q, x in breaks),
    )


def resolve(
    quantity: int, *lists: PriceList, group: str = "wholesale", currency: str = "EUR"
) -> tuple[str, str] | None:
    found = resolve_price("p", LIST, group, currency, quantity, DAY, lists)
    return (str(found.unit_price.amount), found.rule) if found else None


def test_without_a_price_list_the_list_price_applies() -> None:
    assert resolve(1) == ("10.00", "list price")


def test_the_largest_break_reached_applies() -> None:
    everyone = a_list("Volume", "", (1, "9.50"), (10, "9.00"), (100, "8.00"))
    assert resolve(9, everyone) == ("9.50", "price list 'Volume', from 1 units")
    assert resolve(10, everyone) == ("9.00", "price list 'Volume', from 10 units")


def test_the_customers_own_group_beats_a_list_for_everyone_even_when_dearer() -> None:
    everyone = a_list("Volume", "", (1, "8.00"))
    own = a_list("Wholesale", "wholesale", (1, "9.00"))
    assert resolve(5, everyone, own) == (
        "9.00",
        "price list 'Wholesale' (group wholesale), from 1 units",
    )
    assert resolve(5, everyone, own, group="retail")[0] == "8.00"


def test_expired_future_and_other_currency_lists_do_not_apply() -> None:
    expired = a_list("Old", "", (1, "1.00"), valid=(None, date(2026, 11, 23)))
    future = a_list("New", "", (1, "2.00"), valid=(date(2026, 11, 25), None))
    dollars = a_list("USD", "", (1, "3.00"), currency="USD")
    assert resolve(1, expired, future, dollars) == ("10.00", "list price")
    assert resolve(1, dollars, currency="USD") == ("3.00", "price list 'USD', from 1 units")
    assert resolve(1, currency="GBP") is None


@given(
    st.lists(st.tuples(st.integers(1, 50), st.decimals(0, 100, places=2)), min_size=1, max_size=8),
    st.integers(1, 60),
)
def test_the_resolved_price_is_one_the_customer_qualifies_for(
    breaks: list[tuple[int, Decimal]], quantity: int
) -> None:
    price_list = PriceList(
        "l", "L", "EUR", "", None, None, tuple(PriceBreak("p", q, x) for q, x in breaks)
    )
    found = resolve_price("p", LIST, "", "EUR", quantity, DAY, [price_list])
    assert found is not None
    reached = [(q, x) for q, x in breaks if q <= quantity]
    if not reached:
        assert found.rule == "list price"
    else:
        best = max(q for q, _ in reached)
        assert found.unit_price.amount == min(x for q, x in reached if q == best)


def test_a_price_list_is_validated_field_by_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        new_price_list(
            "", "EUR", "", date(2026, 2, 1), date(2026, 1, 1), [("p", 0, "-1"), ("p", 0, "x")]
        )
    assert [v.field for v in error.value.violations] == [
        "name",
        "valid_to",
        "breaks[0].min_quantity",
        "breaks[0].unit_price",
        "breaks[1].min_quantity",
        "breaks[1]",
        "breaks[1].unit_price",
    ]


def test_a_new_price_lists_breaks_are_in_the_order_reads_give_them() -> None:
    # a create's answer and its retry's (read back from the database) must agree
    made = new_price_list(
        "Trade", "EUR", "", None, None, [("p-2", 1, "5"), ("p-1", 10, "8"), ("p-1", 1, "9")]
    )
    assert [(b.product_id, b.min_quantity) for b in made.breaks] == [
        ("p-1", 1),
        ("p-1", 10),
        ("p-2", 1),
    ]
